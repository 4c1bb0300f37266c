"""Restrictions only grow across re-sends and sources: no sidecar (NewsML-G2, ninjs, XMP),
no correction and no later re-send lifts a restriction the picture's own metadata or an
earlier sidecar carried, and a restriction a sidecar states is read wherever it stands."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from api.runtime import Runtime
from assets.feeds.delivery import add_sidecar
from assets.feeds.sidecar import read_sidecar
from assets.metadata import EmbeddedMetadata
from assets.rights_reading import read_rights
from assets.tables import Asset
from tests.feeds_helpers import NEWSML_NS, drop, folder_feed, newsml, ninjs, runner
from tests.images import jpeg_bytes

EPA = "epa33333333 A match in Milan, Italy, 07 December 2026. EPA/LUCA BIANCHI"
GUID = "urn:newsml:example.com:20261207:pic1"


def xmp(caption: str, instructions: str = "") -> bytes:
    extra = f' photoshop:Instructions="{instructions}"' if instructions else ""
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
        ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        f'<rdf:Description rdf:about=""{extra}>'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{caption}</rdf:li></rdf:Alt>'
        "</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def exif_jpeg(description: str) -> bytes:
    """A JPEG whose only caption is its EXIF ImageDescription."""
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x010E] = description
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (9, 9, 9)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def clean_sidecar(standard: str, caption: str) -> tuple[str, bytes]:
    """A sidecar that says the picture is free: its caption without the restriction, empty
    usage terms, status usable, a correction."""
    if standard == "newsml":
        return "xml", newsml(guid=GUID, caption=caption, signals=("correction",))
    if standard == "ninjs":
        return "json", ninjs(
            uri=GUID, description_text=caption, usageterms="", pubstatus="usable", ednote=""
        )
    return "xmp", xmp(caption)


def assets(runtime: Runtime) -> list[Asset]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(Asset)))


def codes(asset: Asset) -> set[str]:
    return {r["code"] for r in asset.rights["restrictions"]}


@pytest.mark.parametrize("standard", ["newsml", "ninjs", "xmp"])
@pytest.mark.parametrize("carrier", ["caption", "special_instructions", "exif", "sidecar"])
@pytest.mark.parametrize("later", ["with-the-picture", "correction-resend", "lone-sidecar"])
def test_no_sidecar_or_resend_lifts_a_restriction(
    runtime: Runtime, tmp_path: Path, standard: str, carrier: str, later: str
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox))
    own = {"caption": EPA}
    if carrier == "caption":
        own["caption"] = EPA + " NO SALES"
    elif carrier == "special_instructions":
        own["special_instructions"] = "NO SALES"
    suffix, free = clean_sidecar(standard, EPA + " (corrected)")
    if carrier == "sidecar":  # the first sidecar carried it
        drop(inbox, "p.json", ninjs(uri=GUID, description_text=EPA, usageterms="NO SALES"))
    elif later == "with-the-picture":
        drop(inbox, f"p.{suffix}", free)
    drop(
        inbox, "p.jpg", exif_jpeg(EPA + " NO SALES") if carrier == "exif" else jpeg_bytes(1, **own)
    )
    work.run_once()
    if later == "correction-resend":
        drop(inbox, "p2.jpg", jpeg_bytes(2, caption=EPA + " (corrected)"))
        drop(inbox, f"p2.{suffix}", free)
        work.run_once()
    elif later == "lone-sidecar" or carrier == "sidecar":
        drop(inbox, f"p.{suffix}", free)
        work.run_once()
    [asset] = assets(runtime)
    assert "NO_SALES" in codes(asset), (asset.caption, codes(asset))
    assert asset.status == "active"
    assert not (set(inbox.iterdir()) - {inbox / "done", inbox / "rejected"})


ITEM = f'<newsItem xmlns="{NEWSML_NS}" guid="g"><itemMeta><pubStatus qcode="stat:usable"/>'


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "a.xml",
            (
                ITEM + '</itemMeta><contentMeta><description role="drol:caption">A caption'
                '</description><description role="drol:summary">NO SALES</description>'
                "</contentMeta></newsItem>"
            ).encode(),
        ),
        (
            "a.xml",
            (
                ITEM + "</itemMeta><rightsInfo><copyrightNotice>(c) EPA</copyrightNotice>"
                "</rightsInfo><rightsInfo><copyrightNotice>NO SALES</copyrightNotice>"
                "</rightsInfo></newsItem>"
            ).encode(),
        ),
        (
            "a.xml",
            (ITEM + "<edNote>x</edNote><edNote>NO SALES</edNote></itemMeta></newsItem>").encode(),
        ),
        ("a.json", b'{"description_text": "A caption", "descriptions": [{"value": "NO SALES"}]}'),
        ("a.json", b'{"description_text": "A caption", "body_text": "NO SALES"}'),
        ("a.json", b'{"descriptions": [{"role": "caption", "value": "A"}, {"value": "NO SALES"}]}'),
        ("a.json", b'{"bodies": [{"value": "NO SALES"}], "description_text": "A caption"}'),
        ("a.json", b'{"copyrightnotice": "(c) EPA", "copyrightholder": "NO SALES"}'),
        ("a.json", b'{"usageterms": ["EDITORIAL USE ONLY", "NO SALES"]}'),
        (
            "a.xmp",
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
            b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            b' xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description rdf:about="">'
            b'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">A caption</rdf:li>'
            b'<rdf:li xml:lang="de">NO SALES</rdf:li></rdf:Alt></dc:description>'
            b"</rdf:Description></rdf:RDF></x:xmpmeta>",
        ),
        (
            "a.xmp",
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
            b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            b' xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description rdf:about="">'
            b'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">(c) EPA</rdf:li>'
            b'<rdf:li xml:lang="en">NO SALES</rdf:li></rdf:Alt></dc:rights>'
            b"</rdf:Description></rdf:RDF></x:xmpmeta>",
        ),
    ],
)
def test_a_restriction_anywhere_in_a_sidecar_is_read(name: str, data: bytes):
    sidecar = read_sidecar(name, data)
    embedded = EmbeddedMetadata()
    add_sidecar(embedded, sidecar)
    record = read_rights(sidecar.description, embedded)
    assert "NO_SALES" in {str(r.code) for r in record.restrictions}


@pytest.mark.parametrize("apply_kills", [False, True])
@pytest.mark.parametrize("resend", ["usable-sidecar", "picture-again", "correction"])
def test_a_usable_resend_never_undoes_a_withhold_or_kill(
    runtime: Runtime, tmp_path: Path, apply_kills: bool, resend: str
):
    inbox = tmp_path / "inbox"
    work = runner(runtime, folder_feed(inbox, apply_kills=apply_kills))
    drop(inbox, "w.jpg", jpeg_bytes(3, caption=EPA))
    drop(inbox, "w.json", ninjs(uri=GUID, description_text=EPA, pubstatus="withheld"))
    work.run_once()
    [asset] = assets(runtime)
    withdrawn = asset.status
    assert withdrawn == ("killed" if apply_kills else "kill_requested")
    if resend == "usable-sidecar":
        drop(inbox, "w.xml", newsml(guid=GUID, caption=EPA + " usable", pub_status="usable"))
    elif resend == "picture-again":
        drop(inbox, "w2.jpg", jpeg_bytes(4, caption=EPA + " sent again"))
    else:
        drop(inbox, "w3.jpg", jpeg_bytes(5, caption=EPA))
        drop(inbox, "w3.xml", newsml(guid=GUID, caption=EPA, signals=("correction", "update")))
    work.run_once()
    assert [a.status for a in assets(runtime)] == [withdrawn]
