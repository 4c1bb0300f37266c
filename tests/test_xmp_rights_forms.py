"""Every way XMP can write a property's text is read for rights, not only the data model's.

The structured XMP reading follows the data model and drops what does not fit it: a second
x-default item of a lang-alt, an `rdf:value` qualifier, text beside a child element, a
container nested in a lang-alt item, a structure inside a bag. Each of these still holds text
an application may show as the property's value, so a restriction written that way must never
leave the picture `allow` for a use it forbids, in any rights-bearing property (Instructions,
UsageTerms, description), through the reader and through an upload over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

import pytest
from fastapi.testclient import TestClient

from assets.metadata import read_embedded
from assets.rights_reading import read_rights
from captions import parse_caption
from rights import Outcome, Purpose, RightsRecord, Use, evaluate
from tests.metadata_corpus import app1_xmp, tiny_jpeg, with_segments
from tests.rights_builders import T0
from tests.rights_files import CLEAN_CAPTION, lexicon_phrases

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

# How a property's text can be written: (form name, text -> property element content).
FORMS: dict[str, Callable[[str], str]] = {
    "second x-default item": lambda t: (
        '<rdf:Alt><rdf:li xml:lang="x-default">none</rdf:li>'
        f'<rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt>'
    ),
    "second item of one language": lambda t: (
        '<rdf:Alt><rdf:li xml:lang="x-default">none</rdf:li><rdf:li xml:lang="en">none</rdf:li>'
        f'<rdf:li xml:lang="en">{t}</rdf:li></rdf:Alt>'
    ),
    "rdf:value qualifier": lambda t: (
        f"<rdf:Description><rdf:value>{t}</rdf:value><q:note>x</q:note></rdf:Description>"
    ),
    "lang-alt item with a qualifier": lambda t: (
        '<rdf:Alt><rdf:li xml:lang="x-default" rdf:parseType="Resource">'
        f"<rdf:value>{t}</rdf:value></rdf:li></rdf:Alt>"
    ),
    "text beside a child element": lambda t: f"{t}<q:b/>",
    "text after a child element": lambda t: f"<q:b/>{t}",
    "container in a lang-alt item": lambda t: (
        f'<rdf:Alt><rdf:li xml:lang="x-default"><rdf:Seq><rdf:li>{t}</rdf:li></rdf:Seq>'
        "</rdf:li></rdf:Alt>"
    ),
    "structure in a bag": lambda t: (
        '<rdf:Bag><rdf:li>none</rdf:li><rdf:li><rdf:Description rdf:value="'
        f'{t}"/></rdf:li></rdf:Bag>'
    ),
    "attribute of a structure": lambda t: f'<rdf:Description q:note="{t}"/>',
}

PROPERTIES = {
    "photoshop:Instructions": "instruction",
    "xmpRights:UsageTerms": "instruction",
    "dc:description": "caption",
}

PHRASES = ["EDITORIAL USE ONLY", "NO SALES", "NO MARKETING", "NO ARCHIVES", "NO USE IN FRANCE"]


def packet(prop: str, content: str) -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        f'<rdf:RDF xmlns:rdf="{RDF_NS}"><rdf:Description rdf:about="" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:q="urn:example:q">'
        f"<{prop}>{content}</{prop}></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def jpeg_with(prop: str, form: str, phrase: str) -> bytes:
    text = f"{CLEAN_CAPTION} {phrase}" if PROPERTIES[prop] == "caption" else phrase
    return with_segments(tiny_jpeg(), app1_xmp(packet(prop, FORMS[form](escape(text)))))


def forbidden(phrase: str) -> list[Purpose]:
    record = RightsRecord(agency="Reuters", restrictions=tuple(parse_caption(phrase).restrictions))
    return [
        p
        for p in Purpose
        if evaluate(record, Use(p, territory="FR"), now=T0).decision is Outcome.DENY
    ]


def test_the_phrases_forbid_something() -> None:
    assert all(forbidden(p) for p in PHRASES)


@pytest.mark.parametrize("prop", PROPERTIES)
@pytest.mark.parametrize("form", FORMS)
def test_a_restriction_in_any_xmp_form_is_never_allowed(prop: str, form: str) -> None:
    tried = 0
    for phrase in PHRASES + [p for _, p in lexicon_phrases()[::25]]:
        purposes = forbidden(phrase)
        if not purposes:
            continue
        embedded = read_embedded(jpeg_with(prop, form, phrase))
        record = read_rights("Crowds. REUTERS/Jane Doe", embedded)
        for purpose in purposes:
            use = Use(purpose, territory="FR")
            outcome = evaluate(record, use, now=T0).decision
            assert outcome is not Outcome.ALLOW, (prop, form, phrase, purpose)
            tried += 1
    assert tried > 0


def test_an_upload_with_a_hidden_xmp_form_is_not_allowed(client: TestClient) -> None:
    for index, form in enumerate(FORMS):
        data = jpeg_with("photoshop:Instructions", form, "NO SALES")
        data = data[:-2] + bytes([index]) + data[-2:]  # distinct bytes per form
        response = client.post(
            "/v1/assets",
            files={"file": ("x.jpg", data, "image/jpeg")},
            data={"caption": "Crowds. REUTERS/Jane Doe"},
        )
        assert response.status_code == 201, response.text
        asset = response.json()["id"]
        body = {"assets": [asset], "use": {"purpose": "sale"}}
        result = client.post("/v1/rights/check", json=body).json()["results"][0]
        assert result["decision"] == "deny", (form, result)
        # and a caption edit re-reads the stored blocks the same way
        edited = client.put(f"/v1/assets/{asset}/caption", json={"caption": "Crowds."})
        assert edited.status_code == 200
        result = client.post("/v1/rights/check", json=body).json()["results"][0]
        assert result["decision"] == "deny", (form, result)
