"""Wire shapes (docs/architecture.md): what clients send and receive.

Fields may be added, never renamed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.fields import CleanText, Flag, Moment
from api.territories import Territory
from api.urls import WebURL
from assets.tables import Asset, AssetBase, Lease, LeaseBase, UsagePublic
from rights import Channel, Decision, LeaseScope, Purpose
from rights.moment import utc
from rights.wire import decision_to_dict


class EvidencePublic(BaseModel):
    text: str
    origin: str
    start: int | None = None
    end: int | None = None


class RestrictionPublic(BaseModel):
    code: str
    text: str
    origin: str
    start: int | None = None
    end: int | None = None
    evidence: list[EvidencePublic] = []
    embargo_until: datetime | None = None
    expires_at: datetime | None = None
    countries_excluded: list[str] = []
    countries_included: list[str] = []


class UnreadableBlockPublic(BaseModel):
    """A metadata block that may state rights but could not be read (checks: review)."""

    block: str
    warning: str


class TerritoriesPublic(BaseModel):
    included: list[str] = []
    excluded: list[str] = []


class RightsPublic(BaseModel):
    agency: str | None = None
    agency_ref: str | None = None
    credit_line: str | None = None
    source: str | None = None
    byline: str | None = None
    copyright: str | None = None
    handout: bool = False
    pool: bool = False
    date: str | None = None
    place: str | None = None
    restrictions: list[RestrictionPublic] = []
    embargo_until: datetime | None = None
    territories: TerritoriesPublic = TerritoriesPublic()
    parser_version: str | None = None
    unreadable_blocks: list[UnreadableBlockPublic] = []

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> RightsPublic:
        restrictions = stored.get("restrictions") or []
        return cls.model_validate(
            {
                **stored,
                "territories": {
                    "included": sorted(
                        {c for r in restrictions for c in r.get("countries_included") or ()}
                    ),
                    "excluded": sorted(
                        {c for r in restrictions for c in r.get("countries_excluded") or ()}
                    ),
                },
            }
        )


class AssetPublic(AssetBase):
    id: str
    created_at: datetime
    rights: RightsPublic
    embedded: dict[str, Any] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    duplicate: bool = False
    kill_reason: str | None = None

    @classmethod
    def from_asset(cls, asset: Asset, duplicate: bool = False) -> AssetPublic:
        return cls(
            **asset.model_dump(include=set(AssetBase.model_fields)),
            id=asset.id,
            created_at=asset.created_at,
            rights=RightsPublic.from_stored(asset.rights or {}),
            embedded=asset.embedded or {},
            warnings=asset.warnings or [],
            duplicate=duplicate,
            kill_reason=asset.kill_reason,
        )


class MatchPublic(BaseModel):
    """Where a search result matched: the field and an HTML-escaped excerpt with <mark> tags."""

    field: str
    snippet: str


class AssetListItem(AssetPublic):
    """An asset in a listing; with `q`, its rank (higher is better) and highlighted match."""

    rank: int | None = None
    match: MatchPublic | None = None


class AssetPage(BaseModel):
    items: list[AssetListItem]
    next_cursor: str | None = None


class UseIn(BaseModel):
    """The use a publisher asks about."""

    model_config = ConfigDict(extra="forbid")

    purpose: Purpose
    channel: Channel | None = None
    territory: Territory | None = None
    at: Moment | None = Field(
        default=None,
        description="when the use happens (default: now); a recorded use goes live when it is"
        " recorded, so with `record` a moment in the past is judged as now",
    )
    publication: CleanText | None = Field(default=None, max_length=512)
    url: WebURL | None = Field(default=None, max_length=2048, description="http(s) only")


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assets: list[Annotated[CleanText, Field(max_length=512)]] = Field(
        min_length=1, max_length=1000, description="asset ids or agency references"
    )
    use: UseIn
    record: Flag = Field(default=False, description="record an allowed use as a usage")


class ReasonPublic(BaseModel):
    """`rights.wire.reason_to_dict`; a test holds the two to the same fields."""

    code: str
    message: str
    outcome: str
    evidence: list[EvidencePublic] = []
    lifted_by: str | None = Field(
        default=None, description="the lease that lifted this restriction, if one did"
    )


class CheckResult(BaseModel):
    """One answer of the hook: `rights.wire.decision_to_dict` plus the asset and the usage."""

    asset: str
    asset_id: str | None = None
    decision: str
    reasons: list[ReasonPublic]
    credit_line: str | None = None
    obligations: list[str] = []
    usage_id: str | None = None
    purge: bool = Field(
        default=False,
        description="a NO ARCHIVES retention window has passed: delete every copy of the image",
    )
    cost: str | None = Field(
        default=None,
        description="free, conditional, pay or overquota under the supplier's agreement; "
        "null when no agreement is configured or none covers the use",
    )
    price: str | None = Field(
        default=None, description='the agreement\'s price per use, e.g. "12.50 EUR"'
    )

    @staticmethod
    def wire(
        key: str, asset_id: str | None, decision: Decision, usage_id: str | None = None
    ) -> dict[str, Any]:
        """The result as plain JSON data, in `rights.wire`'s shape. Built directly rather than
        through the model: the hook answers up to 1,000 of these per call and validation
        would triple its cost."""
        return {
            "asset": key,
            "asset_id": asset_id,
            **decision_to_dict(decision),
            "usage_id": usage_id,
        }


class CheckResponse(BaseModel):
    results: list[CheckResult]


class CaptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    caption: CleanText = Field(max_length=100_000)


class OverrideIn(BaseModel):
    """A lease: allow or deny, for some purposes/channels/territories, within a window."""

    model_config = ConfigDict(extra="forbid")

    effect: Literal["allow", "deny"]
    purposes: list[Purpose] = Field(default_factory=list, description="empty: every purpose")
    channels: list[Channel] = Field(default_factory=list, description="empty: every channel")
    territories: list[Territory] = Field(
        default_factory=list,
        description="ISO 3166-1 alpha-2; empty: everywhere. A deny lease on a country also"
        " holds what it covers (FR: its overseas departments and Monaco)",
    )
    starts: Moment | None = None
    ends: Moment | None = None
    reason: CleanText = Field(min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _window_is_ordered(self) -> OverrideIn:
        if self.starts and self.ends and utc(self.ends) <= utc(self.starts):
            raise ValueError("ends must be after starts")
        return self

    def to_lease(self, scope: LeaseScope, target: str) -> Lease:
        return Lease(
            scope=scope.value,
            target=target,
            effect=self.effect,
            purposes=[p.value for p in self.purposes],
            channels=[c.value for c in self.channels],
            territories=sorted(set(self.territories)),
            starts=utc(self.starts) if self.starts else None,
            ends=utc(self.ends) if self.ends else None,
            reason=self.reason,
        )


class WideOverrideIn(OverrideIn):
    """A lease for every asset of an agency or of a source."""

    scope: Literal["agency", "source"]
    target: CleanText = Field(
        min_length=1,
        max_length=512,
        description="the agency or source name, in any case or spacing; it must be one the"
        " catalogue or an agency profile knows, unless `force`",
    )
    force: bool = Field(
        default=False,
        strict=True,
        description="grant it even though no asset or agency profile names the target yet",
    )


class OverridePublic(LeaseBase):
    """A lease as the API shows it: the table's fields but its `_keep_target_key` bookkeeping."""

    id: str
    target: str = Field(description="the asset id, or the supplier name as the catalogue spells it")
    target_key: str | None = Field(
        default=None,
        description="what the target is compared as: an agency or source lease reaches every"
        " asset whose agency or source has this key (case, spacing, accents, punctuation,"
        " invisible characters, fullwidth forms, look-alike letters of other scripts and"
        " letter-spacing folded)",
    )
    actor: str | None
    created_at: datetime

    @classmethod
    def from_lease(cls, lease: Lease) -> OverridePublic:
        return cls.model_validate(lease, from_attributes=True)


class KillIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: CleanText = Field(min_length=1, max_length=2000)


class KillPublic(BaseModel):
    asset: str
    status: str
    reason: str | None
    killed_at: datetime | None
    usages: list[UsagePublic]


class AuditEventPublic(BaseModel):
    id: str
    asset: str | None
    actor: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    created_at: datetime


class AuditPage(BaseModel):
    items: list[AuditEventPublic]
    next_cursor: str | None = None
