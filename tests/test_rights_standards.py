"""Rules read from licensing and provenance fields: expiry, model releases, synthetic media.

Each is a scenario row in the words of the policy: what the file declares, the use, the answer.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from datetime import date as date_
from datetime import time as time_

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.metadata.plus import iim_moment, xmp_moment
from rights import Code, Origin, Outcome, PolicyOptions, Purpose, Restriction, Use, evaluate
from tests.rights_builders import T0, agency_record, records, uses

DAY = timedelta(days=1)
EXPIRY = Restriction(
    Code.EXPIRY, 'IPTC 2:37 ExpirationDate "20260112"', Origin.IPTC, expires_at=T0 + 2 * DAY
)
NO_RELEASE = Restriction(Code.MODEL_RELEASE, 'plus:ModelReleaseStatus "MR-NON" (None)', Origin.XMP)
SYNTHETIC = Restriction(
    Code.SYNTHETIC_MEDIA,
    "Iptc4xmpExt:DigitalSourceType trainedAlgorithmicMedia",
    Origin.XMP,
)


def decide(*restrictions: Restriction, purpose: Purpose = Purpose.EDITORIAL, **kw: object):  # type: ignore[no-untyped-def]
    at = kw.pop("at", T0)
    return evaluate(agency_record(*restrictions), Use(purpose, at=at), **kw)  # type: ignore[arg-type]


def test_use_before_the_expiration_date_is_allowed() -> None:
    assert decide(EXPIRY).decision == Outcome.ALLOW


def test_use_from_the_expiration_date_on_is_denied_citing_the_field() -> None:
    decision = decide(EXPIRY, at=T0 + 2 * DAY)
    assert decision.decision == Outcome.DENY
    assert decision.reasons[0].code == Code.EXPIRY
    assert decision.reasons[0].evidence[0].text.startswith("IPTC 2:37")


def test_expiry_without_a_time_of_use_is_reviewed() -> None:
    assert decide(EXPIRY, at=None).decision == Outcome.REVIEW


def test_expiry_whose_end_could_not_be_read_is_reviewed() -> None:
    unreadable = Restriction(Code.EXPIRY, 'IPTC 2:37 ExpirationDate "2026-13-45"', Origin.IPTC)
    assert decide(unreadable).decision == Outcome.REVIEW


@pytest.mark.parametrize("purpose", [Purpose.COMMERCIAL, Purpose.MARKETING, Purpose.ADVERTISING])
def test_commercial_use_of_people_without_a_model_release_is_reviewed(purpose: Purpose) -> None:
    decision = decide(NO_RELEASE, purpose=purpose)
    assert decision.decision == Outcome.REVIEW
    assert decision.reasons[0].code == Code.MODEL_RELEASE


@pytest.mark.parametrize("purpose", [Purpose.EDITORIAL, Purpose.ARCHIVE, Purpose.SYNDICATION])
def test_uses_that_need_no_release_are_not_held_back_by_one(purpose: Purpose) -> None:
    assert decide(NO_RELEASE, purpose=purpose).decision == Outcome.ALLOW


def test_editorial_use_of_a_synthetic_image_is_reviewed_by_default() -> None:
    decision = decide(SYNTHETIC)
    assert decision.decision == Outcome.REVIEW
    assert decision.reasons[0].code == Code.SYNTHETIC_MEDIA
    assert "trainedAlgorithmicMedia" in decision.reasons[0].evidence[0].text


def test_an_agreement_may_switch_the_synthetic_media_review_off() -> None:
    decision = decide(SYNTHETIC, options=PolicyOptions(review_synthetic_media=False))
    assert decision.decision == Outcome.ALLOW
    assert any(r.code == Code.SYNTHETIC_MEDIA for r in decision.reasons)  # still shown


def test_switching_synthetic_review_off_never_lifts_another_restriction() -> None:
    editorial_only = Restriction(Code.EDITORIAL_USE_ONLY, "EDITORIAL USE ONLY")
    relaxed = PolicyOptions(review_synthetic_media=False)
    decision = decide(SYNTHETIC, editorial_only, purpose=Purpose.SALE, options=relaxed)
    assert decision.decision == Outcome.DENY


def test_commercial_use_of_a_synthetic_image_is_not_held_back_for_it() -> None:
    assert decide(SYNTHETIC, purpose=Purpose.COMMERCIAL).decision == Outcome.ALLOW


@settings(max_examples=300, deadline=None)
@given(records(), uses())
def test_the_synthetic_switch_loosens_only_the_synthetic_review(record, use) -> None:  # type: ignore[no-untyped-def]
    """Relaxed: never stricter than strict, never looser than the record without its
    SYNTHETIC_MEDIA restrictions."""
    relaxed = PolicyOptions(review_synthetic_media=False)
    strict = evaluate(record, use).decision.severity
    loose = evaluate(record, use, options=relaxed).decision.severity
    without = replace(
        record, restrictions=tuple(r for r in record.restrictions if r.code != Code.SYNTHETIC_MEDIA)
    )
    assert evaluate(without, use).decision.severity <= loose <= strict


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=20) | st.dates().map(lambda d: d.strftime("%Y%m%d")),
    st.none() | st.text(max_size=20) | st.sampled_from(["235959-1200", "000000+1400"]),
    st.booleans(),
)
def test_any_iim_or_xmp_date_text_is_an_instant_or_unreadable(
    date: str, time: str | None, ends: bool
) -> None:
    iso = f"{date[:4]}-{date[4:6]}-{date[6:]}" if date.isdigit() and len(date) == 8 else date
    for moment in (iim_moment(date, time, ends), xmp_moment(iso, ends)):
        assert moment is None or moment.tzinfo is not None


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=date_(1900, 1, 1), max_value=date_(2200, 1, 1)),
    st.times(),
    st.sampled_from("+-"),
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=0, max_value=99),
    st.booleans(),
)
def test_a_date_is_placed_only_in_a_zone_on_earth(
    day: date_, at: time_, sign: str, hours: int, minutes: int, ends: bool
) -> None:
    """An instant read from a stated zone lies where some place on Earth would put it
    (UTC-12 to UTC+14); a zone no place has is unreadable, and so reviewed."""
    local = datetime.combine(day, at.replace(microsecond=0), tzinfo=UTC)
    iim = iim_moment(day.strftime("%Y%m%d"), f"{local:%H%M%S}{sign}{hours:02d}{minutes:02d}", ends)
    iso = f"{local:%Y-%m-%dT%H:%M:%S}{sign}{hours:02d}:{minutes:02d}"
    for moment in (iim, xmp_moment(iso, ends)):
        if moment is not None:
            assert local - timedelta(hours=14) <= moment <= local + timedelta(hours=12)
    offset = timedelta(hours=hours, minutes=minutes) * (1 if sign == "+" else -1)
    if not timedelta(hours=-12) <= offset <= timedelta(hours=14):
        assert iim is None
