"""quick_init: the faster constructor keeps every promise of the frozen dataclass it replaces."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from captions.model import ParsedCaption
from rights import Code, Evidence, Origin, Restriction
from rights.quick_init import quick_init

_CLASSES = (Evidence, Restriction, ParsedCaption)


def _reference(cls: type) -> type:
    """The same fields as `cls`, built by the plain dataclass machinery."""
    spec = [(f.name, f.type, dataclasses.field(default=f.default)) for f in dataclasses.fields(cls)]
    return dataclasses.make_dataclass("Reference" + cls.__name__, spec, frozen=True, slots=True)


@pytest.mark.parametrize("cls", _CLASSES, ids=lambda cls: cls.__name__)
def test_defaults_and_order_are_the_dataclass_own(cls: type) -> None:
    reference = _reference(cls)
    required = [f for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING]
    values = [f"value-{f.name}" for f in required]
    quick, plain = cls(*values), reference(*values)
    assert dataclasses.astuple(quick) == dataclasses.astuple(plain)


@given(
    text=st.text(max_size=20),
    start=st.none() | st.integers(0, 500),
    end=st.none() | st.integers(0, 500),
    codes=st.lists(st.sampled_from(sorted(Code)), max_size=3),
    by_keyword=st.booleans(),
)
def test_positional_and_keyword_arguments_land_in_their_fields(
    text: str, start: int | None, end: int | None, codes: list[Code], by_keyword: bool
) -> None:
    evidence = tuple(Evidence(code.value, Origin.IPTC, start, end) for code in codes)
    code = codes[0] if codes else Code.OTHER
    if by_keyword:
        made = Restriction(code=code, text=text, start=start, end=end, evidence=evidence)
    else:
        made = Restriction(code, text, Origin.CAPTION, start, end, evidence)
    expected = _reference(Restriction)(code, text, Origin.CAPTION, start, end, evidence)
    assert dataclasses.astuple(made) == dataclasses.astuple(expected)


def test_equality_hash_replace_copy_and_pickle_still_work() -> None:
    moment = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    restriction = Restriction(
        Code.EMBARGO, "EMBARGOED", start=3, end=12, embargo_until=moment, evidence=(Evidence("x"),)
    )
    twin = Restriction(
        Code.EMBARGO, "EMBARGOED", start=3, end=12, embargo_until=moment, evidence=(Evidence("x"),)
    )
    assert restriction == twin and hash(restriction) == hash(twin)
    assert dataclasses.replace(restriction, text="other").text == "other"
    assert pickle.loads(pickle.dumps(restriction)) == restriction
    assert copy.deepcopy(restriction) == restriction
    parsed = ParsedCaption(agency="EPA", restrictions=(restriction,), date=dt.date(2024, 3, 2))
    assert pickle.loads(pickle.dumps(parsed)) == parsed


@pytest.mark.parametrize("cls", _CLASSES, ids=lambda cls: cls.__name__)
def test_fields_cannot_be_assigned_or_added(cls: type) -> None:
    required = [f for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING]
    made = cls(*[f"value-{f.name}" for f in required])
    first = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, first, "changed")
    # Python 3.11's frozen, slotted dataclasses raise TypeError here, the plain ones too.
    with pytest.raises((dataclasses.FrozenInstanceError, AttributeError, TypeError)):
        made.unknown = 1
    assert not hasattr(made, "unknown")


def test_wrong_arguments_fail_as_a_dataclass_does() -> None:
    with pytest.raises(TypeError):
        Restriction()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Evidence("x", nonsense=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Evidence("x", Origin.CAPTION, 1, 2, "one too many")  # type: ignore[call-arg]


def test_classes_it_cannot_serve_are_refused() -> None:
    @dataclass(frozen=True)
    class NoSlots:
        x: int

    @dataclass(slots=True)
    class NotFrozen:
        x: int

    @dataclass(frozen=True, slots=True)
    class WithFactory:
        items: list[int] = field(default_factory=list)

    @dataclass(frozen=True, slots=True)
    class WithPostInit:
        x: int

        def __post_init__(self) -> None:
            pass

    for cls in (NoSlots, NotFrozen, WithFactory, WithPostInit):
        with pytest.raises(TypeError):
            quick_init(cls)
