"""Damaged images never crash or hang the reader or the upload: real files, mutated.

Mutations of the shared corpus (../shared/corpus/images): bit flips, truncation, segments
spliced in from another file, duplicated and zeroed ranges. A reader may refuse a file
(MetadataError, i.e. a 4xx on upload); anything else escaping it is a bug, and so is taking
two seconds or more on one file.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cpu_time import cpu_seconds_since
from tests.shared import needs, shared_dir

EACH_FILE_SECONDS = 2.0
DEPTH = int(os.environ.get("RIGHTSDESK_FUZZ_EXAMPLES", "25")) / 25  # raise it for a deep run
_SHARED = shared_dir()
CORPUS = sorted((_SHARED / "corpus" / "images").glob("*")) if _SHARED else []
# Files above 1 MB make each example slow without reaching code the small ones miss.
SMALL = [p for p in CORPUS if p.is_file() and p.stat().st_size <= 1 << 20]

pytestmark = [
    needs(bool(SMALL), "the image corpus (../shared/corpus/images) is not on this machine"),
    # Pillow warns about each damaged EXIF block it skips; that is expected here
    pytest.mark.filterwarnings("ignore::UserWarning:PIL"),
]


@st.composite
def mutated_images(draw: st.DrawFn) -> tuple[str, bytes]:
    path = draw(st.sampled_from(SMALL))
    data = bytearray(path.read_bytes())
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "splice", "duplicate", "zero"]))
        size = len(data)
        if size < 2:
            break
        at = draw(st.integers(0, size - 1))
        if kind == "flip":
            for _flip in range(draw(st.integers(1, 16))):
                spot = draw(st.integers(0, size - 1))
                data[spot] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[max(at, 1) :]
        elif kind == "splice":
            other = draw(st.sampled_from(SMALL)).read_bytes()
            start = draw(st.integers(0, len(other) - 1))
            piece = other[start : start + draw(st.integers(1, 4096))]
            replace = draw(st.booleans())
            data[at : at + (len(piece) if replace else 0)] = piece
        elif kind == "duplicate":
            piece = bytes(data[at : at + draw(st.integers(1, 2048))])
            data[at:at] = piece * draw(st.integers(1, 8))
        else:
            data[at : at + draw(st.integers(1, 512))] = bytes(min(512, size - at))
        steps.append(f"{kind}@{at}")
    return f"{path.name} {' '.join(steps)}", bytes(data)


def within_time_limit(work: Callable[[], Any], what: str) -> Any:
    """Run `work` in a daemon thread; fail if it takes longer than EACH_FILE_SECONDS."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    started, cpu_started = time.monotonic(), time.process_time()
    thread.start()
    thread.join(EACH_FILE_SECONDS * 10)
    elapsed = time.monotonic() - started
    assert not thread.is_alive(), f"{what}: still running after {elapsed:.1f} s (hang)"
    spent = cpu_seconds_since(cpu_started)
    assert spent < EACH_FILE_SECONDS, f"{what}: took {spent:.2f} s of CPU"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@settings(
    max_examples=int(1000 * DEPTH), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(mutated_images())
def test_reader_refuses_or_reads_every_damaged_file(sample):
    from assets.metadata import MetadataError, read_embedded

    what, data = sample
    try:
        meta = within_time_limit(lambda: read_embedded(data), what)
    except MetadataError as refused:
        assert str(refused), what  # a refusal says why
        return
    assert meta.media_type, what
    assert isinstance(meta.warnings, list)


@settings(
    max_examples=int(200 * DEPTH),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sample=mutated_images())
def test_upload_of_a_damaged_file_is_stored_or_refused_never_a_server_error(client, sample):
    what, data = sample
    response = within_time_limit(
        lambda: client.post("/v1/assets", files={"file": ("fuzz.bin", data, "image/jpeg")}), what
    )
    assert response.status_code < 500, f"{what}: {response.status_code} {response.text}"
    if response.status_code in (200, 201):
        asset = response.json()
        stored = client.get(f"/v1/assets/{asset['id']}/file")
        assert stored.status_code == 200 and stored.content == data, what
    else:
        assert response.status_code in (400, 413, 415, 422), f"{what}: {response.text}"
        assert response.headers["content-type"] == "application/problem+json"


def test_corpus_files_themselves_are_read_or_refused_cleanly():
    from assets.metadata import MetadataError, read_embedded

    slow = []
    for path in CORPUS:
        data = path.read_bytes()
        started = time.process_time()
        with contextlib.suppress(MetadataError):
            read_embedded(data)
        if cpu_seconds_since(started) >= EACH_FILE_SECONDS:
            slow.append(path.name)
    assert slow == []
