"""A sidecar only adds: whatever it says, every restriction the file's own metadata carries is
still in the record, and every restriction the sidecar brings says it came from the sidecar."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assets.feeds.delivery import add_sidecar
from assets.feeds.sidecar import Sidecar
from assets.metadata import BlockValues, EmbeddedMetadata
from assets.rights_reading import read_rights

PHRASES = [
    "EDITORIAL USE ONLY",
    "NO SALES",
    "NO ARCHIVES",
    "NO MARKETING",
    "MANDATORY CREDIT",
    "NO RESALES",
    "",
    "Free for all uses",
    "All restrictions lifted",
    "usable",
]
texts = st.lists(st.sampled_from(PHRASES), max_size=3).map(" / ".join)


def embedded_with(caption: str, instructions: str) -> EmbeddedMetadata:
    meta = EmbeddedMetadata(caption=caption or None, special_instructions=instructions or None)
    block = BlockValues("iptc", where="app13")
    block.add("caption", caption)
    block.add("special_instructions", instructions)
    meta.blocks = [block] if block.fields else []
    return meta


def codes(record: object) -> set[str]:
    return {str(r.code) for r in record.restrictions}  # type: ignore[attr-defined]


@settings(max_examples=200, deadline=None)
@given(texts, texts, texts, texts, texts)
def test_a_sidecar_never_lifts_a_restriction_of_the_file(
    caption: str, instructions: str, description: str, terms: str, ednote: str
):
    alone = read_rights(caption or None, embedded_with(caption, instructions))
    meta = embedded_with(caption, instructions)
    sidecar = Sidecar(
        standard="ninjs",
        description=description or None,
        usage_terms=[terms] if terms else [],
        ednote=ednote or None,
    )
    add_sidecar(meta, sidecar)
    merged = read_rights(sidecar.description or caption or None, meta)
    assert codes(alone) <= codes(merged)
    elsewhere = codes(alone) | codes(read_rights(description or None, EmbeddedMetadata()))
    elsewhere |= codes(read_rights(ednote or None, EmbeddedMetadata()))
    for restriction in merged.restrictions:
        if str(restriction.code) not in elsewhere:  # stated by the sidecar's usage terms only
            assert str(restriction.origin) == "sidecar"
