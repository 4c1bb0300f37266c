"""Replacing an asset's caption: re-read the rights, keep the history, audit the change.

Every re-reading sees every metadata block of the file again (`asset.embedded_blocks`) and
keeps every restriction the previous record held (assets.rights_reading), so no edit path
turns a restricted picture into an `allow`. A row stored before per-block values were kept
has its file read again from the blob store when one is at hand.
"""

from __future__ import annotations

import contextlib
from typing import Any

from sqlmodel import Session

from assets.audit import record_event
from assets.blobs import BlobStore, LocalBlobStore
from assets.catalogue import replace_restriction_index
from assets.clock import utcnow
from assets.kills import apply_kill_notice, hold_if_reference_withdrawn
from assets.metadata import EmbeddedMetadata, MetadataError, read_embedded, read_embedded_file
from assets.rights_reading import (
    blocks_from_json,
    blocks_to_json,
    read_rights,
    record_from_json,
    record_to_json,
)
from assets.tables import Asset, CaptionVersion
from rights import RightsRecord, WireError


def embedded_of(asset: Asset) -> EmbeddedMetadata:
    """The embedded fields stored at ingest, with each block's own values when stored."""
    stored = dict(asset.embedded or {})
    known = {k: v for k, v in stored.items() if k in EmbeddedMetadata.__dataclass_fields__}
    embedded = EmbeddedMetadata(**known)
    if asset.embedded_blocks is not None:
        blocks_from_json(embedded, asset.embedded_blocks)
    return embedded


def read_blocks_again(asset: Asset, blobs: BlobStore) -> bool:
    """Fill `embedded_blocks` of a row stored without them by reading its file again, and
    the licensing and provenance values of a row stored before they were read.

    Returns False (and changes nothing) when the file cannot be read: the row then keeps
    its restrictions through every re-reading, as before.
    """
    try:
        if isinstance(blobs, LocalBlobStore):
            embedded = read_embedded_file(blobs.path_of(asset.sha256))
        else:
            embedded = read_embedded(blobs.get(asset.sha256))
    except (MetadataError, LookupError, OSError, ValueError):
        return False
    asset.embedded_blocks = blocks_to_json(embedded)
    asset.embedded = {
        **(asset.embedded or {}),
        "licensing": embedded.licensing,
        "provenance": embedded.provenance,
    }
    return True


def lacks_file_values(asset: Asset) -> bool:
    """Whether the row was stored before some of its file's values were kept (per-block
    rights fields; licensing and provenance, always present since they are read)."""
    return asset.embedded_blocks is None or "provenance" not in (asset.embedded or {})


def previous_record(asset: Asset) -> RightsRecord | None:
    """The record stored now, which a re-reading may only add to."""
    if not asset.rights:
        return None
    with contextlib.suppress(WireError):
        return record_from_json(asset.rights)
    return None


def reread_rights(asset: Asset, blobs: BlobStore | None = None) -> None:
    """Parse the current caption again (after an edit, or a newer parser).

    With `blobs`, a row stored without per-block values has its file read again first.
    """
    if blobs is not None and lacks_file_values(asset):
        read_blocks_again(asset, blobs)
    record = read_rights(
        asset.caption,
        embedded_of(asset),
        previous_record(asset),
        blocks_known=asset.embedded_blocks is not None,
    )
    asset.rights = record_to_json(record)
    asset.agency = record.agency
    asset.agency_ref = record.agency_ref
    asset.source = record.source
    asset.handout = record.handout
    asset.parser_version = record.parser_version
    asset.updated_at = utcnow()


def store_reading(
    session: Session,
    asset: Asset,
    actor: str,
    action: str,
    before: dict[str, Any],
    *,
    may_kill: bool = False,
    blobs: BlobStore | None = None,
) -> None:
    """Re-read the asset's rights and save them with their index and audit event.

    A kill notice in the caption kills only when `may_kill` (the actor may kill outright);
    otherwise it raises a kill request (assets.kills)."""
    reference = asset.agency_ref
    reread_rights(asset, blobs)
    session.add(asset)
    replace_restriction_index(session, asset)
    record_event(
        session,
        actor=actor,
        action=action,
        asset_id=asset.id,
        before=before,
        after={
            "caption": asset.caption,
            "rights": asset.rights,
            "parser_version": asset.parser_version,
        },
    )
    session.flush()
    apply_kill_notice(session, asset, actor, action, may_kill)
    if asset.agency_ref != reference:
        hold_if_reference_withdrawn(session, asset, actor, action)


def replace_caption(
    session: Session,
    asset: Asset,
    caption: str,
    actor: str,
    *,
    may_kill: bool = False,
    blobs: BlobStore | None = None,
    origin: str = "posted",
) -> Asset:
    """A new caption from an editor (or a feed's correction, `origin` "sidecar"): the old
    one stays in the caption history.

    The file's restrictions and the previous record's stay: a caption edit can add
    restrictions, never remove one with a code (a rights manager lifts one with a lease).
    """
    before = {"caption": asset.caption, "rights": asset.rights}
    asset.caption = caption
    asset.caption_origin = origin
    session.add(CaptionVersion(asset_id=asset.id, caption=caption, origin=origin, actor=actor))
    store_reading(session, asset, actor, "asset.caption", before, may_kill=may_kill, blobs=blobs)
    session.commit()
    session.refresh(asset)
    return asset
