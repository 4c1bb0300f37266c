"""Turn a caption and a file's embedded metadata into one rights record.

Precedence for descriptive fields: the caption's reading first, then IPTC/XMP. Restrictions
are the union of every origin (caption, IPTC special instructions, XMP usage terms), each
keeping where it was read: a silent block never relaxes what another block says.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from assets.metadata import EmbeddedMetadata
from captions import ParsedCaption, agency_profile, parse_caption
from rights import (
    Origin,
    Restriction,
    RightsRecord,
    record_from_dict,
    record_to_dict,
    restriction_to_dict,
)


def read_rights(caption: str | None, embedded: EmbeddedMetadata) -> RightsRecord:
    """The rights record for an image with this caption and these embedded fields."""
    parsed = parse_caption(caption) if caption else ParsedCaption()
    credit_reading = parse_caption(embedded.credit) if embedded.credit else ParsedCaption()
    restrictions = list(parsed.restrictions)
    unrecognised = list(parsed.unrecognised)
    for text, origin in _instruction_texts(embedded):
        reading = parse_caption(text)
        for restriction in reading.restrictions:
            _add_or_corroborate(restrictions, _with_origin(restriction, origin))
        unrecognised += [u for u in reading.unrecognised if u not in unrecognised]
    agency = parsed.agency or credit_reading.agency
    profile = agency_profile(agency) if agency else None
    embargoes = [r.embargo_until for r in restrictions if r.embargo_until is not None]
    return RightsRecord(
        agency=agency,
        agency_ref=parsed.agency_ref or embedded.job_id or None,
        credit_line=parsed.credit_line or embedded.credit,
        source=parsed.source or embedded.source or credit_reading.source,
        byline=parsed.byline or embedded.byline,
        copyright=embedded.copyright,
        handout=parsed.handout,
        pool=parsed.pool,
        date=_iso(parsed.date) or (embedded.date_created or "")[:10] or None,
        place=parsed.place or _place(embedded),
        restrictions=tuple(restrictions),
        embargo_until=max(embargoes) if embargoes else None,
        parser_version=parsed.parser_version,
        kill_notice=parsed.kill,
        unrecognised=tuple(unrecognised),
        territories=parsed.territories,
        archive_retention_days=profile.archive_retention_days if profile else None,
    )


def record_to_json(record: RightsRecord) -> dict[str, Any]:
    """The record as stored in the catalogue's JSON column."""
    return record_to_dict(record)


def record_from_json(data: dict[str, Any]) -> RightsRecord:
    return record_from_dict(data)


def _instruction_texts(embedded: EmbeddedMetadata) -> list[tuple[str, Origin]]:
    """Every block's rights statement (IPTC 2:40, XMP Instructions and UsageTerms) with its origin.

    Each block is read, not only the one that wins the field: a block that says less never
    hides what another block says.
    """
    texts: list[tuple[str, Origin]] = []
    for field_name in ("special_instructions", "usage_terms"):
        for origin, text in embedded.by_origin.get(field_name, {}).items():
            if (text, Origin(origin)) not in texts:
                texts.append((text, Origin(origin)))
    return texts


def _add_or_corroborate(restrictions: list[Restriction], new: Restriction) -> None:
    """The same phrase read in another block adds evidence; a different phrase is kept apart."""
    for index, known in enumerate(restrictions):
        if known.code == new.code and known.text.casefold() == new.text.casefold():
            evidence = known.all_evidence() + new.all_evidence()
            restrictions[index] = dataclasses.replace(known, evidence=evidence)
            return
    restrictions.append(new)


def _with_origin(restriction: Restriction, origin: Origin) -> Restriction:
    evidence = tuple(dataclasses.replace(e, origin=origin) for e in restriction.evidence)
    return dataclasses.replace(restriction, origin=origin, evidence=evidence)


def _iso(value: object) -> str | None:
    if value is None:
        return None
    isoformat = getattr(value, "isoformat", None)
    return str(isoformat()) if callable(isoformat) else str(value)


def _place(embedded: EmbeddedMetadata) -> str | None:
    parts = [p for p in (embedded.city, embedded.country) if p]
    return ", ".join(parts) or None


def parsed_caption_to_json(parsed: ParsedCaption) -> dict[str, Any]:
    """The parse result as JSON: every attribute, restrictions in the rights wire format."""
    fields = {name: getattr(parsed, name) for name in ParsedCaption.__dataclass_fields__}
    return {
        **fields,
        "date": _iso(parsed.date),
        "restrictions": [restriction_to_dict(r) for r in parsed.restrictions],
        "embargo_until": _iso(parsed.embargo_until),
        "territories": list(parsed.territories),
        "unrecognised": list(parsed.unrecognised),
    }
