"""Rights values for the tests: the seed EPA handout, small record builders and hypothesis
strategies for records, uses and leases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import strategies as st

from rights import (
    Channel,
    Code,
    Evidence,
    Origin,
    Outcome,
    Override,
    Purpose,
    Restriction,
    RightsRecord,
    UnreadableBlock,
    Use,
)

SEED_CAPTION = (
    "epa09674804 A handout still image taken from handout video made available by the Russian "
    "Defence ministry press service shows Russian military equipment and vehicles being loaded "
    "onto a flight for the CSTO peacekeeping operation in Kazakhstan, at the Ivanovo-North "
    "airport in Ivanovo region, Russia, 09 January 2022. EPA/RUSSIAN DEFENCE MINISTRY PRESS "
    "SERVICE/HANDOUT HANDOUT EDITORIAL USE ONLY/NO SALES HANDOUT EDITORIAL USE ONLY/NO SALES"
)
SEED_CREDIT = "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"
T0 = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def spans(phrase: str, caption: str = SEED_CAPTION) -> tuple[Evidence, ...]:
    """Every occurrence of `phrase` in `caption`, as caption evidence with offsets."""
    found: list[Evidence] = []
    start = caption.find(phrase)
    while start >= 0:
        found.append(Evidence(phrase, Origin.CAPTION, start, start + len(phrase)))
        start = caption.find(phrase, start + 1)
    return tuple(found)


def restriction(code: Code, phrase: str | None = None, **fields: object) -> Restriction:
    """A restriction stated by `phrase` (default: the code in words), first span as its own."""
    text = phrase or code.value.replace("_", " ")
    evidence = spans(text) or (Evidence(text),)
    first = evidence[0]
    return Restriction(
        code,
        text,
        Origin.CAPTION,
        first.start,
        first.end,
        evidence,
        **fields,  # type: ignore[arg-type]
    )


def seed_record(**fields: object) -> RightsRecord:
    """The EPA handout of the seeds: EDITORIAL USE ONLY and NO SALES, each stated twice."""
    values: dict[str, object] = {
        "agency": "EPA",
        "agency_ref": "epa09674804",
        "credit_line": SEED_CREDIT,
        "source": "RUSSIAN DEFENCE MINISTRY PRESS SERVICE",
        "handout": True,
        "date": date(2022, 1, 9),
        "place": "Ivanovo-North airport, Ivanovo region, Russia",
        "restrictions": (
            restriction(Code.EDITORIAL_USE_ONLY, "EDITORIAL USE ONLY"),
            restriction(Code.NO_SALES, "NO SALES"),
        ),
        "ingested_at": T0 - timedelta(days=1),
    }
    values.update(fields)
    return RightsRecord(**values)  # type: ignore[arg-type]


def agency_record(*restrictions: Restriction, **fields: object) -> RightsRecord:
    """An AFP picture with these restrictions (and a credit line), ingested a day before T0."""
    values: dict[str, object] = {
        "agency": "AFP",
        "credit_line": "AFP PHOTO / JANE DOE",
        "restrictions": restrictions,
        "ingested_at": T0 - timedelta(days=1),
    }
    values.update(fields)
    return RightsRecord(**values)  # type: ignore[arg-type]


# --- hypothesis strategies ------------------------------------------------------------------

COUNTRIES = ("GB", "DE", "FR", "US", "UK", "gb")
AGENCIES = ("EPA", "AFP", "Reuters")

zones = st.sampled_from([None, UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])
moments = st.datetimes(
    min_value=datetime(2025, 6, 1), max_value=datetime(2026, 6, 1), timezones=zones
)
maybe_moments = st.none() | moments
words = st.text(alphabet="ABCDEFGHIJ /-", min_size=1, max_size=12)


@st.composite
def evidences(draw: st.DrawFn) -> Evidence:
    start = draw(st.none() | st.integers(min_value=0, max_value=5000))
    end = None if start is None else start + draw(st.integers(min_value=0, max_value=40))
    return Evidence(draw(words), draw(st.sampled_from(Origin)), start, end)


@st.composite
def restrictions(
    draw: st.DrawFn, codes: st.SearchStrategy[Code] = st.sampled_from(Code)
) -> Restriction:
    code = draw(codes)
    evidence = tuple(draw(st.lists(evidences(), max_size=2)))
    return Restriction(
        code=code,
        text=draw(words),
        origin=draw(st.sampled_from(Origin)),
        start=evidence[0].start if evidence else None,
        end=evidence[0].end if evidence else None,
        evidence=evidence,
        embargo_until=draw(maybe_moments) if code == Code.EMBARGO else None,
        countries_excluded=tuple(draw(st.lists(st.sampled_from(COUNTRIES), max_size=2))),
        countries_included=tuple(draw(st.lists(st.sampled_from(COUNTRIES), max_size=2))),
    )


@st.composite
def records(draw: st.DrawFn) -> RightsRecord:
    agency = draw(st.none() | st.sampled_from(AGENCIES))
    return RightsRecord(
        agency=agency,
        credit_line=draw(st.none() | words),
        source=draw(st.none() | st.sampled_from(("HANDOUT", "POOL"))),
        restrictions=tuple(draw(st.lists(restrictions(), max_size=4))),
        embargo_until=draw(st.none() | moments),
        killed=draw(st.integers(0, 9)) == 0,
        kill_notice=draw(st.integers(0, 9)) == 0,
        kill_requested=draw(st.integers(0, 9)) == 0,
        ingested_at=draw(maybe_moments),
        archive_retention_days=draw(st.none() | st.integers(min_value=0, max_value=60)),
        unrecognised=tuple(draw(st.lists(words, max_size=1))),
        unreadable_blocks=tuple(draw(st.lists(unreadable_blocks(), max_size=1))),
    )


@st.composite
def unreadable_blocks(draw: st.DrawFn) -> UnreadableBlock:
    return UnreadableBlock(draw(st.sampled_from(Origin)), draw(words))


@st.composite
def uses(draw: st.DrawFn) -> Use:
    return Use(
        purpose=draw(st.sampled_from(Purpose)),
        channel=draw(st.none() | st.sampled_from(Channel)),
        territory=draw(st.none() | st.sampled_from(COUNTRIES)),
        at=draw(maybe_moments),
    )


@st.composite
def leases(draw: st.DrawFn, effect: st.SearchStrategy[Outcome] | None = None) -> Override:
    starts = draw(maybe_moments)
    ends = draw(maybe_moments)
    if starts is not None and ends is not None:
        a, b = sorted((starts.replace(tzinfo=None), ends.replace(tzinfo=None)))
        starts, ends = a, b + timedelta(seconds=1)
    scope = draw(st.sampled_from(("asset", "agency", "source")))
    effects = effect if effect is not None else st.sampled_from((Outcome.ALLOW, Outcome.DENY))
    return Override(
        effect=draw(effects),
        reason=draw(words),
        purposes=tuple(draw(st.lists(st.sampled_from(Purpose), max_size=2, unique=True))),
        channels=tuple(draw(st.lists(st.sampled_from(Channel), max_size=2, unique=True))),
        territories=tuple(draw(st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True))),
        starts=starts,
        ends=ends,
        id=draw(st.none() | st.sampled_from(("L1", "L2", "L3"))),
        scope=scope,
        target=None if scope == "asset" else draw(st.none() | st.sampled_from(AGENCIES)),
    )
