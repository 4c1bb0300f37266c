"""Replacing an asset's caption: re-read the rights, keep the history, audit the change."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from assets.audit import record_event
from assets.catalogue import replace_restriction_index
from assets.kills import apply_kill_notice
from assets.metadata import EmbeddedMetadata
from assets.rights_reading import read_rights, record_to_json
from assets.tables import Asset, CaptionVersion


def embedded_of(asset: Asset) -> EmbeddedMetadata:
    """The normalised embedded fields stored at ingest."""
    stored = dict(asset.embedded or {})
    known = {k: v for k, v in stored.items() if k in EmbeddedMetadata.__dataclass_fields__}
    return EmbeddedMetadata(**known)


def reread_rights(asset: Asset) -> None:
    """Parse the current caption again (after an edit, or a newer parser)."""
    record = read_rights(asset.caption, embedded_of(asset))
    asset.rights = record_to_json(record)
    asset.agency = record.agency
    asset.agency_ref = record.agency_ref
    asset.source = record.source
    asset.handout = record.handout
    asset.parser_version = record.parser_version
    asset.updated_at = datetime.now(UTC)


def store_reading(
    session: Session,
    asset: Asset,
    actor: str,
    action: str,
    before: dict[str, Any],
    may_kill: bool = False,
) -> None:
    """Re-read the asset's rights and save them with their index and audit event.

    A kill notice in the caption kills only when `may_kill` (the actor may kill outright);
    otherwise it raises a kill request (assets.kills)."""
    reread_rights(asset)
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


def replace_caption(
    session: Session, asset: Asset, caption: str, actor: str, may_kill: bool = False
) -> Asset:
    """A new caption from an editor: the old one stays in the caption history."""
    before = {"caption": asset.caption, "rights": asset.rights}
    asset.caption = caption
    asset.caption_origin = "posted"
    session.add(CaptionVersion(asset_id=asset.id, caption=caption, origin="posted", actor=actor))
    store_reading(session, asset, actor, "asset.caption", before, may_kill)
    session.commit()
    session.refresh(asset)
    return asset
