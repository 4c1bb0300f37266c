"""Sidecar readers: NewsML-G2, ninjs 1.x and 2.x, XMP; each field where the standard puts it,
and nothing but a SidecarError for anything a sender can put in a file."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.feeds.sidecar import MAX_SIDECAR_BYTES, SidecarError, read_sidecar
from tests.feeds_helpers import newsml

XMP = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
 xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/">
 <rdf:Description rdf:about="" photoshop:Credit="EPA" photoshop:Instructions="NO SALES">
  <dc:description><rdf:Alt><rdf:li xml:lang="x-default">A caption</rdf:li></rdf:Alt>
  </dc:description>
  <xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang="x-default">EDITORIAL USE ONLY</rdf:li>
  <rdf:li xml:lang="de">NUR REDAKTIONELLE NUTZUNG</rdf:li></rdf:Alt></xmpRights:UsageTerms>
 </rdf:Description></rdf:RDF></x:xmpmeta>"""


def test_newsml_item_fields_and_signals():
    sidecar = read_sidecar(
        "a.xml",
        newsml(
            caption="A <b>caption</b>",
            usage_terms="NO SALES",
            ednote="CORRECTS date",
            signals=("correction", "update"),
            embargoed="2030-01-02T03:04:05+01:00",
            href="pics/a.jpg",
            credit="EPA/JOHN DOE",
        ).replace(b"&lt;", b"<"),
    )
    assert sidecar.standard == "newsml-g2"
    assert sidecar.item_id == "urn:newsml:example.com:20261207:pic1"
    assert sidecar.description == "A caption"
    assert sidecar.usage_terms == ["NO SALES"]
    assert sidecar.signals == {"correction", "update"} and sidecar.corrects
    assert sidecar.embargo_until == datetime(2030, 1, 2, 2, 4, 5, tzinfo=UTC)
    assert sidecar.renditions == ["pics/a.jpg"] and sidecar.credit == "EPA/JOHN DOE"
    block = sidecar.block()
    assert block.origin == "sidecar"
    assert "EMBARGOED UNTIL 2030-01-02T02:04:05Z" in block.fields["special_instructions"]


@pytest.mark.parametrize(
    ("status", "signal", "withdrawn"),
    [
        ("canceled", (), True),
        ("withheld", (), True),
        ("usable", ("kill",), True),
        ("usable", ("withhold",), True),
        ("usable", ("update",), False),
    ],
)
def test_newsml_withdrawals(status: str, signal: tuple[str, ...], withdrawn: bool):
    sidecar = read_sidecar("k.xml", newsml(pub_status=status, signals=signal))
    assert sidecar.withdraws is withdrawn


def test_newsml_in_a_news_message_without_namespace():
    data = (
        b"<newsMessage><itemSet><newsItem guid='g1'><contentMeta>"
        b"<description>Cap</description></contentMeta></newsItem></itemSet></newsMessage>"
    )
    sidecar = read_sidecar("m.xml", data)
    assert sidecar.item_id == "g1" and sidecar.description == "Cap"


def test_ninjs_1x():
    sidecar = read_sidecar(
        "a.json",
        b'{"uri": "urn:x:1", "version": "2", "description_text": "Cap", "byline": "Jo",'
        b' "copyrightnotice": "(c) EPA", "usageterms": "NO SALES", "pubstatus": "usable",'
        b' "embargoed": "2030-01-01T00:00:00Z", "located": "Kyiv",'
        b' "renditions": {"original": {"href": "a.jpg"}}}',
    )
    assert (sidecar.item_id, sidecar.description, sidecar.byline) == ("urn:x:1", "Cap", "Jo")
    assert sidecar.copyright == "(c) EPA" and sidecar.usage_terms == ["NO SALES"]
    assert sidecar.renditions == ["a.jpg"] and sidecar.located == "Kyiv"
    assert not sidecar.withdraws


def test_ninjs_2x():
    sidecar = read_sidecar(
        "a.json",
        b'{"uri": "urn:x:2", "headlines": [{"role": "main", "value": "H"}],'
        b' "descriptions": [{"role": "summary", "contenttype": "text/html", "value": "<p>x</p>"},'
        b' {"role": "caption", "value": "The caption"}], "by": "Jo",'
        b' "usageterms": "EDITORIAL USE ONLY", "pubstatus": "canceled",'
        b' "renditions": [{"name": "original", "href": "https://x/a.jpg"}]}',
    )
    assert sidecar.headline == "H" and sidecar.description == "The caption"
    assert sidecar.byline == "Jo" and sidecar.withdraws
    assert sidecar.renditions == ["https://x/a.jpg"]


def test_xmp_sidecar_is_read_by_the_xmp_reader_every_language_kept():
    sidecar = read_sidecar("a.xmp", XMP)
    assert sidecar.description == "A caption" and sidecar.credit == "EPA"
    assert "NUR REDAKTIONELLE NUTZUNG" in sidecar.usage_terms
    assert sidecar.ednote == "NO SALES"


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("a.json", b"[1, 2]", "JSON object"),
        ("a.json", b"{bad", "not JSON"),
        ("a.json", b'{"embargoed": 5}', "date-time"),
        ("a.json", b'{"embargoed": "tomorrow"}', "ISO 8601"),
        ("a.json", b"[" * 5000 + b"]" * 5000, "JSON"),
        ("a.xml", b"<html/>", "newsItem"),
        ("a.xmp", b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>", "no XMP properties"),
        ("a.xmp", b'<!DOCTYPE x [<!ENTITY a "b">]><x/>', "XMP sidecar unreadable"),
        ("a.xml", b"x" * (MAX_SIDECAR_BYTES + 1), "refused"),
    ],
)
def test_unreadable_sidecars_say_why(name: str, data: bytes, says: str):
    with pytest.raises(SidecarError, match=says):
        read_sidecar(name, data)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["a.xml", "a.json", "a.xmp"]), st.binary(max_size=400))
def test_any_bytes_read_or_fail_as_sidecar_errors(name: str, data: bytes):
    with contextlib.suppress(SidecarError):
        read_sidecar(name, data)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "uri",
                        "usageterms",
                        "descriptions",
                        "renditions",
                        "pubstatus",
                        "signals",
                        "value",
                        "href",
                        "role",
                        "by",
                        "bylines",
                        "headlines",
                        "copyrightholder",
                        "embargoed",
                        "version",
                    ]
                ),
                inner,
                max_size=5,
            )
        ),
        max_leaves=20,
    )
)
def test_any_ninjs_shape_reads_or_fails_as_sidecar_error(value: object):
    with contextlib.suppress(SidecarError):
        read_sidecar("a.json", json.dumps(value).encode())
