"""The desk's actions: upload, check a use, leases, kill, caption edits. Each calls the same
`assets` and `rights` functions as the JSON routes, with the same role, plus a CSRF token."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.deps import RuntimeDep, SessionDep
from api.desk.auth import DeskChecker, DeskEditor, DeskKiller, DeskRightsManager
from api.desk.browse import detail_page
from api.desk.render import DeskRoute, page
from api.desk.views import (
    USE_COOKIE,
    Badge,
    UseChoice,
    badge,
    highlighted_caption,
)
from api.schemas import OverrideIn
from assets.captioning import replace_caption
from assets.catalogue import get_asset
from assets.checks import check_assets
from assets.clock import utcnow
from assets.errors import AssetNotFound, InvalidRequest
from assets.ingest import ingest_file
from assets.kills import kill_asset
from assets.leases import grant_lease, leases_applying_to, revoke_lease
from assets.rights_reading import parsed_caption_to_json
from assets.spool import CHUNK, spool
from assets.suppliers import resolve_target
from captions import parse_caption
from rights import LeaseScope, RightsdeskError

router = APIRouter(route_class=DeskRoute, include_in_schema=False)

MAX_CHECK_LINES = 1000


@dataclass(frozen=True)
class UploadResult:
    filename: str
    outcome: str  # new | duplicate | rejected
    asset_id: str | None = None
    detail: str | None = None
    badge: Badge | None = None


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, caller: DeskEditor) -> HTMLResponse:
    return page(request, caller, "upload.html", results=[])


@router.post("/upload", response_class=HTMLResponse)
def upload(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    caller: DeskEditor,
    files: Annotated[list[UploadFile], File()],
) -> HTMLResponse:
    """Each file on its own: one bad file never loses the others. The desk's script sends
    one file per request (for a progress bar each) and asks for the result row alone."""
    results = []
    for upload_file in files:
        name = upload_file.filename or "unnamed file"
        try:
            spooled = spool(
                _chunks(upload_file), runtime.spool_dir, runtime.settings.max_upload_bytes
            )
            done = ingest_file(
                runtime.engine, runtime.blobs, spooled, upload_file.filename, None, caller.actor
            )
        except RightsdeskError as exc:
            results.append(UploadResult(name, "rejected", detail=str(exc)))
            continue
        if runtime.drawer is not None:  # the grid shows its thumbnail next: draw it now
            runtime.drawer.submit(done.asset.sha256)
        outcome = "duplicate" if done.duplicate else "new"
        results.append(UploadResult(name, outcome, asset_id=done.asset.id))
    stored = [r.asset_id for r in results if r.asset_id]
    if stored:  # each new picture's badge for the chosen use, as the grid will show it
        now = utcnow()
        use = UseChoice.from_cookie(request.cookies.get(USE_COOKIE)).to_use(now)
        answers = {o.key: badge(o.decision) for o in check_assets(session, stored, use, now=now)}
        results = [dataclasses.replace(r, badge=answers.get(r.asset_id or "")) for r in results]
    template = "upload_results.html" if request.headers.get("X-Desk-Partial") else "upload.html"
    return page(request, caller, template, results=results)


@router.get("/check", response_class=HTMLResponse)
def check_form(request: Request, caller: DeskChecker) -> HTMLResponse:
    return page(request, caller, "check.html", rows=None, keys_text="", chosen=None)


@router.post("/check", response_class=HTMLResponse)
def check(
    request: Request,
    session: SessionDep,
    caller: DeskChecker,
    keys: Annotated[str, Form(max_length=100_000)] = "",
    purpose: Annotated[str, Form()] = "editorial",
    channel: Annotated[str, Form()] = "",
    territory: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """What the publishing hook answers, for a person: one row per line, in order."""
    wanted = [line.strip() for line in keys.splitlines() if line.strip()]
    choice = UseChoice.parse(purpose, channel, territory)
    error = None
    if not wanted:
        error = ("keys", "Paste at least one agency reference or asset id, one per line.")
    elif len(wanted) > MAX_CHECK_LINES:
        error = ("keys", f"At most {MAX_CHECK_LINES} lines at once; you pasted {len(wanted)}.")
    elif choice is None:
        error = ("territory", "Territory must be a two-letter country code such as GB.")
    if error is not None or choice is None:
        return page(
            request,
            caller,
            "check.html",
            status=400,
            rows=None,
            keys_text=keys,
            chosen=None,
            errors=[error],
        )
    now = utcnow()
    outcomes = check_assets(session, wanted, choice.to_use(now), now=now)
    rows = [(o.key, o.asset_id, badge(o.decision), o.decision) for o in outcomes]
    return page(request, caller, "check.html", rows=rows, keys_text=keys, chosen=choice)


@router.post("/assets/{asset_id}/leases", response_class=HTMLResponse)
def add_lease(
    request: Request,
    asset_id: str,
    session: SessionDep,
    caller: DeskRightsManager,
    effect: Annotated[str, Form()] = "allow",
    scope: Annotated[str, Form(pattern="^(asset|agency|source)$")] = "asset",
    purposes: Annotated[list[str] | None, Form()] = None,
    channels: Annotated[list[str] | None, Form()] = None,
    territories: Annotated[str, Form(max_length=2000)] = "",
    starts: Annotated[str, Form()] = "",
    ends: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    asset = get_asset(session, asset_id)
    try:
        lease = OverrideIn(
            effect=effect,  # type: ignore[arg-type]
            purposes=purposes or [],  # type: ignore[arg-type]
            channels=channels or [],  # type: ignore[arg-type]
            territories=[t for t in territories.replace(",", " ").split() if t],
            starts=_moment(starts),
            ends=_moment(ends),
            reason=reason.strip(),
        )
    except ValidationError as exc:
        return detail_page(
            request,
            session,
            caller,
            asset,
            status=400,
            errors=[_field_error(exc, "lease")],
        )
    target = {"asset": asset.id, "agency": asset.agency, "source": asset.source}[scope]
    if not target:
        return detail_page(
            request,
            session,
            caller,
            asset,
            status=400,
            errors=[("lease-scope", f"This picture has no {scope}: lease it alone instead.")],
        )
    kind = LeaseScope(scope)
    if kind is not LeaseScope.ASSET:  # spelt as the API spells supplier leases
        target = resolve_target(session, kind, target).name
    grant_lease(session, lease.to_lease(kind, target), caller.actor)
    session.commit()
    return RedirectResponse(f"/assets/{asset.id}#leases", status_code=303)


@router.post("/assets/{asset_id}/leases/{lease_id}/remove")
def remove_lease(
    asset_id: str, lease_id: str, session: SessionDep, caller: DeskRightsManager
) -> Response:
    asset = get_asset(session, asset_id)
    if not any(lease.id == lease_id for lease in leases_applying_to(session, asset)):
        raise AssetNotFound(f"no lease {lease_id!r} reaches this picture")
    revoke_lease(session, lease_id, caller.actor)
    session.commit()
    return RedirectResponse(f"/assets/{asset_id}#leases", status_code=303)


@router.post("/assets/{asset_id}/kill", response_class=HTMLResponse)
def kill(
    request: Request,
    asset_id: str,
    session: SessionDep,
    caller: DeskKiller,
    reason: Annotated[str, Form(max_length=2000)] = "",
    confirm: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Kill after a reason and an explicit confirmation; then the usages to take down."""
    asset = get_asset(session, asset_id)
    errors = []
    if not reason.strip():
        errors.append(("kill-reason", "Give the reason for the kill (the agency's notice)."))
    if confirm != "yes":
        errors.append(("kill-confirm", "Tick the box to confirm: a kill cannot be undone."))
    if errors:
        return detail_page(request, session, caller, asset, status=400, errors=errors)
    notice = kill_asset(session, asset, reason.strip(), caller.actor)
    session.commit()
    return page(request, caller, "killed.html", asset=notice.asset, notice=notice)


@router.post("/assets/{asset_id}/caption", response_class=HTMLResponse)
def edit_caption(
    request: Request,
    asset_id: str,
    session: SessionDep,
    runtime: RuntimeDep,
    caller: DeskEditor,
    caption: Annotated[str, Form(max_length=100_000)] = "",
    action: Annotated[str, Form()] = "save",
) -> Response:
    """`preview` shows the new reading without saving (the script asks for the partial)."""
    asset = get_asset(session, asset_id)
    if action == "preview":
        reading = parsed_caption_to_json(parse_caption(caption))
        preview = {
            "reading": reading,
            "segments": highlighted_caption(caption, reading.get("restrictions") or []),
        }
        if request.headers.get("X-Desk-Partial"):
            return page(request, caller, "caption_preview.html", preview=preview)
        return detail_page(request, session, caller, asset, preview=preview, draft=caption)
    if not caption.strip():
        return detail_page(
            request,
            session,
            caller,
            asset,
            status=400,
            errors=[("caption", "A caption cannot be empty.")],
            draft=caption,
        )
    # as the API: a kill notice in the caption kills only for whoever may kill
    replace_caption(
        session,
        asset,
        caption.strip(),
        caller.actor,
        may_kill=caller.may_kill,
        blobs=runtime.blobs,
    )
    return RedirectResponse(f"/assets/{asset.id}", status_code=303)


def _chunks(upload: UploadFile) -> Iterator[bytes]:
    while chunk := upload.file.read(CHUNK):
        yield chunk


def _moment(value: str) -> datetime | None:
    """A `datetime-local` value from the form, read as UTC (the form says so)."""
    if not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidRequest(f"{value!r} is not a date and time like 2026-03-01T09:00") from exc


def _field_error(exc: ValidationError, prefix: str) -> tuple[str, str]:
    first = exc.errors()[0]
    where = str(first["loc"][0]) if first.get("loc") else "reason"
    message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    return (f"{prefix}-{where}", f"{where}: {message}")
