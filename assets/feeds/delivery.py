"""One arrival into the catalogue: a new picture, a correction or re-send, or a kill.

What a sidecar adds to the file's own metadata (the precedence, stated once here):
- the caption: the sidecar's description wins over the file's caption (the agency's latest
  text); the file's caption is still read as its own block, so its restrictions stay;
- headline, byline, credit, copyright, usage terms, special instructions: the file's own
  values first, the sidecar fills those the file leaves empty;
- restrictions: the union of every block, the sidecar being one more block of origin
  `sidecar`: a sidecar can only add a restriction, never lift one.

The same agency reference (or the same NewsML-G2 guid / ninjs uri, or the same bytes)
arriving again updates the asset that has it, through the caption edit path
(assets.captioning.replace_caption): a new caption version, a re-reading that keeps every
restriction, an audit entry. A kill or withhold signal kills every asset with the reference
(`apply_kills`) or raises a kill request, as a caption's kill notice does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assets.audit import record_event
from assets.blobs import BlobStore
from assets.captioning import replace_caption
from assets.db import session_scope
from assets.errors import EmptyUpload, InvalidRequest, NotAnImage, UploadTooLarge
from assets.feeds import claims
from assets.feeds.arrivals import Arrival
from assets.feeds.config import FeedConfig
from assets.feeds.locks import reference_lock
from assets.feeds.sidecar import MAX_SIDECAR_BYTES, Sidecar, SidecarError, read_sidecar
from assets.feeds.sources import Source
from assets.feeds.tables import storable
from assets.ingest import ingest_file
from assets.kills import assets_with_ref, kill_asset, reach_of, request_kill
from assets.metadata import EmbeddedMetadata, MetadataError, read_embedded_file
from assets.metadata.sniff import describe_unsupported
from assets.rights_reading import blocks_to_json
from assets.spool import spool
from assets.tables import Asset
from captions import parse_caption

# What is wrong with the arrival itself: trying again cannot help, it goes to `rejected/`.
PERMANENT = (SidecarError, NotAnImage, EmptyUpload, UploadTooLarge, MetadataError, InvalidRequest)


class Rejected(Exception):
    """The arrival cannot be stored; the message is the reason file's text."""


@dataclass(frozen=True, slots=True)
class Delivered:
    outcome: str  # ingested | duplicate | updated | unchanged | killed | kill-requested
    asset_id: str | None
    item_ref: str | None


@dataclass(frozen=True, slots=True)
class Catalogue:
    """What a delivery writes to: the database, the blob store, where to spool files."""

    engine: Engine
    blobs: BlobStore
    spool_dir: Path
    max_bytes: int


def deliver(catalogue: Catalogue, feed: FeedConfig, source: Source, arrival: Arrival) -> Delivered:
    """Store the arrival; raises Rejected (or a PERMANENT error) for what cannot be stored,
    anything else for what may work on a later attempt."""
    sidecar = _sidecar(source, arrival)
    item_ref = sidecar.item_id if sidecar else None
    if arrival.picture is None:
        assert sidecar is not None
        return _lone_sidecar(catalogue, feed, arrival, sidecar)
    try:
        spooled = spool(source.chunks(arrival.picture), catalogue.spool_dir, catalogue.max_bytes)
    except EmptyUpload as exc:
        raise Rejected(f"{arrival.picture.name} is empty (0 bytes): nothing to store") from exc
    try:
        with spooled.path.open("rb") as handle:
            head = handle.read(4096)
        embedded = read_embedded_file(spooled.path)
        if embedded.media_type is None:
            raise NotAnImage(f"{arrival.picture.name}: {describe_unsupported(head)}")
        if sidecar is not None:
            add_sidecar(embedded, sidecar)
        caption = (sidecar.description if sidecar else None) or embedded.caption
        identity = _identity(caption, embedded, sidecar)
        with reference_lock(catalogue.engine, identity.lock_key):
            with Session(catalogue.engine) as session:
                target = _existing(session, feed, spooled.sha256, identity, None)
                may_kill = _may_kill(session, feed, identity.agency_ref, target)
            if target is not None:
                outcome = _update(
                    catalogue, feed, target, caption, embedded, sidecar, may_kill=may_kill
                )
                asset_id = target
            else:
                result = ingest_file(
                    catalogue.engine,
                    catalogue.blobs,
                    spooled,
                    storable(arrival.picture.name),
                    sidecar.description if sidecar and sidecar.description else None,
                    feed.actor,
                    may_kill=may_kill,
                    embedded=embedded,
                    caption_origin="sidecar",
                )
                outcome = "duplicate" if result.duplicate else "ingested"
                asset_id = result.asset.id
    finally:
        spooled.discard()
    if sidecar is not None and sidecar.withdraws:
        outcome = _withdraw(catalogue, feed, asset_id, sidecar, stored_now=outcome == "ingested")
    return Delivered(outcome, asset_id, item_ref)


def add_sidecar(embedded: EmbeddedMetadata, sidecar: Sidecar) -> None:
    """The sidecar's block joins the file's; its values fill the fields the file leaves empty."""
    embedded.blocks.append(sidecar.block())
    for name in ("headline", "byline", "credit", "copyright"):
        if getattr(embedded, name) is None and getattr(sidecar, name) is not None:
            setattr(embedded, name, getattr(sidecar, name))
    if embedded.usage_terms is None and sidecar.usage_terms:
        embedded.usage_terms = "; ".join(sidecar.usage_terms)
    if embedded.special_instructions is None and sidecar.ednote:
        embedded.special_instructions = sidecar.ednote


def _sidecar(source: Source, arrival: Arrival) -> Sidecar | None:
    if arrival.sidecar is None:
        return None
    data = source.read(arrival.sidecar, MAX_SIDECAR_BYTES)
    try:
        return read_sidecar(arrival.sidecar.name, data)
    except SidecarError as exc:
        raise Rejected(f"sidecar {arrival.sidecar.name} cannot be read: {exc}") from exc


def _lone_sidecar(
    catalogue: Catalogue, feed: FeedConfig, arrival: Arrival, sidecar: Sidecar
) -> Delivered:
    """A sidecar without a picture: a kill, or a correction of a picture already stored."""
    assert arrival.sidecar is not None
    identity = _identity(sidecar.description, None, sidecar)
    with reference_lock(catalogue.engine, identity.lock_key):
        with Session(catalogue.engine) as session:
            named = arrival.sidecar.name.rsplit(".", 1)[0]  # `x.png` of `x.png.xmp`, `x` of `x.xml`
            target = _existing(session, feed, None, identity, named)
            may_kill = _may_kill(session, feed, identity.agency_ref, target)
        if target is None:
            what = "a kill or withhold signal" if sidecar.withdraws else "a sidecar"
            raise Rejected(
                f"{what} in {arrival.sidecar.name} names no stored picture (no asset with its"
                f" agency reference or item id {sidecar.item_id!r}) and came without one"
            )
        if sidecar.withdraws:
            outcome = _withdraw(catalogue, feed, target, sidecar)
        else:
            outcome = _update(
                catalogue, feed, target, sidecar.description, None, sidecar, may_kill=may_kill
            )
    return Delivered(outcome, target, sidecar.item_id)


@dataclass(frozen=True, slots=True)
class Identity:
    """What tells arrivals about one picture apart from others: read once per arrival."""

    agency: str | None
    agency_ref: str | None  # the caption's reference, else the file's job id
    item_id: str | None  # the sidecar's NewsML-G2 guid / ninjs uri

    @property
    def lock_key(self) -> str | None:
        return self.agency_ref or self.item_id


def _identity(
    caption: str | None, embedded: EmbeddedMetadata | None, sidecar: Sidecar | None
) -> Identity:
    parsed = parse_caption(caption) if caption else None
    return Identity(
        agency=parsed.agency if parsed else None,
        agency_ref=(parsed.agency_ref if parsed else None)
        or (embedded.job_id if embedded else None),
        item_id=sidecar.item_id if sidecar else None,
    )


def _existing(
    session: Session, feed: FeedConfig, sha256: str | None, identity: Identity, stem: str | None
) -> str | None:
    """The asset this arrival is about, if stored already: the same bytes, the same agency
    reference of the same agency, the same sidecar item of this feed, or (a lone sidecar)
    the picture of the same name this feed stored.

    A reference or item id is only what the sender says: one that does not name its agency
    (a job id, a caption without a credit), or an asset that does not, reaches only assets
    this feed stored, so no feed corrects or withdraws another agency's pictures by naming
    their reference."""
    if sha256 is not None:
        same = session.exec(select(Asset.id).where(Asset.sha256 == sha256)).first()
        if same is not None:
            return same
    if identity.agency_ref:
        query = select(Asset).where(col(Asset.agency_ref) == identity.agency_ref)
        found = list(session.exec(query.order_by(col(Asset.id))))
        own = claims.stored_by(session, feed.name, [a.id for a in found])
        for asset in found:
            same_agency = bool(identity.agency) and asset.agency == identity.agency
            if same_agency or asset.id in own:
                return asset.id
    if identity.item_id:
        known = claims.assets_of_item_ref(session, feed.name, identity.item_id)
        if known:
            return known[0]
    if stem is not None:
        return claims.asset_of_name(session, feed.name, stem)
    return None


def _may_kill(
    session: Session, feed: FeedConfig, agency_ref: str | None, target: str | None
) -> bool:
    """Whether a kill notice in this arrival's caption may kill outright: the feed is trusted
    to kill, and every asset the kill would reach (the target, every asset with the
    reference) is one the feed stored itself. Otherwise the notice is a kill request."""
    if not feed.apply_kills:
        return False
    reached = [target] if target else []
    if agency_ref:
        reached += [a.id for a in assets_with_ref(session, agency_ref)]
    stored = session.get(Asset, target) if target else None
    if stored is not None and stored.agency_ref:
        reached += [a.id for a in assets_with_ref(session, stored.agency_ref)]
    return set(reached) <= claims.stored_by(session, feed.name, reached)


def _update(
    catalogue: Catalogue,
    feed: FeedConfig,
    asset_id: str,
    caption: str | None,
    embedded: EmbeddedMetadata | None,
    sidecar: Sidecar | None,
    *,
    may_kill: bool = False,
) -> str:
    """A correction or re-send: the new blocks join the stored ones and the caption is
    replaced through the caption edit path. Nothing new to say changes nothing."""
    with session_scope(catalogue.engine) as session:
        asset = session.get(Asset, asset_id)
        if asset is None:
            raise Rejected(f"asset {asset_id} vanished while its correction arrived")
        stored = dict(asset.embedded_blocks or {"blocks": [], "unreadable": []})
        blocks = list(stored.get("blocks") or [])
        unreadable = list(stored.get("unreadable") or [])
        if embedded is not None:
            fresh = blocks_to_json(embedded)
            new_blocks = fresh["blocks"]
            unreadable += [u for u in fresh["unreadable"] if u not in unreadable]
        else:
            new_blocks = [blocks_to_json(_only(sidecar))["blocks"][0]] if sidecar else []
        added = [b for b in new_blocks if b not in blocks]
        caption = caption or asset.caption
        if not added and caption == asset.caption:
            return "unchanged"
        before = {"caption": asset.caption, "blocks": len(blocks)}
        asset.embedded_blocks = {"blocks": blocks + added, "unreadable": unreadable}
        record_event(
            session,
            actor=feed.actor,
            action="feed.update",
            asset_id=asset.id,
            before=before,
            after={
                "feed": feed.name,
                "item": sidecar.item_id if sidecar else None,
                "signals": sorted(sidecar.signals) if sidecar else [],
                "blocks_added": [b.get("origin") for b in added],
            },
        )
        replace_caption(
            session,
            asset,
            caption or "",
            feed.actor,
            may_kill=may_kill,
            blobs=catalogue.blobs,
            origin="sidecar",
        )
    return "updated"


def _only(sidecar: Sidecar | None) -> EmbeddedMetadata:
    embedded = EmbeddedMetadata()
    if sidecar is not None:
        embedded.blocks.append(sidecar.block())
    return embedded


def _withdraw(
    catalogue: Catalogue,
    feed: FeedConfig,
    asset_id: str,
    sidecar: Sidecar,
    *,
    stored_now: bool = False,
) -> str:
    """Kill every asset of the agency with the reference (a feed trusted to kill, and only
    pictures it stored itself), else request the kill."""
    signal = "kill" if "kill" in sidecar.signals else "withhold"
    reason = f"agency {signal} signal ({sidecar.standard} sidecar)"
    if sidecar.ednote:
        reason += f": {sidecar.ednote}"
    with session_scope(catalogue.engine) as session:
        asset = session.get(Asset, asset_id)
        if asset is None:
            raise Rejected(f"asset {asset_id} vanished while its {signal} arrived")
        reach = [t for t in reach_of(session, asset) if t.agency == asset.agency]
        own = claims.stored_by(session, feed.name, [t.id for t in reach])
        if stored_now:
            own.add(asset_id)
        if feed.apply_kills and all(t.id in own for t in reach):
            for target in reach:
                kill_asset(session, target, reason, feed.actor)
            return "killed"
        # pictures the feed did not store itself (another feed's, an upload) are held for
        # a rights manager, never killed outright on this feed's word
        if asset.status != "killed":
            request_kill(session, asset, asset.caption, reason, feed.actor, "feed." + signal)
        return "kill-requested"
