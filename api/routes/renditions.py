"""/v1/assets/{id}/renditions/{thumb|preview}: the pictures the desk shows.

Caching: a rendition's bytes are content-addressed (its ETag is their sha256), but what this
URL shows changes when the asset is killed, so it cannot be cached forever as such. Plain,
it is `no-cache` (the browser revalidates and gets a cheap 304); with `?v=` carrying the
asset's current cache token (`rendition_url` writes it) it is cacheable for a year, because
killing the asset changes the token and so the URL the desk writes into its pages.
"""

from __future__ import annotations

import functools
from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import APIRouter, Header, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import RuntimeDep, SessionDep, ViewerDep
from api.runtime import Runtime
from assets.catalogue import get_asset
from assets.renditions import (
    DEFAULT_WAIT,
    Found,
    Kind,
    RenditionBusy,
    cache_token,
    find,
    lookup,
    read,
)
from assets.tables import Asset

router = APIRouter(prefix="/v1/assets", tags=["assets"])

FOREVER = "private, max-age=31536000, immutable"
REVALIDATE = "private, no-cache"
RETRY_AFTER_SECONDS = 2
DRAWING_THREADS = 8

_HEADERS = {
    "ETag": {"description": "sha256 of the image bytes", "schema": {"type": "string"}},
    "Cache-Control": {"schema": {"type": "string"}},
    "X-Rendition-Warning": {
        "description": "present when a placeholder is served: why there is no picture",
        "schema": {"type": "string"},
    },
}


def rendition_url(asset: Asset, kind: Kind) -> str:
    """The URL to put in an `<img src>`: cached by the browser until the asset changes."""
    return f"/v1/assets/{asset.id}/renditions/{kind.value}?v={cache_token(asset)}"


@router.get(
    "/{asset_id}/renditions/{kind}",
    response_class=Response,
    responses={
        200: {
            "content": {"image/jpeg": {}, "image/webp": {}},
            "description": "the rendition, or a placeholder card (NO PREVIEW, KILLED)"
            " with `X-Rendition-Warning`",
            "headers": _HEADERS,
        },
        304: {"description": "the rendition named by `If-None-Match` is still current"},
        503: {"description": "the rendition is still being drawn; retry after `Retry-After`"},
    },
)
async def asset_rendition(
    asset_id: str,
    kind: Kind,
    session: SessionDep,
    runtime: RuntimeDep,
    _caller: ViewerDep,
    v: Annotated[
        str | None,
        Query(description="the asset's cache token (as in the desk's URLs): cache for a year"),
    ] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """A thumbnail (longest side 256 px) or preview (1,200 px), made on first request.

    Never the picture of a killed asset (a KILLED card instead); a file that cannot be
    drawn gets a NO PREVIEW card and `X-Rendition-Warning` saying why."""
    asset = await run_in_threadpool(_asset_of, session, asset_id)
    known = await run_in_threadpool(lookup, runtime.engine, asset, kind)
    try:
        found = known if known is not None else await _drawn(runtime, asset, kind)
        headers = _headers(found, asset, kind, v)
        if _matches(if_none_match, found.etag):
            return Response(status_code=304, headers=headers)
        found, data = await run_in_threadpool(
            read, runtime.engine, runtime.blobs, asset, kind, found
        )
    except RenditionBusy as exc:
        raise HTTPException(
            503, f"{exc}; ask again shortly", headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        ) from exc
    return Response(data, media_type=found.media_type, headers=_headers(found, asset, kind, v))


def _asset_of(session: Session, asset_id: str) -> Asset:
    asset = get_asset(session, asset_id)
    session.close()  # give the connection back: drawing may take seconds
    return asset


async def _drawn(runtime: Runtime, asset: Asset, kind: Kind) -> Found:
    """Draw in threads of our own: requests waiting for pictures queue here, in the event
    loop, and never take the threads every other route (the publishing hook) runs on."""
    try:
        with anyio.fail_after(DEFAULT_WAIT):
            return await anyio.to_thread.run_sync(
                find, runtime.engine, runtime.blobs, asset, kind, limiter=_drawers()
            )
    except TimeoutError as exc:
        raise RenditionBusy(f"the renditions of asset {asset.id} are still being drawn") from exc


@functools.cache
def _drawers() -> anyio.CapacityLimiter:
    # drawing itself is limited further (assets.renditions.DRAWING_SLOTS); the others wait
    # in these threads for a picture someone else is drawing
    return anyio.CapacityLimiter(DRAWING_THREADS)


def _headers(found: Found, asset: Asset, kind: Kind, token: str | None) -> dict[str, str]:
    extension = "webp" if found.media_type == "image/webp" else "jpg"
    headers = {
        "ETag": f'"{found.etag}"',
        "Cache-Control": FOREVER if token == cache_token(asset) else REVALIDATE,
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="{asset.id}-{kind.value}.{extension}"',
    }
    if found.warning:
        headers["X-Rendition-Warning"] = _header_text(found.warning)
    return headers


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: `*` or any listed tag, compared weakly."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or f'"{etag}"' in tags


def _header_text(text: str) -> str:
    """A header value: printable ASCII only (a decoder's message may hold anything)."""
    return "".join(ch if " " <= ch <= "~" else "?" for ch in text)[:300]
