"""Uploading and looking up images over HTTP: the catalogue's contract."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient

from tests.images import jpeg_bytes, png_bytes

SEED_CREDIT = "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"


def upload(
    client: TestClient,
    data: bytes,
    caption: str | None = None,
    filename: str = "photo.jpg",
    media_type: str = "image/jpeg",
) -> dict:
    form = {"caption": caption} if caption is not None else {}
    response = client.post("/v1/assets", files={"file": (filename, data, media_type)}, data=form)
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_seed_upload_reads_rights_from_the_embedded_iptc_caption(client, seed_image):
    response = client.post("/v1/assets", files={"file": ("seed.jpg", seed_image, "image/jpeg")})
    assert response.status_code == 201, response.text
    asset = response.json()
    assert asset["sha256"] == hashlib.sha256(seed_image).hexdigest()
    assert asset["caption"].startswith("epa09674804 A handout still image")
    rights = asset["rights"]
    assert rights["agency"] == "EPA"
    assert rights["agency_ref"] == "epa09674804"
    assert rights["credit_line"] == SEED_CREDIT
    assert rights["source"] == "RUSSIAN DEFENCE MINISTRY PRESS SERVICE"
    assert rights["handout"] is True
    assert rights["date"] == "2022-01-09"
    assert "Ivanovo" in rights["place"]
    codes = sorted(r["code"] for r in rights["restrictions"])
    assert codes == ["EDITORIAL_USE_ONLY", "NO_SALES"]
    for restriction in rights["restrictions"]:
        caption_spans = [e for e in restriction["evidence"] if e["origin"] == "caption"]
        assert len(caption_spans) == 2
        for span in caption_spans:
            assert asset["caption"][span["start"] : span["end"]] == span["text"]
    assert asset["embedded"]["credit"] == SEED_CREDIT
    assert asset["width"] == 320 and asset["height"] == 200


def test_same_bytes_twice_give_one_asset_marked_duplicate(client):
    data = jpeg_bytes(1)
    first = client.post("/v1/assets", files={"file": ("a.jpg", data, "image/jpeg")})
    second = client.post("/v1/assets", files={"file": ("b.jpg", data, "image/jpeg")})
    assert first.status_code == 201 and first.json()["duplicate"] is False
    assert second.status_code == 200 and second.json()["duplicate"] is True
    assert second.json()["id"] == first.json()["id"]
    listing = client.get("/v1/assets").json()
    assert [a["id"] for a in listing["items"]] == [first.json()["id"]]


def test_posted_caption_wins_over_the_embedded_one(client):
    data = jpeg_bytes(2, caption="Embedded caption. REUTERS/Jane Doe")
    asset = upload(client, data, caption="Posted caption. EPA-EFE/JOHN SMITH EDITORIAL USE ONLY")
    assert asset["caption"].startswith("Posted caption")
    assert asset["rights"]["agency"] == "EPA-EFE"


def test_lookup_by_id_and_by_agency_ref(client, seed_image):
    asset = upload(client, seed_image)
    by_id = client.get(f"/v1/assets/{asset['id']}")
    by_ref = client.get("/v1/assets/by-ref/epa09674804")
    assert by_id.status_code == 200 and by_ref.status_code == 200
    assert by_id.json()["id"] == by_ref.json()["id"] == asset["id"]


def test_file_download_returns_the_original_bytes(client, seed_image):
    asset = upload(client, seed_image)
    response = client.get(f"/v1/assets/{asset['id']}/file")
    assert response.status_code == 200
    assert response.content == seed_image
    assert response.headers["content-type"] == "image/jpeg"


def test_listing_filters_by_agency_and_restriction(client, seed_image):
    seed = upload(client, seed_image)
    reuters = upload(client, jpeg_bytes(3), caption="Protest in Paris. REUTERS/Jane Doe")
    png = upload(
        client,
        png_bytes(4),
        caption="A handout. EPA/MINISTRY/HANDOUT NO SALES",
        filename="x.png",
        media_type="image/png",
    )
    by_agency = client.get("/v1/assets", params={"agency": "EPA"}).json()["items"]
    assert {a["id"] for a in by_agency} == {seed["id"], png["id"]}
    editorial = client.get("/v1/assets", params={"restriction": "EDITORIAL_USE_ONLY"}).json()
    assert [a["id"] for a in editorial["items"]] == [seed["id"]]
    no_sales = client.get("/v1/assets", params={"restriction": "NO_SALES"}).json()["items"]
    assert {a["id"] for a in no_sales} == {seed["id"], png["id"]}
    assert reuters["id"] not in {a["id"] for a in no_sales}


def test_keyset_pages_walk_every_asset_once_newest_first(client):
    ids = [upload(client, jpeg_bytes(10 + i))["id"] for i in range(7)]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/assets", params=params).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))


def test_non_image_upload_is_415_problem(client):
    response = client.post(
        "/v1/assets", files={"file": ("notes.pdf", b"%PDF-1.7 not an image", "image/jpeg")}
    )
    assert response.status_code == 415
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "JPEG" in response.json()["detail"]


def test_empty_upload_is_400_problem(client):
    response = client.post("/v1/assets", files={"file": ("empty.jpg", b"", "image/jpeg")})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "empty" in response.json()["detail"]


def test_unknown_asset_is_404_problem(client):
    for path in (
        "/v1/assets/0123456789abcdef0123456789abcdef",
        "/v1/assets/nonsense",
        "/v1/assets/by-ref/epa00000000",
        "/v1/assets/0123456789abcdef0123456789abcdef/file",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/problem+json")


def test_bad_cursor_is_400_problem(client):
    response = client.get("/v1/assets", params={"cursor": "../../etc"})
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def test_filename_never_becomes_a_path(client):
    asset = upload(client, jpeg_bytes(5), filename="../../etc/passwd.jpg")
    assert asset["filename"] == "passwd.jpg"


def test_caption_edit_reparses_and_keeps_history(client, runtime):
    asset = upload(client, jpeg_bytes(6), caption="A street. REUTERS/Jane Doe")
    assert asset["rights"]["restrictions"] == []
    response = client.put(
        f"/v1/assets/{asset['id']}/caption", json={"caption": "A street. REUTERS/Jane Doe NO SALES"}
    )
    assert response.status_code == 200
    assert [r["code"] for r in response.json()["rights"]["restrictions"]] == ["NO_SALES"]
    from sqlmodel import Session, select

    from assets.tables import CaptionVersion

    with Session(runtime.engine) as session:
        history = session.exec(
            select(CaptionVersion)
            .where(CaptionVersion.asset_id == asset["id"])
            .order_by(CaptionVersion.id)
        ).all()
    assert [h.caption for h in history] == [
        "A street. REUTERS/Jane Doe",
        "A street. REUTERS/Jane Doe NO SALES",
    ]
