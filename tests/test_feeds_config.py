"""Feed configuration: a TOML file and/or a list of places; anything unusable is refused at
start with the key and the fix, never guessed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assets.feeds.config import FeedConfigError, load_feeds
from tests.feeds_helpers import drop
from tests.images import jpeg_bytes
from tests.server import REPO, cli_env


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


def test_watch_once_from_the_command_line(tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    drop(inbox, "a.jpg", jpeg_bytes(1))
    env = cli_env(tmp_path / "data")
    run = subprocess.run(
        [sys.executable, "-m", "api.cli", "watch", "--source", str(inbox), "--once"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "1 stored" in run.stderr and (inbox / "done" / "a.jpg").exists()
    refused = subprocess.run(
        [sys.executable, "-m", "api.cli", "watch"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "no feeds configured" in refused.stderr
