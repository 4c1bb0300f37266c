"""/v1/assets: upload, look up, list, download, edit captions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response, StreamingResponse

from api.deps import EditorDep, RuntimeDep, SessionDep, ViewerDep
from api.fields import CleanText, Moment, QueryFlag
from api.schemas import AssetListItem, AssetPage, AssetPublic, CaptionIn, MatchPublic
from api.territories import Territory
from assets.captioning import replace_caption
from assets.catalogue import AssetFilter, get_asset, get_by_ref, list_assets
from assets.clock import utcnow
from assets.cost_filter import cost_filter
from assets.downloads import with_rights_embedded
from assets.errors import InvalidRequest
from assets.ingest import ingest_file
from assets.purge import refuse_purged
from assets.spool import CHUNK, spool
from rights import Channel, Cost, Purpose, Use

router = APIRouter(prefix="/v1/assets", tags=["assets"])


@router.post(
    "",
    response_model=AssetPublic,
    status_code=201,
    responses={200: {"model": AssetPublic, "description": "the same bytes were already stored"}},
)
def upload_asset(
    runtime: RuntimeDep,
    caller: EditorDep,
    file: Annotated[UploadFile, File(description="JPEG, TIFF, PNG, WebP or HEIC")],
    caption: Annotated[CleanText | None, Form(max_length=100_000)] = None,
) -> JSONResponse:
    """Store an image with its caption; rights are read from the caption and the file."""
    spooled = spool(_chunks(file), runtime.spool_dir, runtime.settings.max_upload_bytes)
    result = ingest_file(
        runtime.engine,
        runtime.blobs,
        spooled,
        file.filename,
        caption.strip() if caption else None,
        caller.actor,
        may_kill=caller.may_kill,
    )
    # drawn off the request (assets.drawer), or on the first request for them: the answer
    # never waits for drawing, and a picture that cannot be drawn never fails its upload
    if runtime.drawer is not None:
        runtime.drawer.submit(result.asset.sha256)
    body = AssetPublic.from_asset(result.asset, duplicate=result.duplicate)
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if result.duplicate else 201)


@router.get("", response_model=AssetPage)
def list_assets_page(
    session: SessionDep,
    runtime: RuntimeDep,
    _caller: ViewerDep,
    q: Annotated[
        str | None,
        Query(
            description="Full text over caption, headline, keywords, place, byline, credit line"
            ' and source: words (all required), "a phrase", OR, -excluded. Best match first.'
        ),
    ] = None,
    agency: str | None = None,
    source: str | None = None,
    restriction: str | None = None,
    status: Annotated[str | None, Query(pattern="^(active|kill_requested|killed|purged)$")] = None,
    handout: QueryFlag | None = None,
    since: Annotated[Moment | None, Query(description="created at or after (ISO 8601)")] = None,
    until: Annotated[Moment | None, Query(description="created before (ISO 8601)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
    cost: Annotated[
        Cost | None,
        Query(description="what `purpose` (with `channel`, `territory`) costs under agreements"),
    ] = None,
    purpose: Purpose | None = None,
    channel: Channel | None = None,
    territory: Annotated[Territory | None, Query()] = None,
) -> AssetPage:
    """Newest first, or best match first with `q`; pass `next_cursor` back as `cursor`."""
    costs = None
    if cost is not None:
        if purpose is None:
            raise InvalidRequest("cost= is the cost of one use: give purpose= (and channel=)")
        now = utcnow()
        costs = cost_filter(session, cost, Use(purpose, channel, territory, now), now)
    filters = AssetFilter(
        q=q,
        agency=agency,
        source=source,
        restriction=restriction,
        status=status,
        handout=handout,
        since=since,
        until=until,
        costs=costs,
    )
    page = list_assets(session, filters, min(limit, runtime.settings.max_page), cursor)
    items = []
    for asset in page.items:
        match = page.matches.get(asset.id)
        item = AssetListItem(
            **vars(AssetPublic.from_asset(asset)),
            rank=page.ranks.get(asset.id),
            match=MatchPublic(field=match.field, snippet=match.snippet) if match else None,
        )
        items.append(item)
    return AssetPage(items=items, next_cursor=page.next_cursor)


@router.get("/by-ref/{agency_ref}", response_model=AssetPublic)
def asset_by_ref(agency_ref: str, session: SessionDep, _caller: ViewerDep) -> AssetPublic:
    return AssetPublic.from_asset(get_by_ref(session, agency_ref))


@router.get("/{asset_id}", response_model=AssetPublic)
def asset_by_id(asset_id: str, session: SessionDep, _caller: ViewerDep) -> AssetPublic:
    return AssetPublic.from_asset(get_asset(session, asset_id))


@router.get(
    "/{asset_id}/file",
    response_class=Response,
    responses={
        200: {"content": {"image/*": {}}, "description": "the image bytes"},
        410: {"description": "the asset was purged: its file is deleted"},
    },
)
def asset_file(
    asset_id: str,
    session: SessionDep,
    runtime: RuntimeDep,
    _caller: ViewerDep,
    embed: Annotated[
        Literal["rights"] | None,
        Query(
            description="`rights`: write the current"
            " rights into the file's IPTC and XMP (JPEG, TIFF)"
        ),
    ] = None,
) -> Response:
    """The original bytes, exactly as uploaded; or with the current rights embedded."""
    asset = get_asset(session, asset_id)
    refuse_purged(asset)
    disposition = {"Content-Disposition": _disposition(asset.filename, asset.id, asset.media_type)}
    if embed == "rights":
        data = with_rights_embedded(asset, runtime.blobs.get(asset.sha256))
        return Response(data, media_type=asset.media_type, headers=disposition)
    return StreamingResponse(
        runtime.blobs.stream(asset.sha256),
        media_type=asset.media_type,
        headers={**disposition, "ETag": f'"{asset.sha256}"', "Content-Length": str(asset.bytes)},
    )


@router.put("/{asset_id}/caption", response_model=AssetPublic)
def put_caption(
    asset_id: str, body: CaptionIn, session: SessionDep, runtime: RuntimeDep, caller: EditorDep
) -> AssetPublic:
    """Replace the caption and re-read the rights; the previous caption stays in history.

    Restrictions can only be added this way: those of the file and of the previous record stay.
    A kill notice in the caption kills only for a rights manager (or a key allowed to kill);
    from anyone else it is a kill request, listed at `GET /v1/kills/requests`.
    """
    asset = replace_caption(
        session,
        get_asset(session, asset_id),
        body.caption,
        caller.actor,
        may_kill=caller.may_kill,
        blobs=runtime.blobs,
    )
    return AssetPublic.from_asset(asset)


def _chunks(upload: UploadFile) -> Iterator[bytes]:
    while chunk := upload.file.read(CHUNK):
        yield chunk


_EXTENSIONS = {
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
    "image/tiff": (".tif", ".tiff"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "image/heic": (".heic",),
    "image/heif": (".heif", ".heic"),
}


def _disposition(filename: str | None, asset_id: str, media_type: str) -> str:
    """The name a browser saves the file under, with an extension of its real type: a JPEG
    uploaded as "page.html" must not be saved as a page that opens in the browser."""
    name = (filename or asset_id).encode("ascii", "replace").decode().replace('"', "")
    extensions = _EXTENSIONS.get(media_type, ())
    if extensions and not name.lower().endswith(extensions):
        name += extensions[0]
    return f'inline; filename="{name}"'
