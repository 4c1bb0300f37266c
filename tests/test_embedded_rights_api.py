"""Rights embedded in the file reach the record on upload, and downloads carry them back out."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

from PIL import Image

from assets.metadata import RightsFields, embed_rights, read_embedded
from tests.images import jpeg_bytes
from tests.shared import needs


def upload(client, data: bytes, caption: str | None = None, name: str = "x.jpg") -> dict:
    form = {"caption": caption} if caption else {}
    response = client.post("/v1/assets", files={"file": (name, data, "image/jpeg")}, data=form)
    assert response.status_code == 201, response.text
    return response.json()


def decision(client, asset_id: str, purpose: str) -> str:
    response = client.post(
        "/v1/rights/check", json={"assets": [asset_id], "use": {"purpose": purpose}}
    )
    return response.json()["results"][0]["decision"]


def scan_data(jpeg: bytes) -> bytes:
    """The entropy-coded image data: from the start-of-scan marker to the end."""
    return jpeg[jpeg.index(b"\xff\xda") :]


def test_iptc_special_instructions_add_a_restriction_the_caption_lacks(client):
    data = jpeg_bytes(1, special_instructions="NO SALES")
    asset = upload(client, data, caption="Rally in Paris. REUTERS/Jane Doe")
    restrictions = asset["rights"]["restrictions"]
    assert [(r["code"], r["origin"]) for r in restrictions] == [("NO_SALES", "iptc")]
    assert decision(client, asset["id"], "sale") == "deny"
    assert decision(client, asset["id"], "editorial") == "allow"


def test_xmp_usage_terms_add_a_restriction_with_origin_xmp(client):
    data = embed_rights(jpeg_bytes(2), RightsFields(usage_terms="EDITORIAL USE ONLY"))
    asset = upload(client, data, caption="Rally in Paris. REUTERS/Jane Doe")
    codes = {(r["code"], r["origin"]) for r in asset["rights"]["restrictions"]}
    assert ("EDITORIAL_USE_ONLY", "xmp") in codes
    assert decision(client, asset["id"], "advertising") == "deny"


def test_a_silent_embedded_block_never_relaxes_the_caption(client):
    asset = upload(
        client,
        jpeg_bytes(3, special_instructions="Mandatory credit"),
        caption="Rally. EPA/JOHN DOE EDITORIAL USE ONLY NO SALES",
    )
    codes = {r["code"] for r in asset["rights"]["restrictions"]}
    assert {"EDITORIAL_USE_ONLY", "NO_SALES", "MANDATORY_CREDIT"} <= codes


def test_credit_and_source_from_iptc_fill_what_the_caption_lacks(client):
    data = jpeg_bytes(
        4, caption="Crowds gather in the square.", credit="REUTERS/Jane Doe", source="Reuters"
    )
    asset = upload(client, data)
    assert asset["rights"]["credit_line"] == "REUTERS/Jane Doe"
    assert asset["rights"]["agency"] == "Reuters"
    assert asset["rights"]["source"] == "Reuters"


def test_unreadable_restriction_text_in_iptc_sends_checks_to_review(client):
    data = jpeg_bytes(5, special_instructions="PLEASE CALL THE DESK BEFORE USE")
    asset = upload(client, data, caption="Rally. REUTERS/Jane Doe")
    assert decision(client, asset["id"], "editorial") == "review"


def test_download_with_rights_embedded_keeps_the_image_data_byte_identical(client, seed_image):
    asset = upload(client, seed_image, name="seed.jpg")
    response = client.get(f"/v1/assets/{asset['id']}/file", params={"embed": "rights"})
    assert response.status_code == 200
    out = response.content
    assert out != seed_image
    assert scan_data(out) == scan_data(seed_image)
    assert Image.open(io.BytesIO(out)).tobytes() == Image.open(io.BytesIO(seed_image)).tobytes()
    embedded = read_embedded(out)
    assert embedded.credit == "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"
    assert embedded.source == "RUSSIAN DEFENCE MINISTRY PRESS SERVICE"
    for phrase in ("EDITORIAL USE ONLY", "NO SALES"):
        assert phrase in (embedded.special_instructions or "").upper()
        assert phrase in (embedded.usage_terms or "").upper()


def test_download_of_a_killed_asset_says_so_in_the_file(client):
    asset = upload(client, jpeg_bytes(6), caption="Rally. REUTERS/Jane Doe")
    client.post(f"/v1/assets/{asset['id']}/kill", json={"reason": "withdrawn by Reuters"})
    out = client.get(f"/v1/assets/{asset['id']}/file", params={"embed": "rights"}).content
    assert "KILLED: withdrawn by Reuters" in (read_embedded(out).special_instructions or "")


@needs(
    shutil.which("exiftool") is not None,
    "ExifTool is not installed (make test installs libimage-exiftool-perl)",
)
def test_exiftool_reads_the_rights_we_embed(client, seed_image, tmp_path):
    asset = upload(client, seed_image, name="seed.jpg")
    out = client.get(f"/v1/assets/{asset['id']}/file", params={"embed": "rights"}).content
    path = tmp_path / "out.jpg"
    path.write_bytes(out)
    reading = json.loads(
        subprocess.run(
            ["exiftool", "-json", "-G1", "-charset", "iptc=utf8", str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )[0]
    assert reading["IPTC:Credit"] == "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"
    assert "NO SALES" in reading["IPTC:SpecialInstructions"]
    assert "EDITORIAL USE ONLY" in reading["XMP-xmpRights:UsageTerms"]
    assert reading["XMP-photoshop:Source"] == "RUSSIAN DEFENCE MINISTRY PRESS SERVICE"


def test_embedding_into_a_png_is_a_clear_415(client):
    from tests.images import png_bytes

    response = client.post("/v1/assets", files={"file": ("a.png", png_bytes(7), "image/png")})
    asset_id = response.json()["id"]
    refused = client.get(f"/v1/assets/{asset_id}/file", params={"embed": "rights"})
    assert refused.status_code == 415
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_jpeg_cut_inside_its_header_is_a_400_problem_saying_so(client):
    data = jpeg_bytes(8, caption="Rally. REUTERS/Jane Doe")
    response = client.post(
        "/v1/assets", files={"file": ("t.jpg", data[: len(data) // 2], "image/jpeg")}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "truncated" in response.json()["detail"]


def test_jpeg_cut_inside_its_image_data_is_stored_with_its_caption(client):
    data = jpeg_bytes(9, size=(256, 256), caption="Rally. REUTERS/Jane Doe NO SALES")
    response = client.post("/v1/assets", files={"file": ("t.jpg", data[:-200], "image/jpeg")})
    assert response.status_code == 201, response.text
    assert response.json()["rights"]["agency"] == "Reuters"
    assert decision(client, response.json()["id"], "sale") == "deny"


def test_every_agency_corpus_file_gives_its_caption_and_restrictions(client, shared):
    from captions import parse_caption

    agency = shared / "corpus" / "agency"
    lines = (agency / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines, "the agency corpus manifest is empty"
    for line in lines:
        entry = json.loads(line)
        data = (agency / "images" / entry["file"]).read_bytes()
        response = client.post(
            "/v1/assets", files={"file": (entry["file"], data, "application/octet-stream")}
        )
        assert response.status_code in (200, 201), (entry["file"], response.text)
        asset = response.json()
        assert asset["caption"].strip() == entry["caption"].strip(), entry["file"]
        expected = {r.code.value for r in parse_caption(entry["caption"]).restrictions}
        found = {r["code"] for r in asset["rights"]["restrictions"] if r["origin"] == "caption"}
        assert found == expected, entry["file"]
