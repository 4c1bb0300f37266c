"""/v1/captions/parse: read a caption without storing anything."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import ViewerDep
from api.schemas import CaptionIn
from assets.rights_reading import parsed_caption_to_json
from captions import parse_caption

router = APIRouter(prefix="/v1/captions", tags=["captions"])


@router.post("/parse")
def parse(body: CaptionIn, _caller: ViewerDep) -> dict[str, Any]:
    """The parsed caption: agency, reference, credit line, source, restrictions with offsets."""
    return parsed_caption_to_json(parse_caption(body.caption))
