"""Ingest: a received file becomes a stored blob plus one catalogue row, atomically.

Order matters for crash safety: the blob is stored first (atomic rename / conditional put),
then one transaction writes the asset, its restriction index, caption history and audit.
A crash in between leaves at most an orphan blob, which `rightsdesk fsck` removes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from assets.audit import record_event
from assets.blobs import BlobStore
from assets.catalogue import replace_restriction_index
from assets.db import session_scope
from assets.errors import NotAnImage
from assets.kills import apply_kill_notice, hold_if_reference_withdrawn, read_kill_notice
from assets.metadata import EmbeddedMetadata, read_embedded_file, sniff_media_type
from assets.metadata.sniff import describe_unsupported
from assets.rights_reading import blocks_to_json, read_rights, record_to_json
from assets.spool import Spooled
from assets.tables import Asset, CaptionVersion
from captions import parse_caption

# sniff_media_type looks at the first 32 bytes, and at an ISO BMFF ftyp box of up to 4 KB
_SNIFF_BYTES = 4096


@dataclass
class Ingested:
    asset: Asset
    duplicate: bool


def ingest_file(
    engine: Engine,
    blobs: BlobStore,
    spooled: Spooled,
    filename: str | None,
    caption: str | None,
    actor: str,
    may_kill: bool = False,
    *,
    embedded: EmbeddedMetadata | None = None,
    caption_origin: str = "posted",
) -> Ingested:
    """Store a spooled upload, or return the asset that already has the same bytes.

    A kill notice in the caption (or the file's) kills only when `may_kill` (the uploader may
    kill outright); otherwise it raises a kill request (assets.kills). `embedded` is the
    file's reading when the caller already made it (a feed adds its sidecar's block to it);
    `caption_origin` says where a given `caption` came from."""
    try:
        with session_scope(engine) as session:
            existing = _by_sha(session, spooled.sha256)
            if existing is not None:
                if caption and parse_caption(caption).kill:
                    read_kill_notice(session, existing, caption, actor, "asset.upload", may_kill)
                return Ingested(existing, duplicate=True)
        with spooled.path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
        media_type = sniff_media_type(head)
        if media_type is None:
            raise NotAnImage(f"{_describe(filename)}: {describe_unsupported(head)}")
        # reads only the regions the container needs: memory stays flat for large uploads
        if embedded is None:
            embedded = read_embedded_file(spooled.path)  # MetadataError: its own HTTP status
        asset = _new_asset(spooled, filename, caption, embedded, media_type, caption_origin)
        blobs.put_file(spooled.sha256, spooled.path)
        try:
            with session_scope(engine) as session:
                _insert(session, asset, actor, may_kill)
        except IntegrityError:
            # another request stored the same bytes between our check and our insert
            with session_scope(engine) as session:
                winner = _by_sha(session, spooled.sha256)
            if winner is None:
                raise
            return Ingested(winner, duplicate=True)
        return Ingested(asset, duplicate=False)
    finally:
        spooled.discard()


def _new_asset(
    spooled: Spooled,
    filename: str | None,
    caption: str | None,
    embedded: EmbeddedMetadata,
    media_type: str,
    given_origin: str = "posted",
) -> Asset:
    caption_origin = given_origin if caption else None
    if not caption and embedded.caption:
        caption = embedded.caption
        caption_origin = next(iter(embedded.by_origin.get("caption", {"iptc": ""})))
    record = read_rights(caption, embedded)
    return Asset(
        sha256=spooled.sha256,
        filename=_safe_filename(filename),
        media_type=media_type,
        width=embedded.width,
        height=embedded.height,
        bytes=spooled.size,
        caption=caption,
        caption_origin=caption_origin,
        agency=record.agency,
        agency_ref=record.agency_ref,
        source=record.source,
        handout=record.handout,
        parser_version=record.parser_version,
        rights=record_to_json(record),
        embedded=_embedded_json(embedded),
        embedded_blocks=blocks_to_json(embedded),
        warnings=list(embedded.warnings),
    )


def _insert(session: Session, asset: Asset, actor: str, may_kill: bool) -> None:
    session.add(asset)
    session.flush()
    replace_restriction_index(session, asset)
    session.add(
        CaptionVersion(
            asset_id=asset.id, caption=asset.caption, origin=asset.caption_origin, actor=actor
        )
    )
    record_event(
        session,
        actor=actor,
        action="asset.ingest",
        asset_id=asset.id,
        after={"sha256": asset.sha256, "caption": asset.caption, "rights": asset.rights},
    )
    apply_kill_notice(session, asset, actor, "asset.ingest", may_kill)
    hold_if_reference_withdrawn(session, asset, actor, "asset.ingest")


def _by_sha(session: Session, sha256: str) -> Asset | None:
    return session.exec(select(Asset).where(Asset.sha256 == sha256)).first()


def _embedded_json(embedded: EmbeddedMetadata) -> dict[str, object]:
    """Normalised fields only; the raw blocks stay in the file and are re-read on demand."""
    fields = {
        name: getattr(embedded, name)
        for name in (
            "caption",
            "headline",
            "object_name",
            "byline",
            "credit",
            "source",
            "copyright",
            "special_instructions",
            "usage_terms",
            "keywords",
            "date_created",
            "city",
            "country",
            "job_id",
            "width",
            "height",
            "media_type",
            "licensing",
            "provenance",
        )
    }
    return {k: v for k, v in fields.items() if v not in (None, [], "", {})}


def _safe_filename(filename: str | None) -> str | None:
    """Keep the client's name for display only: never a path, never control characters."""
    if not filename:
        return None
    name = Path(filename.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable())[:255]
    return name or None


def _describe(filename: str | None) -> str:
    return f"'{_safe_filename(filename)}'" if filename else "the file"
