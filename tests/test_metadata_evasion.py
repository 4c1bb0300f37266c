"""Evasion suite for embedded metadata: a restriction written into any block is never `allow`.

For every restriction phrase of every lexicon language, the phrase is written into one block
of a real JPEG, TIFF, PNG or WebP (IPTC 2:40 and 2:120, XMP UsageTerms in x-default or in a
second language only, photoshop:Instructions stated twice with the clean value last,
dc:description, EXIF ImageDescription), while other blocks are damaged (XMP with a DTD or not
well-formed, IPTC cut short, EXIF IFD0 lost) or a clean block of the same kind comes first.
The check for every use the phrase forbids must then never be `allow`: at upload, after the
caption is edited (from the stored per-block values alone, no carried restriction), and for a
row stored without per-block values (carried restrictions alone). The HTTP part drives random
forms through upload and every edit path against the real catalogue.

`python -m pytest tests/test_metadata_evasion.py -q -s` prints how many forms were tried.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.captioning import embedded_of
from assets.ingest import _embedded_json
from assets.metadata import EmbeddedMetadata, read_embedded
from assets.rights_reading import blocks_to_json, read_rights
from assets.tables import Asset
from captions import parse_caption
from rights import Outcome, Purpose, RightsRecord, Use, evaluate
from tests.rights_builders import T0
from tests.rights_files import (
    CLEAN_CAPTION,
    CONTAINERS,
    DAMAGE,
    TARGETS,
    FileSpec,
    build,
    fits,
    lexicon_phrases,
    statement,
)
from tests.test_rights_edit_paths import EDITS, decision, upload

EDITED_CAPTION = "Crowds."


@cache
def forbidden(text: str) -> frozenset[Purpose]:
    """The purposes the restrictions read from `text` alone deny."""
    found = parse_caption(text).restrictions
    if not found:
        return frozenset()
    record = RightsRecord(agency="Reuters", restrictions=found, ingested_at=T0)
    return frozenset(
        p for p in Purpose if evaluate(record, Use(p), now=T0).decision is Outcome.DENY
    )


def allowed_anyway(record: RightsRecord, purposes: frozenset[Purpose]) -> list[Purpose]:
    """The forbidden purposes the record would allow: must stay empty."""
    record = replace(record, ingested_at=T0)
    return [p for p in purposes if evaluate(record, Use(p), now=T0).decision is Outcome.ALLOW]


@dataclass(frozen=True)
class Form:
    language: str
    phrase: str
    container: str
    target: str
    damage: str
    caption: str | None

    @property
    def text(self) -> str:
        return statement(self.target, self.phrase)


def every_form() -> Iterator[Form]:
    """Every phrase in every block; containers, damage and captions turn with each form."""
    damages = list(DAMAGE)
    index = 0
    for language, phrase in lexicon_phrases():
        for target in TARGETS:
            container = CONTAINERS[index % len(CONTAINERS)]
            damage = damages[index % len(damages)]
            if not fits(container, target, damage):
                damage = "none"
            if not fits(container, target, damage):
                container = "jpeg"
            caption = (None, CLEAN_CAPTION)[index % 2]
            index += 1
            yield Form(language, phrase, container, target, damage, caption)


def stored_and_read_back(embedded: EmbeddedMetadata, caption: str | None) -> Asset:
    """The asset row as the catalogue keeps it, through JSON as the database does."""
    return Asset(
        sha256="0" * 64,
        media_type=embedded.media_type or "image/jpeg",
        bytes=1,
        caption=caption,
        embedded=json.loads(json.dumps(_embedded_json(embedded))),
        embedded_blocks=json.loads(json.dumps(blocks_to_json(embedded))),
    )


def test_a_restriction_in_any_block_of_any_file_is_never_allowed():
    tried = credits = 0
    failures: list[tuple[Form, str, object]] = []
    for form in every_form():
        purposes = forbidden(form.text)
        codes = {r.code for r in parse_caption(form.text).restrictions}
        assert codes, form  # every lexicon phrase is read, alone or after a credit
        credits += not purposes  # MANDATORY CREDIT forbids nothing: its code is checked
        data = build(FileSpec(form.container, form.target, form.text, form.damage, seed=tried))
        embedded = read_embedded(data)
        caption = form.caption or embedded.caption
        at_upload = read_rights(caption, embedded)
        asset = stored_and_read_back(embedded, caption)
        edited = read_rights(EDITED_CAPTION, embedded_of(asset))  # per-block values alone
        asset.embedded_blocks = None
        old_row = read_rights(
            EDITED_CAPTION, embedded_of(asset), previous=at_upload, blocks_known=False
        )
        for path, record in (("upload", at_upload), ("edit", edited), ("old row", old_row)):
            wrong = allowed_anyway(record, purposes)
            if wrong:
                failures.append((form, path, wrong))
            lost = codes - {r.code for r in record.restrictions}
            if lost and not record.unreadable_blocks:
                failures.append((form, path, lost))
        tried += 1
    print(
        f"\nmetadata evasion: {tried} forms x 3 edit paths"
        f" ({credits} of them credit obligations, checked by code)"
    )
    assert not failures, failures[:5]
    assert tried >= 3000


FORMS = st.builds(
    Form,
    language=st.just(""),
    phrase=st.sampled_from([p for _, p in lexicon_phrases()]),
    container=st.sampled_from(CONTAINERS),
    target=st.sampled_from(TARGETS),
    damage=st.sampled_from(DAMAGE),
    caption=st.sampled_from((None, CLEAN_CAPTION, f"{CLEAN_CAPTION} NO MARKETING")),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=FORMS, edits=st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=3))
def test_through_the_api_no_edit_path_allows_a_use_the_file_forbids(client, runtime, form, edits):
    purposes = forbidden(form.text)
    if not purposes:
        return
    damage = form.damage if fits(form.container, form.target, form.damage) else "none"
    container = form.container if fits(form.container, form.target, damage) else "jpeg"
    seed = abs(hash((form, damage, container))) % 60_000 + 1
    data = build(FileSpec(container, form.target, form.text, damage, seed=seed))
    asset = upload(client, data, form.caption)
    for step in ("upload", *edits):
        if step != "upload":
            EDITS[step](client, runtime, asset["id"])
        for purpose in purposes:
            assert decision(client, asset["id"], purpose) != "allow", (step, purpose, form)


def test_a_restriction_in_another_script_survives_every_container_and_block():
    """Every container and block keeps letters beyond ASCII: a file whose "?" replaced them
    would forbid nothing, and the tests above would prove nothing for that language."""
    checked = 0
    for phrase in ("للاستخدام التحريري فقط", "ΜΟΝΟ ΓΙΑ ΣΥΝΤΑΚΤΙΚΗ ΧΡΗΣΗ", "仅供编辑使用"):
        for container in CONTAINERS:
            for target in TARGETS:
                text = statement(target, phrase)
                if not fits(container, target, "none") or not forbidden(text):
                    continue
                embedded = read_embedded(build(FileSpec(container, target, text, "none", seed=1)))
                record = read_rights(None, embedded)
                assert not allowed_anyway(record, forbidden(text)), (phrase, container, target)
                checked += 1
    assert checked >= len(TARGETS)
