"""Find the coded size of a HEIF's primary image in its ISO BMFF boxes (meta/iprp/ispe).

pillow-heif reports the size after HEIF's rotation (irot), while for JPEG we report the
stored size before EXIF orientation, as ExifTool does for both; reading `ispe` keeps the
two consistent. Only box headers are walked, with every length checked against its box.
"""

from __future__ import annotations

from collections.abc import Iterator

from assets.metadata.source import ImageData

_MAX_BOXES = 10_000


def _u(data: ImageData, pos: int, size: int) -> int:
    return int.from_bytes(data[pos : pos + size], "big")


def _boxes(data: ImageData, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """Yield (type, payload start, box end) for the boxes between start and end."""
    pos = start
    for _ in range(_MAX_BOXES):
        if pos + 8 > end:
            return
        size, kind, header = _u(data, pos, 4), data[pos + 4 : pos + 8], 8
        if size == 1:
            size, header = _u(data, pos + 8, 8), 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield kind, pos + header, pos + size
        pos += size


def _child(data: ImageData, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    for found, payload, box_end in _boxes(data, start, end):
        if found == kind:
            return payload, box_end
    return None


def primary_size(data: ImageData) -> tuple[int, int] | None:
    """(width, height) from the ispe property of the primary item, or None if not found."""
    meta = _child(data, 0, len(data), b"meta")
    if meta is None:
        return None
    start, end = meta[0] + 4, meta[1]  # meta is a FullBox: skip version and flags
    pitm, iprp = _child(data, start, end, b"pitm"), _child(data, start, end, b"iprp")
    if pitm is None or iprp is None:
        return None
    primary = _u(data, pitm[0] + 4, 2 if data[pitm[0]] == 0 else 4)
    ipco, ipma = _child(data, *iprp, b"ipco"), _child(data, *iprp, b"ipma")
    if ipco is None or ipma is None:
        return None
    properties = [(kind, payload, box_end) for kind, payload, box_end in _boxes(data, *ipco)]
    for index in _associations(data, *ipma, primary):
        if 1 <= index <= len(properties):
            kind, payload, box_end = properties[index - 1]
            if kind == b"ispe" and payload + 12 <= box_end:
                return _u(data, payload + 4, 4), _u(data, payload + 8, 4)
    return None


def _associations(data: ImageData, start: int, end: int, item: int) -> list[int]:
    """Property indexes (1-based) that the ipma box associates with `item`."""
    version, flags = data[start], _u(data, start + 1, 3)
    count, pos = _u(data, start + 4, 4), start + 8
    id_size, index_size = (2 if version < 1 else 4), (2 if flags & 1 else 1)
    for _ in range(min(count, _MAX_BOXES)):
        if pos + id_size + 1 > end:
            break
        item_id, n = _u(data, pos, id_size), data[pos + id_size]
        pos += id_size + 1
        indexes = [
            _u(data, pos + i * index_size, index_size) & (0x7FFF if index_size == 2 else 0x7F)
            for i in range(n)
        ]
        pos += n * index_size
        if item_id == item:
            return indexes
    return []
