"""IPTC that archive tools append after the image data instead of putting it in APP13.

FotoWare FotoStation and AXS (AFCP) write records at the end of the file, found by a
signature in the last bytes; ExifTool reports them as the IPTC2 group. Agencies' archives
still hold many such files, so a caption there must not be lost. Trailers can be chained
(one appended after another), so they are peeled off from the end one by one.
"""

from __future__ import annotations

from typing import Literal

from assets.metadata.source import ImageData

_FOTOSTATION_SIGNATURE = 0xA1B2C3D4
_FOTOSTATION_IPTC = 0x01
_PHOTOMECHANIC_SIGNATURE = b"cbipcbbl"
_MAX_TRAILERS = 64


def read_trailer_iptc(data: ImageData) -> tuple[list[bytes], list[str]]:
    """Return the IPTC IIM streams found in trailers (outermost last) and any warnings."""
    found: list[bytes] = []
    warnings: list[str] = []
    end = len(data)
    for _ in range(_MAX_TRAILERS):
        if end >= 12 and data[end - 12 : end - 9] == b"AXS" and data[end - 9] in b"!*":
            end = _read_afcp(data, end, found, warnings)
        elif end >= 10 and int.from_bytes(data[end - 4 : end], "big") == _FOTOSTATION_SIGNATURE:
            end = _read_fotostation(data, end, found, warnings)
        elif end >= 12 and data[end - 8 : end] == _PHOTOMECHANIC_SIGNATURE:
            size = int.from_bytes(data[end - 12 : end - 8], "big")
            end = end - 12 - size if 0 < size <= end - 12 else -1
        else:
            break
        if end < 0:
            break
    found.reverse()
    return found, warnings


def _read_fotostation(data: ImageData, end: int, found: list[bytes], warnings: list[str]) -> int:
    """Read one FotoStation record ending at `end`; return where the previous one ends."""
    tag = int.from_bytes(data[end - 10 : end - 8], "big")
    size = int.from_bytes(data[end - 8 : end - 4], "big")
    if size < 10 or size > end:
        warnings.append("FotoStation trailer has a bad record size; trailer skipped")
        return -1
    if tag == _FOTOSTATION_IPTC:
        found.append(data[end - size : end - 10])
    return end - size


def _read_afcp(data: ImageData, end: int, found: list[bytes], warnings: list[str]) -> int:
    """Read an AFCP trailer whose 12-byte footer ends at `end`; return where it starts."""
    order: Literal["big", "little"] = "big" if data[end - 9] == ord("!") else "little"
    start = int.from_bytes(data[end - 8 : end - 4], order)
    header = data[end - 12 : end - 8]
    fix = 0
    if start >= end - 12 or data[start : start + 4] != header:
        # A tool that edited the file before the trailer moved it without fixing its
        # absolute offsets; like ExifTool, find the header and shift every offset.
        located = data.rfind(header, 0, end - 12)
        if located < 0:
            warnings.append("AFCP trailer points outside the file; trailer skipped")
            return -1
        fix, start = located - start, located
    count = int.from_bytes(data[start + 6 : start + 8], order)
    directory = start + 12
    for index in range(count):
        entry = directory + 12 * index
        if entry + 12 > end:
            warnings.append("AFCP directory is truncated")
            break
        tag = data[entry : entry + 4]
        size = int.from_bytes(data[entry + 4 : entry + 8], order)
        offset = int.from_bytes(data[entry + 8 : entry + 12], order) + fix
        if offset < 0 or offset + size > end:
            warnings.append(f"AFCP entry {tag!r} runs past the trailer; skipped")
            continue
        if tag == b"IPTC":
            found.append(data[offset : offset + size])
    return start


def shift_afcp(data: bytearray, delta: int) -> None:
    """Move the absolute offsets of AFCP trailers by `delta` after bytes were inserted before.

    The writer calls this when it grows the JPEG header: FotoStation records are relative
    and need nothing, AFCP stores file offsets and would otherwise point into the scan.
    """
    end = len(data)
    for _ in range(_MAX_TRAILERS):
        if end >= 12 and data[end - 12 : end - 9] == b"AXS" and data[end - 9] in b"!*":
            order: Literal["big", "little"] = "big" if data[end - 9] == ord("!") else "little"
            start = int.from_bytes(data[end - 8 : end - 4], order) + delta
            if not 0 <= start < end - 12 or data[start : start + 3] != b"AXS":
                return
            data[end - 8 : end - 4] = start.to_bytes(4, order)
            count = int.from_bytes(data[start + 6 : start + 8], order)
            for index in range(count):
                at = start + 12 + 12 * index + 8
                if at + 4 > end:
                    break
                offset = int.from_bytes(data[at : at + 4], order) + delta
                data[at : at + 4] = max(offset, 0).to_bytes(4, order)
            end = start
        elif end >= 10 and int.from_bytes(data[end - 4 : end], "big") == _FOTOSTATION_SIGNATURE:
            size = int.from_bytes(data[end - 8 : end - 4], "big")
            if size < 10 or size > end:
                return
            end -= size
        else:
            return
