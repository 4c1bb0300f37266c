"""What a file or an earlier caption said stays said, whatever an editor does next.

Two classes of hole, each tried for every phrase of its kind:
- an agency's kill notice travelling in an instruction of the file (IPTC 2:40 Special
  Instructions, XMP photoshop:Instructions or xmpRights:UsageTerms, an embedded caption beside
  a posted one) is a kill notice like one in the caption: a kill request from an editor, a
  kill from a feed allowed to kill; never `allow`;
- unclassified restriction text (OTHER, unrecognised) that an editor cuts from the caption
  keeps the picture in review: only a rights manager's lease lifts it. The same text read
  again by a newer parser is still the new parser's to judge.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.runtime import Runtime
from assets.db import session_scope
from assets.keys import Role, create_key
from assets.metadata import EmbeddedMetadata
from assets.rights_reading import read_rights
from captions import parse_caption
from rights import Code, Outcome, Purpose, Restriction, RightsRecord, Use, evaluate
from tests.rights_builders import T0
from tests.rights_files import FileSpec, build

REPO = Path(__file__).resolve().parents[1]
PLAIN = "Street scene in Ivanovo. EPA/JOHN DOE"


@cache
def kill_phrases() -> tuple[str, ...]:
    """Every kill phrase of every lexicon language that parses as a kill notice alone."""
    phrases: list[str] = []
    for path in sorted((REPO / "captions").glob("lexicon_*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        phrases += (data.get("kill") or {}).get("phrases") or []
    return tuple(p for p in dict.fromkeys(phrases) if parse_caption(p).kill)


# Where a file can carry an instruction (tests.rights_files targets).
INSTRUCTION_TARGETS = (
    "iptc:special_instructions",
    "iptc:caption",
    "xmp:instructions",
    "xmp:usage_terms",
    "xmp:usage_terms_other_language",
)


@pytest.fixture
def app(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime)) as client:
        yield client


@pytest.fixture
def headers(runtime: Runtime) -> Callable[..., dict[str, str]]:
    made: dict[tuple[Role, bool], dict[str, str]] = {}

    def of(role: Role, can_kill: bool = False) -> dict[str, str]:
        if (role, can_kill) not in made:
            with session_scope(runtime.engine) as session:
                name = f"{role.value}-{can_kill}"
                _row, plain = create_key(session, name, role, can_kill=can_kill)
            made[(role, can_kill)] = {"Authorization": f"Bearer {plain}"}
        return made[(role, can_kill)]

    return of


def upload(app: TestClient, headers: dict[str, str], data: bytes, caption: str | None) -> dict:
    form = {"caption": caption} if caption else {}
    response = app.post(
        "/v1/assets", files={"file": ("x.jpg", data, "image/jpeg")}, data=form, headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def decision(app: TestClient, headers: dict[str, str], asset: str, purpose: str) -> str:
    body = {"assets": [asset], "use": {"purpose": purpose, "territory": "GB"}}
    response = app.post("/v1/rights/check", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return str(response.json()["results"][0]["decision"])


# --- kill notices in the file's instructions -----------------------------------------------------


def test_every_kill_phrase_in_every_instruction_is_read_as_a_kill_notice() -> None:
    assert len(kill_phrases()) >= 20
    for phrase in kill_phrases():
        for field_name in ("special_instructions", "usage_terms", "caption"):
            embedded = EmbeddedMetadata()
            embedded.by_origin[field_name] = {"iptc": f"{phrase}."}
            record = read_rights(PLAIN, embedded)
            assert record.kill_notice, (phrase, field_name)
            for purpose in Purpose:
                assert evaluate(record, Use(purpose), now=T0).decision is Outcome.DENY


@pytest.mark.parametrize("target", INSTRUCTION_TARGETS)
def test_a_kill_notice_in_the_file_holds_the_picture_after_an_editors_upload(
    app: TestClient, headers: Callable[..., dict[str, str]], target: str
) -> None:
    editor = headers(Role.EDITOR)
    for seed, phrase in enumerate(kill_phrases()[::4]):
        text = f"Crowds gather. REUTERS/Jane Doe {phrase}" if target.endswith("caption") else phrase
        data = build(FileSpec("jpeg", target, text, seed=1 + 41 * seed))
        asset = upload(app, editor, data, PLAIN)
        assert asset["status"] == "kill_requested", (target, phrase)
        for purpose in ("editorial", "sale"):
            assert decision(app, editor, asset["id"], purpose) == "deny", (target, phrase)
        # an edit of the caption does not take the file's notice away
        edited = app.put(
            f"/v1/assets/{asset['id']}/caption", json={"caption": PLAIN}, headers=editor
        )
        assert edited.status_code == 200
        assert decision(app, editor, asset["id"], "editorial") == "deny", (target, phrase)


def test_a_kill_notice_in_the_file_from_a_feed_allowed_to_kill_kills(
    app: TestClient, headers: Callable[..., dict[str, str]]
) -> None:
    feed = headers(Role.EDITOR, can_kill=True)
    data = build(FileSpec("jpeg", "iptc:special_instructions", "MANDATORY KILL", seed=99))
    asset = upload(app, feed, data, PLAIN)
    assert asset["status"] == "killed"
    assert decision(app, feed, asset["id"], "editorial") == "deny"


# --- unclassified restriction text cut from the caption -----------------------------------------

UNCLASSIFIED = [
    "NOT FOR USE BY TABLOIDS",
    "NO USE BEFORE THE END OF THE MATCH",
    "MUST NOT BE CROPPED",
    "NOT TO BE USED WITH STORIES ABOUT CRIME",
]


def unclassified_phrases() -> list[str]:
    """The phrases above that the parser leaves unclassified after a credit (review)."""
    found = []
    for phrase in UNCLASSIFIED:
        parsed = parse_caption(f"{PLAIN} {phrase}")
        if any(r.code == Code.OTHER for r in parsed.restrictions) or parsed.unrecognised:
            found.append(phrase)
    return found


def test_the_unclassified_phrases_are_reviewed() -> None:
    assert len(unclassified_phrases()) >= 2


@pytest.mark.parametrize("where", ["caption", "caption then special instructions"])
def test_cutting_unclassified_text_from_the_caption_keeps_the_review(
    app: TestClient, headers: Callable[..., dict[str, str]], where: str
) -> None:
    editor = headers(Role.EDITOR)
    for seed, phrase in enumerate(unclassified_phrases()):
        data = build(FileSpec("jpeg", "iptc:special_instructions", "none", seed=3 + 41 * seed))
        asset = upload(app, editor, data, f"{PLAIN} {phrase}")
        assert decision(app, editor, asset["id"], "editorial") == "review", phrase
        edits = [PLAIN, f"{PLAIN} EDITORIAL USE ONLY"]
        if where != "caption":
            edits = [PLAIN.replace("Ivanovo", "Moscow"), PLAIN]
        for caption in edits:
            response = app.put(
                f"/v1/assets/{asset['id']}/caption", json={"caption": caption}, headers=editor
            )
            assert response.status_code == 200
            for purpose in ("editorial", "sale"):
                assert decision(app, editor, asset["id"], purpose) != "allow", (phrase, caption)


def test_unclassified_text_read_again_is_judged_by_the_new_reading() -> None:
    """A phrase still in the caption that a newer parser no longer flags is cleared."""
    caption = f"{PLAIN} Crowds cheer the team"
    earlier = RightsRecord(
        agency="EPA",
        restrictions=(Restriction(Code.OTHER, "Crowds cheer the team"),),
        unrecognised=("Crowds cheer the team",),
    )
    record = read_rights(caption, EmbeddedMetadata(), earlier)
    assert all(r.code != Code.OTHER for r in record.restrictions)
    assert not record.unrecognised
    gone = read_rights(PLAIN, EmbeddedMetadata(), earlier)
    assert [r.text for r in gone.restrictions if r.code == Code.OTHER] == ["Crowds cheer the team"]
    assert gone.unrecognised == ("Crowds cheer the team",)
