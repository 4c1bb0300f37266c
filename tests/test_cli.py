"""The `rightsdesk` command line, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.slow


def rightsdesk(
    tmp_path: Path, *args: str, stdin: str | None = None, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RIGHTSDESK_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )


def test_parse_reads_a_caption_from_stdin_and_prints_json(tmp_path):
    caption = (SEEDS / "epa09674804.txt").read_text()
    result = rightsdesk(tmp_path, "parse", stdin=caption)
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["agency"] == "EPA"
    assert {r["code"] for r in parsed["restrictions"]} == {"EDITORIAL_USE_ONLY", "NO_SALES"}


def test_seed_then_check_exits_by_decision(tmp_path, database_url):
    assert rightsdesk(tmp_path, "seed", database_url=database_url).returncode == 0
    again = rightsdesk(tmp_path, "seed", database_url=database_url)
    assert "1 already stored" in again.stderr
    allow = rightsdesk(
        tmp_path,
        "check",
        "epa09674804",
        "--purpose",
        "editorial",
        "--channel",
        "web",
        database_url=database_url,
    )
    assert allow.returncode == 0, allow.stderr
    assert json.loads(allow.stdout)["results"][0]["decision"] == "allow"
    deny = rightsdesk(
        tmp_path, "check", "epa09674804", "--purpose", "sale", database_url=database_url
    )
    assert deny.returncode == 1
    unknown = rightsdesk(
        tmp_path, "check", "epa00000000", "--purpose", "editorial", database_url=database_url
    )
    assert unknown.returncode == 1


def test_check_refuses_a_territory_that_is_no_country(tmp_path):
    refused = rightsdesk(tmp_path, "check", "x", "--purpose", "editorial", "--territory", "ZZ")
    assert refused.returncode == 2
    assert "'ZZ' is not an ISO" in refused.stderr and "--territory" in refused.stderr
    assert refused.stdout == ""


def test_check_exits_2_when_review_is_needed(tmp_path):
    from tests.images import jpeg_bytes

    image = tmp_path / "cat.jpg"
    image.write_bytes(jpeg_bytes(9, caption="A cat on a sofa."))
    ingest = rightsdesk(tmp_path, "ingest", str(image))
    assert ingest.returncode == 0, ingest.stderr
    listing = rightsdesk(tmp_path, "check", "--purpose", "editorial", "missing")
    assert listing.returncode == 1
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{tmp_path / 'data' / 'rightsdesk.db'}")
    with engine.connect() as connection:
        asset_id = connection.execute(text("SELECT id FROM asset")).scalar_one()
    review = rightsdesk(tmp_path, "check", asset_id, "--purpose", "editorial")
    assert review.returncode == 2, review.stdout


def test_ingest_skips_non_images_and_says_why(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    result = rightsdesk(tmp_path, "ingest", str(bogus))
    assert result.returncode == 1
    assert "skipped" in result.stderr and "JPEG" in result.stderr


def test_keys_create_prints_the_key_alone_on_the_last_line(tmp_path):
    result = rightsdesk(tmp_path, "keys", "create", "--role", "editor", "--name", "desk")
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("rd_") and " " not in key
    listing = rightsdesk(tmp_path, "keys", "list")
    assert "desk" in listing.stdout and key not in listing.stdout


def test_db_upgrade_creates_the_schema(tmp_path, database_url):
    result = rightsdesk(tmp_path, "db", "upgrade", database_url=database_url)
    assert result.returncode == 0, result.stderr
    from sqlalchemy import create_engine, inspect

    tables = set(inspect(create_engine(database_url)).get_table_names())
    assert {
        "asset",
        "asset_restriction",
        "caption_version",
        "lease",
        "usage",
        "audit_event",
        "api_key",
        "alembic_version",
    } <= tables
