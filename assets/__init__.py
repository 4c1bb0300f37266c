"""The catalogue: assets and their rights, leases, kills and usages, over SQLModel.

The names below are the surface the API and the CLI build on; everything else is a module's
own business. Operations tools with heavy imports (backup, fsck, renditions, reparse, the
metadata readers) are imported from their modules where they are used.
"""

from assets.audit import events, record_event
from assets.captioning import replace_caption
from assets.catalogue import AssetFilter, Page, get_asset, get_by_ref, is_asset_id, list_assets
from assets.checks import CheckOutcome, check_assets
from assets.clock import utcnow
from assets.config import Settings
from assets.db import make_engine, session_scope
from assets.errors import (
    AssetError,
    AssetNotFound,
    Conflict,
    EmptyUpload,
    InvalidRequest,
    NotAnImage,
    UploadTooLarge,
)
from assets.ingest import Ingested, ingest_file
from assets.keys import Role, create_key, verify_key
from assets.kills import KillNotice, kill_asset, usages_of
from assets.leases import grant_lease, leases_applying_to, list_leases, revoke_lease
from assets.suppliers import UnknownSupplier, resolve_target
from assets.tables import (
    ApiKey,
    Asset,
    AssetBase,
    KillRequest,
    KillRequestBase,
    Lease,
    LeaseBase,
    Usage,
    UsageBase,
    UsagePublic,
)

__all__ = [
    "ApiKey",
    "Asset",
    "AssetBase",
    "AssetError",
    "AssetFilter",
    "AssetNotFound",
    "CheckOutcome",
    "Conflict",
    "EmptyUpload",
    "Ingested",
    "InvalidRequest",
    "KillNotice",
    "KillRequest",
    "KillRequestBase",
    "Lease",
    "LeaseBase",
    "NotAnImage",
    "Page",
    "Role",
    "Settings",
    "UnknownSupplier",
    "UploadTooLarge",
    "Usage",
    "UsageBase",
    "UsagePublic",
    "check_assets",
    "create_key",
    "events",
    "get_asset",
    "get_by_ref",
    "grant_lease",
    "ingest_file",
    "is_asset_id",
    "kill_asset",
    "leases_applying_to",
    "list_assets",
    "list_leases",
    "make_engine",
    "record_event",
    "replace_caption",
    "resolve_target",
    "revoke_lease",
    "session_scope",
    "usages_of",
    "utcnow",
    "verify_key",
]
