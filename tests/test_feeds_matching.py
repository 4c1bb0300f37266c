"""A sidecar reaches only the picture it names, and an arrival only the assets its feed may
speak for: no name trick pairs a sidecar with another picture, and no reference, job id or
item id sent by one feed corrects or kills the pictures of another agency or feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from api.runtime import Runtime
from assets.feeds.arrivals import ready_arrivals, stem_of
from assets.feeds.sidecar import is_sidecar_name
from assets.feeds.sources import Entry
from assets.tables import Asset
from tests.feeds_helpers import drop, folder_feed, ninjs, runner
from tests.images import jpeg_bytes

EPA = "epa11111111 A protester in Kyiv, Ukraine, 07 December 2026. EPA/JOHN DOE"
NO_SALES_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
    b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    b' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"><rdf:Description rdf:about=""'
    b' photoshop:Instructions="NO SALES"/></rdf:RDF></x:xmpmeta>'
)
OLD = datetime(2026, 1, 1, tzinfo=UTC)


def entry(name: str) -> Entry:
    return Entry(name=name, key=f"{name}|1|1", size=1, arrived_at=OLD, complete=True)


def pairing(names: list[str], hrefs: dict[str, list[str]] | None = None) -> dict[str, object]:
    feed = folder_feed(Path("/nonexistent"))
    ready = ready_arrivals(
        [entry(n) for n in names],
        feed,
        lambda e: (hrefs or {}).get(e.name, []),
        now=OLD + timedelta(hours=1),
    )
    found: dict[str, object] = {}
    for arrival in ready:
        if arrival.problem is not None:
            found[arrival.primary.name] = "refused"
        elif arrival.picture is not None:
            found[arrival.picture.name] = arrival.sidecar.name if arrival.sidecar else None
        else:
            found[arrival.primary.name] = "alone"
    return found


@pytest.mark.parametrize(
    ("names", "hrefs", "expected"),
    [
        (["x.jpg", "x.png", "x.png.xmp"], {}, {"x.jpg": None, "x.png": "x.png.xmp"}),
        (["x.jpg", "x.png.xmp"], {}, {"x.jpg": None, "x.png.xmp": "alone"}),
        (["x.jpg", "x.jpg.xmp"], {}, {"x.jpg": "x.jpg.xmp"}),
        (["a.b.jpg", "a.jpg", "a.b.xml"], {}, {"a.b.jpg": "a.b.xml", "a.jpg": None}),
        (
            ["x.jpg", "x.png", "x.xml"],
            {},
            {"x.jpg": "refused", "x.png": "refused", "x.xml": "refused"},
        ),
        (
            ["x.jpg", "x.png", "x.xml"],
            {"x.xml": ["https://cdn/x.png"]},
            {"x.jpg": None, "x.png": "x.xml"},
        ),
        (
            ["x.jpg", "x.xml", "x.json"],
            {},
            {"x.jpg": "refused", "x.xml": "refused", "x.json": "refused"},
        ),
        (["b.jpg", "item.json"], {"item.json": ["../../other/b.jpg"]}, {"b.jpg": "item.json"}),
    ],
)
def test_a_sidecar_pairs_only_with_the_picture_it_names(
    names: list[str], hrefs: dict[str, list[str]], expected: dict[str, object]
):
    assert pairing(names, hrefs) == expected


NAMES = st.lists(
    st.builds(
        lambda stem, ext: stem + ext,
        st.sampled_from(["x", "y", "x.y", "x.jpg", "X"]),
        st.sampled_from([".jpg", ".png", ".xml", ".json", ".xmp", ".JPG", ".XMP"]),
    ),
    unique=True,
    max_size=7,
)


@settings(max_examples=300, deadline=None)
@given(NAMES, st.dictionaries(st.text(max_size=3), st.lists(st.text(max_size=8))))
def test_every_pairing_is_named_and_every_file_goes_once(
    names: list[str], hrefs: dict[str, list[str]]
):
    feed = folder_feed(Path("/nonexistent"))
    ready = ready_arrivals(
        [entry(n) for n in names], feed, lambda e: hrefs.get(e.name, []), now=OLD + timedelta(1)
    )
    taken = [e.name for a in ready for e in (a.picture, a.sidecar) if e is not None]
    assert len(taken) == len(set(taken)) == len(names)  # each file once, none left behind
    for arrival in ready:
        if arrival.picture is None or arrival.sidecar is None:
            continue
        inner = arrival.sidecar.name.rsplit(".", 1)[0]
        named = {
            PurePosixPath(h.split("?", 1)[0]).name for h in hrefs.get(arrival.sidecar.name, [])
        }
        assert (
            inner == arrival.picture.name
            or inner == stem_of(arrival.picture.name)
            or arrival.picture.name in named
        ), (arrival.sidecar.name, arrival.picture.name)
        assert is_sidecar_name(arrival.sidecar.name) and not is_sidecar_name(arrival.picture.name)


def assets(runtime: Runtime) -> list[Asset]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(Asset).order_by(Asset.id)))


def codes(asset: Asset) -> set[str]:
    return {r["code"] for r in asset.rights["restrictions"]}


def test_a_sidecar_naming_one_picture_whole_never_lands_on_its_namesake(
    runtime: Runtime, tmp_path: Path
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "x.jpg", jpeg_bytes(1))
    drop(inbox, "x.png", jpeg_bytes(2))  # a JPEG named .png: the name is what matters here
    drop(inbox, "x.png.xmp", NO_SALES_XMP)
    work.run_once()
    by_name = {a.filename: a for a in assets(runtime)}
    assert "NO_SALES" in codes(by_name["x.png"])
    assert "NO_SALES" not in codes(by_name["x.jpg"])


def test_a_sidecar_that_may_belong_to_two_pictures_is_refused_with_both(
    runtime: Runtime, tmp_path: Path
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "y.jpg", jpeg_bytes(3))
    drop(inbox, "y.tif", jpeg_bytes(4))
    drop(inbox, "y.xmp", NO_SALES_XMP)
    work.run_once()
    assert assets(runtime) == []  # neither is stored without the restriction it may carry
    for name in ("y.jpg", "y.tif", "y.xmp"):
        assert "may belong to any of" in (inbox / "rejected" / f"{name}.reason.txt").read_text()


def _stored_by_wire(runtime: Runtime, tmp_path: Path) -> tuple[Asset, Path]:
    inbox = tmp_path / "wire"
    work = runner(runtime, folder_feed(inbox))
    drop(inbox, "k.jpg", jpeg_bytes(10, caption=EPA + " NO SALES"))
    drop(inbox, "k.json", ninjs(uri="urn:epa:pic1", description_text=EPA + " NO SALES"))
    work.run_once()
    [asset] = assets(runtime)
    return asset, inbox


@pytest.mark.parametrize(
    "spoof",
    [
        # the same ninjs uri from another feed, alone
        ("lone", None, {"uri": "urn:epa:pic1", "description_text": "x", "pubstatus": "canceled"}),
        # the reference as a job id, no agency named
        ("picture", {"job_id": "epa11111111", "caption": "A caption"}, {"pubstatus": "canceled"}),
        # the reference and the agency named in the caption
        ("picture", {"caption": EPA + " sent again"}, {"pubstatus": "canceled"}),
        # the uri with a picture of another agency's name
        (
            "picture",
            {"caption": "Another picture"},
            {"uri": "urn:epa:pic1", "pubstatus": "canceled"},
        ),
        # a kill notice in the caption, naming the reference
        ("picture", {"caption": "epa11111111 MANDATORY KILL. EPA/JOHN DOE"}, {}),
        ("lone", None, {"description_text": "epa11111111 MANDATORY KILL. EPA/JOHN DOE"}),
    ],
    ids=[
        "item-id-alone",
        "job-id",
        "agency-and-reference",
        "item-id-with-picture",
        "kill-notice-in-caption",
        "kill-notice-in-lone-sidecar",
    ],
)
def test_another_feed_never_kills_or_rewrites_this_feeds_pictures(
    runtime: Runtime, tmp_path: Path, spoof: tuple[str, dict[str, str] | None, dict[str, str]]
):
    asset, _ = _stored_by_wire(runtime, tmp_path)
    _kind, picture, sidecar = spoof
    other = tmp_path / "other"
    work = runner(runtime, folder_feed(other, name="other", apply_kills=True))
    if picture is not None:
        drop(other, "s.jpg", jpeg_bytes(11, **picture))
    drop(other, "s.json", ninjs(**{"uri": "urn:other:1", **sidecar}))
    work.run_once()
    with Session(runtime.engine) as session:
        after = session.get(Asset, asset.id)
    assert after is not None
    assert after.status != "killed"  # held for a rights manager at most
    if "EPA/" not in f"{picture} {sidecar}":  # names neither the agency nor its picture
        assert after.status == "active" and after.caption == asset.caption
    assert "NO_SALES" in codes(after)


@pytest.mark.parametrize("stored", [("x.jpg",), ("x.jpg", "x.png"), ("x.png", "x.jpg")])
def test_a_later_sidecar_naming_a_picture_whole_reaches_only_that_picture(
    runtime: Runtime, tmp_path: Path, stored: tuple[str, ...]
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    for number, name in enumerate(stored):
        drop(inbox, name, jpeg_bytes(20 + number), age=60 - number)
        work.run_once()
    drop(inbox, "x.png.xmp", NO_SALES_XMP)
    work.run_once()
    by_name = {a.filename: a for a in assets(runtime)}
    assert "NO_SALES" not in codes(by_name["x.jpg"])
    if "x.png" in by_name:
        assert "NO_SALES" in codes(by_name["x.png"])
    else:
        reason = (inbox / "rejected" / "x.png.xmp.reason.txt").read_text()
        assert "names no stored picture" in reason
