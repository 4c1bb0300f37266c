"""Wire shapes of kills by agency reference and of kill requests."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.fields import CleanText, Flag
from assets.kills import KillNotice
from assets.tables import Asset, KillRequest, KillRequestBase, Usage, UsagePublic


class KillByRefIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_ref: CleanText = Field(min_length=1, max_length=128, description="matched exactly")
    reason: CleanText = Field(min_length=1, max_length=2000)
    dry_run: Flag = Field(
        default=False, description="only list the assets the kill would reach; change nothing"
    )


class ReachedAsset(BaseModel):
    """An asset a kill reaches (or would reach), with the usages to take down."""

    asset: str
    agency_ref: str | None
    filename: str | None
    status: str
    already_killed: bool
    reason: str | None
    killed_at: datetime | None
    usages: list[UsagePublic]

    @classmethod
    def of(cls, asset: Asset, usages: list[Usage], already_killed: bool) -> ReachedAsset:
        return cls(
            asset=asset.id,
            agency_ref=asset.agency_ref,
            filename=asset.filename,
            status=asset.status,
            already_killed=already_killed,
            reason=asset.kill_reason,
            killed_at=asset.killed_at,
            usages=[UsagePublic.from_usage(u) for u in usages],
        )

    @classmethod
    def killed(cls, notice: KillNotice) -> ReachedAsset:
        return cls.of(notice.asset, notice.usages, notice.already_killed)


class KillByRefPublic(BaseModel):
    agency_ref: str
    dry_run: bool
    assets: list[ReachedAsset] = Field(
        description="every asset with the reference: killed now, or (dry run) that would be"
    )


class KillRequestPublic(KillRequestBase):
    """A kill asked for by someone who may not kill, waiting for (or given) a decision."""

    id: str
    asset: str
    state: Literal["pending", "confirmed", "rejected"]
    marked: list[str] = Field(description="the assets the request made `kill_requested`")
    reaches: list[ReachedAsset] = Field(description="the assets a confirmation kills")

    @classmethod
    def of(cls, request: KillRequest, reaches: list[ReachedAsset]) -> KillRequestPublic:
        return cls.model_validate(
            {
                **request.model_dump(include=set(KillRequestBase.model_fields)),
                "id": request.id,
                "asset": request.asset_id,
                "marked": list(request.assets or []),
                "reaches": reaches,
            }
        )


class KillRequestPage(BaseModel):
    items: list[KillRequestPublic]


class ConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: CleanText | None = Field(
        default=None,
        min_length=1,
        max_length=2000,
        description="the kill reason (default: the request's)",
    )


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: CleanText = Field(min_length=1, max_length=2000, description="why the kill is refused")


class ConfirmedPublic(BaseModel):
    request: KillRequestPublic
    killed: list[ReachedAsset]


class RejectedPublic(BaseModel):
    request: KillRequestPublic
    restored: list[str] = Field(description="the assets active again")
