"""Find a C2PA manifest store (JUMBF) in a file: JPEG APP11, PNG caBX, WebP C2PA, ISO BMFF uuid.

Presence is what the policy needs: a manifest says the file carries a provenance claim, and the
claim may declare the picture AI-generated. From the manifest bytes we read, without a CBOR
library, the claim generator (C2PA 1.x `claim_generator`, 2.x `claim_generator_info` name) and
every IPTC digital source type URI its assertions declare. The signature and the hash binding
are not verified: `verified` is always False, and nothing here ever loosens a decision.
Only container headers are walked, within the same bounds as every other block.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any

from assets.metadata import sniff
from assets.metadata.blocks import MAX_BLOCK_BYTES, Blocks
from assets.metadata.isobmff import _boxes
from assets.metadata.source import ImageData

C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
C2PA_LABEL = b"c2pa"
MAX_SOURCE_TYPES = 64
SOURCE_TYPE_IRI = b"http://cv.iptc.org/newscodes/digitalsourcetype/"
_END = rb"/?(?![A-Za-z0-9/._~%?#:-])"  # the code is the whole rest of the URI
_SOURCE_TYPE = re.compile(
    re.escape(SOURCE_TYPE_IRI)
    + rb"([A-Za-z]{1,64})"
    + _END
    + rb"|"
    + re.escape(b"https://cv.iptc.org/newscodes/digitalsourcetype/")
    + rb"([A-Za-z]{1,64})"
    + _END
)
_SOURCE_TYPE_KEY = re.compile(rb"(?i)digitalsourcetype")
_KEY_TO_VALUE = 16
"""Bytes between a `digitalSourceType` key and its value: a CBOR or JSON string's header."""
_COMPRESSED = b"brob"
"""A Brotli-compressed JUMBF box (C2PA 2.x): what its assertions declare cannot be read."""
UNREADABLE_SOURCE_TYPE = "(a digital source type that could not be read)"


def find_manifest(blocks: Blocks, data: ImageData, media_type: str) -> dict[str, Any] | None:
    """The C2PA manifest store of the file as {"where", "bytes", "claim_generator",
    "digital_source_types", "verified"}, or None when the file carries none.

    JPEG, PNG and WebP stores were cut out by the container walk (`blocks.jumbf`); HEIF's is a
    top-level uuid box.
    """
    found = _store(blocks, data, media_type)
    if found is None:
        return None
    where, store = found
    return {
        "where": where,
        "bytes": len(store),
        "claim_generator": claim_generator(store),
        "digital_source_types": source_types(store),
        "verified": False,
    }


def _store(blocks: Blocks, data: ImageData, media_type: str) -> tuple[str, bytes] | None:
    if media_type == sniff.JPEG:
        return jpeg_store(blocks.jumbf)
    if blocks.jumbf:
        store = blocks.jumbf[0]
        return (blocks.jumbf_where, store) if store[4:8] == b"jumb" else None
    if media_type in (sniff.HEIF, sniff.HEIC):
        for kind, payload, end in _boxes(data, 0, len(data)):
            if kind == b"uuid" and data[payload : payload + 16] == C2PA_UUID:
                body = bytes(data[payload + 16 : min(end, payload + 16 + MAX_BLOCK_BYTES)])
                found = _bmff_store(body)
                return ("ISO BMFF uuid box", found) if found is not None else None
    return None


def _bmff_store(body: bytes) -> bytes | None:
    """The JUMBF of a C2PA uuid box: after version and flags (4), a NUL-ended purpose and, for
    the "manifest" purpose, an 8-byte offset. Other purposes (Merkle data) hold no store."""
    end = body.find(b"\x00", 4, 64)
    if end < 0 or body[4:end] != b"manifest":
        return None
    store = body[end + 1 + 8 :]
    return store if store[4:8] == b"jumb" else None


def jpeg_store(payloads: list[bytes]) -> tuple[str, bytes] | None:
    """Reassemble the JUMBF of APP11 segments (CI "JP", box instance, sequence number)."""
    parts: list[bytes] = []
    for payload in payloads:
        if len(payload) < 16:
            continue
        body = payload[8:]  # CI (2), En (2), Z (4)
        parts.append(body if not parts else body[8:])  # later segments repeat LBox/TBox
    store = b"".join(parts)
    if store[4:8] == b"jumb" and C2PA_LABEL in store[:256]:
        return "JPEG APP11 JUMBF", store
    return None


def claim_generator(store: bytes) -> str | None:
    """The active claim's generator: the last claim in the store (ingredients come first).

    C2PA 1.x writes `claim_generator` as text; 2.x `claim_generator_info`, a list of maps
    whose first `name` is read.
    """
    index = store.rfind(b"\x6fclaim_generator")  # CBOR text key of 15 bytes
    if index >= 0:
        text = _cbor_text(store, index + 16)
        if text:
            return text
    index = store.rfind(b"claim_generator_info")
    if index >= 0:
        name = store.find(b"dname", index, index + 512)  # CBOR text "name": 0x64 'name'
        if name >= 0:
            return _cbor_text(store, name + 5)
    return None


def _cbor_text(store: bytes, pos: int) -> str | None:
    """A CBOR text string (major type 3) at `pos`, short or with a 1- or 2-byte length."""
    if pos >= len(store):
        return None
    head = store[pos]
    if 0x60 <= head <= 0x77:
        size, start = head - 0x60, pos + 1
    elif head == 0x78 and pos + 1 < len(store):
        size, start = store[pos + 1], pos + 2
    elif head == 0x79 and pos + 2 < len(store):
        size, start = int.from_bytes(store[pos + 1 : pos + 3], "big"), pos + 3
    else:
        return None
    raw = store[start : start + min(size, 512)]
    text = raw.decode("utf-8", errors="replace").strip()
    return text or None


def source_types(store: bytes) -> list[str]:
    """Every IPTC digital source type URI the manifest's assertions name, in order.

    A `digitalSourceType` key whose value is not such a URI (escaped, another scheme, a URI
    with more after the code), a compressed box and a store shorter than its own length are
    `UNREADABLE_SOURCE_TYPE`: what they declare is unknown, so not proof of a camera capture."""
    found: list[str] = []
    values: list[tuple[int, int]] = []
    for match in _SOURCE_TYPE.finditer(store):
        values.append(match.span())
        name = (match.group(1) or match.group(2)).decode("ascii")
        uri = SOURCE_TYPE_IRI.decode("ascii") + name
        if uri not in found:
            found.append(uri)
            if len(found) > MAX_SOURCE_TYPES:
                return found  # the vocabulary has a few dozen codes; more is noise or an attack
    starts = [start for start, _ in values]  # in order, so each key is placed by bisection
    for key in _SOURCE_TYPE_KEY.finditer(store):
        before = bisect_right(starts, key.start()) - 1
        inside = before >= 0 and key.start() < values[before][1]
        after = bisect_left(starts, key.end())
        followed = after < len(starts) and starts[after] <= key.end() + _KEY_TO_VALUE
        if not inside and not followed:
            found.append(UNREADABLE_SOURCE_TYPE)
            break
    truncated = int.from_bytes(store[:4], "big") > len(store)  # the superbox's own length
    if (truncated or _COMPRESSED in store) and UNREADABLE_SOURCE_TYPE not in found:
        found.append(UNREADABLE_SOURCE_TYPE)
    return found
