"""Turn a caption and a file's embedded metadata into one rights record.

Precedence for descriptive fields: the caption's reading first, then IPTC/XMP. Restrictions
are the union of every origin: the caption, and every block's own caption, special
instructions, usage terms, credit, source and copyright (each keeping where it was read), so
a silent or losing block never relaxes what another block says. Blocks that may state rights
but could not be read go on the record as `unreadable_blocks`.

Re-reading (a caption edit, a newer parser, a stored file read again) never loses a
restriction: every restriction with a code that the previous record held and the new reading
does not is carried over, so a restriction set only grows until a rights manager lifts it
explicitly with a lease. OTHER (text nobody could classify) is read again from the caption and
every stored block each time, so a parser that learns a phrase can clear a false review; it is
carried over only when the blocks' own values are unknown (a row stored before they were kept).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from assets.field_restrictions import field_restrictions
from assets.metadata import BlockValues, EmbeddedMetadata
from assets.metadata import UnreadableBlock as BlockProblem
from assets.supplier_keys import with_supplier_keys
from captions import ParsedCaption, agency_profile, parse_caption
from captions.embedded import EmbeddedCredit, with_embedded
from rights import (
    Code,
    Evidence,
    Origin,
    Restriction,
    RightsRecord,
    UnreadableBlock,
    record_from_dict,
    record_to_dict,
    restriction_to_dict,
)

# Fields whose restriction-like text nobody can classify (unrecognised text, OTHER) sends a
# check to review. The others (credit, source, copyright) are read for the restrictions the
# lexicon names only: they hold names ("KCNA", "KODAK DC240 ZOOM DIGITAL CAMERA"), and an
# upper-case name is not an instruction.
_INSTRUCTION_FIELDS = frozenset({"caption", "special_instructions", "usage_terms"})


def read_rights(
    caption: str | None,
    embedded: EmbeddedMetadata,
    previous: RightsRecord | None = None,
    blocks_known: bool = True,
) -> RightsRecord:
    """The rights record for an image with this caption and these embedded fields.

    `previous` is the record this reading replaces: its restrictions that this reading does
    not find again are kept (without offsets, which pointed into text that may be gone).
    `blocks_known` False says `embedded` lacks each block's own values (an old row whose file
    could not be read again): then even the unclassified (OTHER) restrictions are kept.
    """
    parsed = with_embedded(
        parse_caption(caption) if caption else ParsedCaption(),
        EmbeddedCredit(embedded.credit, embedded.source, embedded.byline),
    )
    restrictions = list(parsed.restrictions)
    unrecognised = list(parsed.unrecognised)
    kill_notice = parsed.kill
    texts_read = [caption] if caption else []
    readings: dict[str, ParsedCaption] = {}
    for text, origin, field_name in _block_texts(embedded):
        texts_read.append(text)
        if field_name == "caption" and caption and text.strip() == caption.strip():
            continue  # the caption itself, already read
        reading = readings.get(text)
        if reading is None:
            reading = readings[text] = parse_caption(text)
        for restriction in reading.restrictions:
            if restriction.code == Code.OTHER and field_name not in _INSTRUCTION_FIELDS:
                continue
            _add_or_corroborate(restrictions, _with_origin(restriction, origin))
        if field_name in _INSTRUCTION_FIELDS:
            unrecognised += [u for u in reading.unrecognised if u not in unrecognised]
            # an agency's kill notice is a kill notice in whichever instruction it travels
            kill_notice = kill_notice or reading.kill
    for restriction in field_restrictions(embedded.licensing, embedded.provenance):
        _add_or_corroborate(restrictions, restriction)
    if previous is not None:
        gone = _no_longer_read(texts_read, keep_all=not blocks_known)
        _carry_over(restrictions, previous.restrictions, gone)
        unrecognised += [u for u in previous.unrecognised if u not in unrecognised and gone(u)]
    agency = parsed.agency
    profile = agency_profile(agency) if agency else None
    embargoes = [r.embargo_until for r in restrictions if r.embargo_until is not None]
    record = RightsRecord(
        agency=agency,
        agency_ref=parsed.agency_ref or embedded.job_id or None,
        credit_line=parsed.credit_line,
        source=parsed.source,
        byline=parsed.byline,
        copyright=embedded.copyright,
        handout=parsed.handout,
        pool=parsed.pool,
        date=_iso(parsed.date) or (embedded.date_created or "")[:10] or None,
        place=parsed.place or _place(embedded),
        restrictions=tuple(restrictions),
        embargo_until=max(embargoes) if embargoes else None,
        parser_version=parsed.parser_version,
        kill_notice=kill_notice,
        unrecognised=tuple(unrecognised),
        territories=parsed.territories,
        archive_retention_days=profile.archive_retention_days if profile else None,
        unreadable_blocks=_unreadable(embedded, previous),
    )
    return with_supplier_keys(record)


def record_to_json(record: RightsRecord) -> dict[str, Any]:
    """The record as stored in the catalogue's JSON column."""
    return record_to_dict(record)


def record_from_json(data: dict[str, Any]) -> RightsRecord:
    """A stored record, with its supplier keys (derived, so never stored) computed afresh."""
    return with_supplier_keys(record_from_dict(data))


def _block_texts(embedded: EmbeddedMetadata) -> list[tuple[str, Origin, str]]:
    """Every block's rights-bearing texts with the block's origin and the field they fill.

    Each block is read, not only the one that wins the field: a block that says less never
    hides what another block says. A reading that kept no per-block values (built by hand)
    falls back to the winners of each origin (`by_origin`).
    """
    texts: list[tuple[str, Origin, str]] = []
    if embedded.blocks:
        sources = [
            (b.origin, name, t)
            for b in embedded.blocks
            for name, ts in b.fields.items()
            for t in ts
        ]
    else:
        sources = [
            (origin, name, text)
            for name, values in embedded.by_origin.items()
            for origin, text in values.items()
        ]
    for origin, field_name, text in sources:
        entry = (text, _origin(origin), field_name)
        if text and entry not in texts:
            texts.append(entry)
    return texts


def _origin(name: str) -> Origin:
    """The Origin of a block kind; a kind this version does not know counts as the file's."""
    try:
        return Origin(name)
    except ValueError:
        return Origin.FILE


def _unreadable(
    embedded: EmbeddedMetadata, previous: RightsRecord | None
) -> tuple[UnreadableBlock, ...]:
    """The blocks that could not be read, and those an earlier reading could not read.

    The file never changes, so an earlier reading's unreadable blocks are still unread:
    only a rights manager's lease lifts what they mean for a check.
    """
    found = [UnreadableBlock(_origin(p.block), p.warning) for p in embedded.unreadable]
    earlier = list(previous.unreadable_blocks) if previous is not None else []
    return tuple(dict.fromkeys(earlier + found))


def _meaning(restriction: Restriction) -> tuple[object, ...]:
    """What a restriction forbids, whatever its wording: two alike need not both be kept."""
    return (
        restriction.code,
        restriction.text.casefold() if restriction.code == Code.OTHER else "",
        tuple(sorted(restriction.countries_excluded)),
        tuple(sorted(restriction.countries_included)),
        restriction.embargo_until,
        restriction.expires_at,
    )


def _no_longer_read(texts: list[str], keep_all: bool) -> Callable[[str], bool]:
    """Whether a phrase an earlier reading found is in none of the texts read now.

    Unclassified text (OTHER, unrecognised) found again is left to the new reading: a parser
    that knows more may clear a false review. Text that is gone (an editor cut it from the
    caption) is not cleared by its absence: it is carried over, like every coded restriction,
    until a rights manager lifts it with a lease. `keep_all` (the blocks' own values unknown)
    carries everything over."""
    folded = [t.casefold() for t in texts]

    def gone(phrase: str) -> bool:
        needle = phrase.casefold()
        return keep_all or not any(needle in text for text in folded)

    return gone


def _carry_over(
    restrictions: list[Restriction], earlier: tuple[Restriction, ...], gone: Callable[[str], bool]
) -> None:
    """Keep every earlier restriction the new reading does not state again (OTHER only when
    its phrase is `gone`: otherwise it was read again from the same text, by a parser that
    knows more). A policy's OTHER is always kept: its phrase is the policy's own words, not
    text this reading reads again, so finding them in a caption says nothing about it."""
    known = {_meaning(r) for r in restrictions}
    for old in earlier:
        reread = old.code == Code.OTHER and old.origin != Origin.POLICY and not gone(old.text)
        if _meaning(old) in known or reread:
            continue
        known.add(_meaning(old))
        evidence = tuple(Evidence(e.text, e.origin) for e in old.all_evidence())
        restrictions.append(dataclasses.replace(old, start=None, end=None, evidence=evidence))


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


def blocks_to_json(embedded: EmbeddedMetadata) -> dict[str, Any]:
    """Each block's own rights fields and the blocks that could not be read, as stored.

    Stored with the asset (column `embedded_blocks`), so that every later reading of its
    rights sees every block again without the file.
    """
    return {
        "blocks": [
            {"origin": b.origin, "where": b.where, "fields": b.fields} for b in embedded.blocks
        ],
        "unreadable": [{"block": u.block, "warning": u.warning} for u in embedded.unreadable],
    }


def blocks_from_json(embedded: EmbeddedMetadata, stored: dict[str, Any]) -> None:
    """Put the stored per-block values back into `embedded` (the inverse of blocks_to_json)."""
    embedded.blocks = [
        BlockValues(
            origin=str(b.get("origin") or "file"),
            where=str(b.get("where") or ""),
            fields={
                str(name): [str(t) for t in texts if isinstance(t, str)]
                for name, texts in (b.get("fields") or {}).items()
                if isinstance(texts, list)
            },
        )
        for b in stored.get("blocks") or []
        if isinstance(b, dict)
    ]
    embedded.unreadable = [
        BlockProblem(str(u.get("block") or "file"), str(u.get("warning") or ""))
        for u in stored.get("unreadable") or []
        if isinstance(u, dict)
    ]
