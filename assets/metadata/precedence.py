"""Which block wins for each normalised field: IPTC, then XMP, then EXIF.

This is the order picture desks and the issue's caption rule use (IPTC 2:120 > XMP
dc:description > EXIF ImageDescription): IPTC is what wire services fill first and what
desk tools edit. Blank values do not count, so an empty IPTC caption lets XMP speak.
IPTC found in APP13/TIFF comes before IPTC found in a trailer.
"""

from __future__ import annotations

from collections.abc import Iterable

from assets.metadata.dates import exif_date, iptc_date, xmp_date
from assets.metadata.exif import ExifData
from assets.metadata.iptc import IptcData
from assets.metadata.model import RIGHTS_FIELDS, BlockValues, EmbeddedMetadata, UnreadableBlock
from assets.metadata.xmp import DC, PHOTOSHOP, XMP_RIGHTS, PropertyValue, XmpData, as_list

# field -> (IPTC dataset, XMP (namespace, name), exifread tag)
TEXT_SOURCES: dict[str, tuple[str | None, tuple[str, str] | None, str | None]] = {
    "caption": ("Caption-Abstract", (DC, "description"), "Image ImageDescription"),
    "headline": ("Headline", (PHOTOSHOP, "Headline"), None),
    "object_name": ("ObjectName", (DC, "title"), None),
    "byline": ("By-line", (DC, "creator"), "Image Artist"),
    "credit": ("Credit", (PHOTOSHOP, "Credit"), None),
    "source": ("Source", (PHOTOSHOP, "Source"), None),
    "copyright": ("CopyrightNotice", (DC, "rights"), "Image Copyright"),
    "special_instructions": ("SpecialInstructions", (PHOTOSHOP, "Instructions"), None),
    "usage_terms": (None, (XMP_RIGHTS, "UsageTerms"), None),
    "city": ("City", (PHOTOSHOP, "City"), None),
    "country": ("Country-PrimaryLocationName", (PHOTOSHOP, "Country"), None),
    "job_id": ("OriginalTransmissionReference", (PHOTOSHOP, "TransmissionReference"), None),
}


def clean(value: object) -> str | None:
    """Strip surrounding whitespace and NUL padding; blank means absent."""
    if not isinstance(value, str):
        return None
    value = value.strip(" \t\r\n\x00")
    return value or None


def _iptc_text(blocks: Iterable[IptcData], name: str) -> str | None:
    """A dataset's text from the first IPTC block that has it; repeats joined with "; "."""
    for block in blocks:
        items = [c for c in (clean(v) for v in block.values.get(name, [])) if c]
        if items:
            return "; ".join(items)
    return None


def apply_precedence(
    meta: EmbeddedMetadata,
    iptc: list[IptcData],
    xmp: XmpData | None,
    exif: ExifData | None,
) -> None:
    """Fill the normalised fields of `meta` from the decoded blocks."""
    for field_name, (dataset, xmp_key, exif_tag) in TEXT_SOURCES.items():
        found = {
            "iptc": _iptc_text(iptc, dataset) if dataset else None,
            "xmp": clean(xmp.text(*xmp_key)) if xmp is not None and xmp_key else None,
            "exif": clean(exif.text(exif_tag)) if exif is not None and exif_tag else None,
        }
        present = {origin: value for origin, value in found.items() if value is not None}
        setattr(meta, field_name, next(iter(present.values()), None))
        if present:
            meta.by_origin[field_name] = present

    keywords: list[str] = []
    for block in iptc:
        keywords = [c for c in (clean(v) for v in block.values.get("Keywords", [])) if c]
        if keywords:
            break
    if not keywords and xmp is not None:
        keywords = [c for c in (clean(v) for v in as_list(xmp.get(DC, "subject"))) if c]
    meta.keywords = keywords

    date = None
    for block in iptc:
        date = iptc_date(block.first("DateCreated"), block.first("TimeCreated"))
        if date:
            break
    if date is None and xmp is not None:
        date = xmp_date(xmp.text(PHOTOSHOP, "DateCreated"))
    if date is None and exif is not None:
        date = exif_date(exif.text("EXIF DateTimeOriginal"))
    meta.date_created = date


# Bounds that keep a hostile file (thousands of IPTC resources, each with its own caption)
# from costing seconds of caption parsing: beyond them the blocks are not read for rights,
# and say so (an unreadable block: every use but editorial is reviewed).
MAX_RIGHTS_BLOCKS = 32
MAX_RIGHTS_TEXT = 1024 * 1024
MAX_REPEATS = 64  # texts of one XMP property: its repeats, the languages of a lang-alt


def block_values(
    iptc: list[tuple[str, IptcData]],
    xmp: list[XmpData],
    exif: list[ExifData],
) -> tuple[list[BlockValues], list[UnreadableBlock]]:
    """Each block's own rights fields (RIGHTS_FIELDS), every block of every kind, in file order,
    and the blocks left unread for being beyond the bounds above.

    Precedence picks one value per field; rights must not. A restriction stated only by the
    block that loses (an XMP UsageTerms beside an IPTC block, a second language of a lang-alt,
    a second XMP packet, a repeated property) is still a restriction. `iptc` pairs each
    stream with where it was found (app13, trailer...).
    """
    out: list[BlockValues] = []
    lost: list[UnreadableBlock] = []
    for index, (where, stream) in enumerate(iptc):
        values = BlockValues("iptc", where=f"{where} {index + 1}" if len(iptc) > 1 else where)
        for name in RIGHTS_FIELDS:
            dataset = TEXT_SOURCES[name][0]
            if dataset:
                items = [c for c in (clean(v) for v in stream.values.get(dataset, [])) if c]
                values.add(name, "; ".join(items) if items else None)
        out.append(values)
    for index, packet in enumerate(xmp):
        values = BlockValues("xmp", where=f"packet {index + 1}" if len(xmp) > 1 else "")
        for name in RIGHTS_FIELDS:
            key = TEXT_SOURCES[name][1]
            if key:
                texts = [t for v in packet.every(*key) for t in _every_text(v)]
                # text the data model's reading dropped (odd or hostile forms) is read too
                texts += [
                    t
                    for t in dict.fromkeys(packet.inner_texts.get(key, ()))
                    if not any(t in kept for kept in texts)
                ]
                if len(texts) > MAX_REPEATS:
                    lost.append(
                        UnreadableBlock(
                            "xmp", f"XMP states {name} more than {MAX_REPEATS} times; rest not read"
                        )
                    )
                for text in texts[:MAX_REPEATS]:
                    values.add(name, text)
        out.append(values)
    for index, block in enumerate(exif):
        values = BlockValues("exif", where=f"block {index + 1}" if len(exif) > 1 else "")
        for name in RIGHTS_FIELDS:
            tag = TEXT_SOURCES[name][2]
            if tag:
                values.add(name, clean(block.text(tag)))
        out.append(values)
    return _within_bounds([b for b in out if b.fields], lost)


def _within_bounds(
    blocks: list[BlockValues], lost: list[UnreadableBlock]
) -> tuple[list[BlockValues], list[UnreadableBlock]]:
    kept: list[BlockValues] = []
    budget = MAX_RIGHTS_TEXT
    for block in blocks:
        size = sum(len(t) for texts in block.fields.values() for t in texts)
        if len(kept) >= MAX_RIGHTS_BLOCKS or size > budget:
            if not any(u.block == block.origin for u in lost):
                lost.append(
                    UnreadableBlock(
                        block.origin,
                        f"more than {MAX_RIGHTS_BLOCKS} blocks or {MAX_RIGHTS_TEXT >> 20} MB of"
                        f" rights text; {block.origin.upper()} beyond that was not read for rights",
                    )
                )
            continue
        budget -= size
        kept.append(block)
    return kept, lost


def _every_text(value: PropertyValue) -> list[str]:
    """Every text of an XMP value: each language of a lang-alt, a list's items joined."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [v for k, v in value.items() if isinstance(v, str) and ":" not in k]
    items = [v for v in value if isinstance(v, str)]
    return ["; ".join(items)] if items else []
