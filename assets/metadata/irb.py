"""Photoshop image resource blocks (IRB): the 8BIM container that carries IPTC in JPEG APP13.

Reading needs only the list of resources; the writer rebuilds the list with resource 0x0404
(IPTC-NAA) replaced and every other resource (thumbnails, paths, digests) kept as it was.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

PHOTOSHOP_HEADER = b"Photoshop 3.0\x00"
IPTC_RESOURCE = 0x0404
IPTC_DIGEST_RESOURCE = 0x0425
_SIGNATURES = (b"8BIM", b"MeSa", b"PHUT", b"AgHg", b"DCSR")
MAX_RESOURCES = 10_000  # Photoshop writes a few dozen


@dataclass(slots=True)
class Resource:
    """One image resource: its id, Pascal-string name (raw bytes) and data."""

    resource_id: int
    name: bytes
    data: bytes
    signature: bytes = b"8BIM"


def parse_resources(data: bytes) -> tuple[list[Resource], str | None]:
    """Split IRB bytes (without the "Photoshop 3.0" header) into resources.

    Returns the resources read and a warning when the list ends in damaged bytes.
    """
    resources: list[Resource] = []
    pos, end = 0, len(data)
    while pos + 12 <= end:
        if len(resources) >= MAX_RESOURCES:
            return resources, f"more than {MAX_RESOURCES} Photoshop resources; the rest skipped"
        signature = data[pos : pos + 4]
        if signature not in _SIGNATURES:
            if data.count(b"\x00", pos) != end - pos:  # anything but NUL padding left
                return resources, "Photoshop resources end in unrecognised bytes; rest skipped"
            break
        resource_id = int.from_bytes(data[pos + 4 : pos + 6], "big")
        name_len = data[pos + 6]
        name_field = name_len + 1 + ((name_len + 1) % 2)  # padded to an even size
        name = data[pos + 7 : pos + 7 + name_len]
        size_at = pos + 6 + name_field
        if size_at + 4 > end:
            return resources, "Photoshop resource header is truncated"
        (size,) = struct.unpack(">I", data[size_at : size_at + 4])
        start = size_at + 4
        if start + size > end:
            resources.append(Resource(resource_id, name, data[start:end], signature))
            return resources, f"Photoshop resource 0x{resource_id:04x} is truncated"
        resources.append(Resource(resource_id, name, data[start : start + size], signature))
        pos = start + size + (size % 2)
    return resources, None


def build_resources(resources: list[Resource]) -> bytes:
    """Serialise resources back into IRB bytes (even padding as Photoshop writes them)."""
    parts: list[bytes] = []
    for res in resources:
        name = res.name[:255]
        name_field = bytes([len(name)]) + name
        if len(name_field) % 2:
            name_field += b"\x00"
        data = res.data + (b"\x00" if len(res.data) % 2 else b"")
        parts.append(
            res.signature
            + res.resource_id.to_bytes(2, "big")
            + name_field
            + struct.pack(">I", len(res.data))
            + data
        )
    return b"".join(parts)


def with_iptc(resources: list[Resource], iptc: bytes) -> bytes:
    """IRB bytes with the IPTC resource replaced by `iptc` and its digest (0x0425) renewed.

    The digest is the MD5 of the IPTC block; a stale one makes Photoshop and ExifTool
    believe the IPTC was edited behind XMP's back and warn or prefer XMP.
    """
    kept = [r for r in resources if r.resource_id not in (IPTC_RESOURCE, IPTC_DIGEST_RESOURCE)]
    digest = hashlib.md5(iptc, usedforsecurity=False).digest()
    return build_resources(
        [*kept, Resource(IPTC_RESOURCE, b"", iptc), Resource(IPTC_DIGEST_RESOURCE, b"", digest)]
    )
