"""Feed configuration: a TOML file and/or a list of places; anything unusable is refused at
start with the key and the fix, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from assets.feeds.config import FeedConfigError, load_feeds
from tests.feeds_helpers import drop
from tests.images import jpeg_bytes


def test_file_defaults_and_sources(tmp_path: Path):
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[defaults]\nsettle_seconds = 0.5\n\n[[feed]]\nname = "epa"\nsource = "/in/epa"\n'
        'apply_kills = true\nsidecars = "required"\n'
    )
    epa, extra = load_feeds(path, "s3://bucket/Reuters/")
    assert (epa.name, epa.apply_kills, epa.sidecars, epa.settle_seconds) == (
        "epa",
        True,
        "required",
        0.5,
    )
    assert extra.name == "reuters" and extra.is_s3 and extra.settle_seconds == 0.5


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[[feed]]\nname = "a"\nsource = "/x"\nsettle = 1\n', "unknown key"),
        ('[[feed]]\nname = "A B"\nsource = "/x"\n', "name must be"),
        ('[[feed]]\nname = "a"\n', "source must be"),
        ('[[feed]]\nname = "a"\nsource = "ftp://x"\n', "folder path or s3"),
        ('[[feed]]\nname = "a"\nsource = "/x"\nsidecars = "maybe"\n', "sidecars must be"),
        ('[[feed]]\nname = "a"\nsource = "/x"\napply_kills = "yes"\n', "true or false"),
        ('[[feed]]\nname = "a"\nsource = "/x"\npoll_seconds = -1\n', "negative"),
        ('[[feed]]\nname = "a"\nsource = "/x"\n[[feed]]\nname = "a"\nsource = "/y"\n', "differ"),
        ("[[feed]\n", "cannot read"),
    ],
)
def test_unusable_configuration_is_refused(tmp_path: Path, text: str, says: str):
    path = tmp_path / "feeds.toml"
    path.write_text(text)
    with pytest.raises(FeedConfigError, match=says):
        load_feeds(path)


def test_watch_once_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from typer.testing import CliRunner

    from api.cli import app

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    drop(inbox, "a.jpg", jpeg_bytes(1))
    for name in ("DATABASE_URL", "RIGHTSDESK_FEEDS", "RIGHTSDESK_FEED_SOURCES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RIGHTSDESK_DATA_DIR", str(tmp_path / "data"))
    run = CliRunner().invoke(app, ["watch", "--source", str(inbox), "--once"])
    assert run.exit_code == 0, run.output
    assert (inbox / "done" / "a.jpg").exists()
    refused = CliRunner().invoke(app, ["watch"])
    assert refused.exit_code == 2


def test_the_live_line_shows_each_feeds_counts_and_lag():
    from api.cli import _feed_line
    from assets.feeds.worker import FeedProgress

    line = _feed_line(
        {
            "epa": FeedProgress(
                seen=5,
                ingested=3,
                rejected=1,
                retried=1,
                waiting=1,
                last="x.jpg: ingested",
                lags=[0.1, 0.2, 3.0],
            )
        }
    ).plain
    assert "epa: 5 seen, 3 in, 1 rejected, 1 retrying, 1 waiting p95 lag 3.00s" in line
    assert "x.jpg: ingested" in line
