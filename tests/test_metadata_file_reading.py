"""read_embedded_file reads a file on disk exactly as read_embedded reads its bytes, while
only the regions the containers need ever enter memory."""

from __future__ import annotations

import os
import random
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from assets.metadata import EmbeddedMetadata, MetadataError, read_embedded, read_embedded_file
from assets.metadata import source as source_module
from assets.metadata.source import FileBytes
from tests.cpu_time import cpu_seconds_since
from tests.metadata_corpus import app1_xmp, app13, iim, segment, tiny_jpeg, with_segments
from tests.shared import needs, shared_dir

LIMIT_SECONDS = 2.0


def _corpus_files() -> list[Path]:
    shared = shared_dir()
    if shared is None:
        return []
    folders = (shared / "corpus" / "images", shared / "corpus" / "agency" / "images")
    return sorted(p for folder in folders if folder.is_dir() for p in folder.iterdir())


CORPUS = _corpus_files()


def _outcome(read: Callable[[], EmbeddedMetadata]) -> EmbeddedMetadata | tuple[str, str]:
    """The reading, or the refusal (error type and user-facing message)."""
    try:
        return read()
    except MetadataError as exc:
        return type(exc).__name__, str(exc)


def _assert_same_reading(path: Path) -> None:
    data = path.read_bytes()
    start = time.process_time()
    from_file = _outcome(lambda: read_embedded_file(path))
    elapsed = cpu_seconds_since(start)
    from_bytes = _outcome(lambda: read_embedded(data))
    assert from_file == from_bytes  # every normalised field, raw block, origin and warning
    assert elapsed < LIMIT_SECONDS, f"read took {elapsed:.2f} s of CPU"


@needs(bool(CORPUS), "../shared/corpus is not on this machine")
@pytest.mark.parametrize("path", CORPUS, ids=[f"{p.parent.parent.name}/{p.name}" for p in CORPUS])
def test_corpus_file_read_from_disk_equals_its_bytes_read_in_memory(path: Path) -> None:
    _assert_same_reading(path)


def _hostile_files() -> dict[str, bytes]:
    jpeg = tiny_jpeg()
    xmp = app1_xmp(b'<x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta>')
    afcp_footer = b"AXS!" + (10**6).to_bytes(4, "big") + b"\x00" * 4
    return {
        "empty": b"",
        "pdf": b"%PDF-1.7\n" + b"\x00" * 100,
        "jpeg-cut-in-header": with_segments(jpeg, app13(iim((2, 120, b"cut"))))[:40],
        "jpeg-cut-in-scan": with_segments(jpeg, app13(iim((2, 120, b"kept"))))[:-20],
        "a-million-empty-segments": with_segments(jpeg, b"\xff\xe5\x00\x02" * 1_000_000),
        "afcp-trailer-pointing-nowhere": jpeg + b"\x00" * 300_000 + afcp_footer,
        "many-xmp-packets": with_segments(jpeg, *[xmp] * 50),
        "iptc-beyond-a-block": with_segments(jpeg, app13(iim((2, 120, b"x" * 30_000)))),
        "png-signature-only": b"\x89PNG\r\n\x1a\n",
        "tiff-header-only": b"II*\x00\x08\x00\x00\x00",
        "webp-header-only": b"RIFF\x10\x00\x00\x00WEBPVP8X",
    }


HOSTILE = _hostile_files()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_damaged_file_read_from_disk_equals_its_bytes_read_in_memory(
    name: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(HOSTILE[name])
    _assert_same_reading(path)


def _count_bytes_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every block the reader takes from disk, appended as it is read."""
    read: list[int] = []
    real_pread = os.pread

    def counting_pread(fd: int, length: int, offset: int) -> bytes:
        part = real_pread(fd, length, offset)
        read.append(len(part))
        return part

    monkeypatch.setattr(source_module.os, "pread", counting_pread)
    return read


def test_large_jpeg_is_read_from_its_header_and_its_end_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    caption = b"EPA/HANDOUT EDITORIAL USE ONLY/NO SALES"
    jpeg = with_segments(tiny_jpeg(), app13(iim((2, 120, caption))))
    scan_end = jpeg.rindex(b"\xff\xd9")
    path = tmp_path / "large.jpg"
    with path.open("wb") as out:  # 40 MB of "scan data" between the header and EOI
        out.write(jpeg[:scan_end])
        out.write(b"\x55" * 40_000_000)
        out.write(jpeg[scan_end:])
    read = _count_bytes_read(monkeypatch)
    meta = read_embedded_file(path)
    assert meta.caption == caption.decode()
    assert sum(read) < 64 * 1024


def test_jpeg_padded_with_segments_is_walked_by_their_headers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Segments nobody reads (ICC profiles, padding) are stepped over, not copied."""
    padding = segment(0xEF, b"PAD\x00" + b"\x00" * 65_000)
    path = tmp_path / "padded.jpg"
    path.write_bytes(with_segments(tiny_jpeg(), *[padding] * 300))  # ~20 MB
    read = _count_bytes_read(monkeypatch)
    meta = read_embedded_file(path)
    assert meta.width == 16
    # one block per segment header, for the size walk and the metadata walk
    assert sum(read) < path.stat().st_size // 3


# --- FileBytes behaves like bytes ------------------------------------------------------


def _random_file(tmp_path: Path, size: int, seed: int) -> tuple[bytes, FileBytes, int]:
    data = random.Random(seed).randbytes(size)
    path = tmp_path / "random.bin"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    return data, FileBytes(fd), fd


def test_file_bytes_indexes_and_slices_like_bytes(tmp_path: Path) -> None:
    data, view, fd = _random_file(tmp_path, 5 * FileBytes.BLOCK + 123, seed=1)
    try:
        assert len(view) == len(data)
        rng = random.Random(2)
        for _ in range(2000):
            a, b = rng.randrange(-100, len(data) + 100), rng.randrange(-100, len(data) + 100)
            assert view[a:b] == data[a:b], (a, b)
            if -len(data) <= a < len(data):
                assert view[a] == data[a]
        assert view[:] == data
        assert view[len(data) - 4 :] == data[-4:]
        with pytest.raises(IndexError):
            view[len(data)]
    finally:
        os.close(fd)


def test_file_bytes_searches_backwards_like_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FileBytes, "_SEARCH_WINDOW", 1000)  # many windows, matches across them
    data, view, fd = _random_file(tmp_path, 20_000, seed=3)
    try:
        rng = random.Random(4)
        for _ in range(500):
            at = rng.randrange(0, len(data) - 4)
            needle = data[at : at + rng.choice((1, 2, 4))]
            lo, hi = rng.randrange(0, len(data)), rng.randrange(0, len(data) + 10)
            assert view.rfind(needle, lo, hi) == data.rfind(needle, lo, hi), (needle, lo, hi)
        assert view.rfind(b"not in random bytes" * 3, 0, len(data)) == -1
    finally:
        os.close(fd)


# --- hostile files with huge metadata blocks ------------------------------------------

_HUGE = 48 * 1024 * 1024
_PIECE = 65_000


def _jpeg_flooded_with(path: Path, make_segment: Callable[[int], bytes]) -> None:
    jpeg = tiny_jpeg()
    with path.open("wb") as out:
        out.write(jpeg[:2])
        for index in range(_HUGE // _PIECE):
            out.write(make_segment(index))
        out.write(jpeg[2:])


def _photoshop_flood(path: Path) -> None:
    body = b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00" + b"\x00" * (_PIECE - 22)
    _jpeg_flooded_with(path, lambda _: segment(0xED, body))


def _extended_xmp_flood(path: Path) -> None:
    """Thousands of extended-XMP chunks, each of its own GUID, each claiming 64 KB."""
    signature = b"http://ns.adobe.com/xmp/extension/\x00"

    def chunk(index: int) -> bytes:
        guid = f"{index:032X}".encode()
        return segment(
            0xE1, signature + guid + (2 * _PIECE).to_bytes(4, "big") + b"\x00" * 4 + b" " * _PIECE
        )

    _jpeg_flooded_with(path, chunk)


def _write_padded(out: object, size: int) -> None:
    write = out.write  # type: ignore[attr-defined]
    for _ in range(size // (1 << 20)):
        write(b" " * (1 << 20))
    write(b" " * (size % (1 << 20)))


def _tiff_huge_xmp(path: Path) -> None:
    tags = [(256, 3, 1, 1), (257, 3, 1, 1), (273, 4, 1, 8), (279, 4, 1, 1), (700, 1, _HUGE, 8)]
    ifd = len(tags).to_bytes(2, "little")
    for tag, typ, count, value in tags:
        field = (
            value.to_bytes(2, "little") + b"\x00\x00" if typ == 3 else value.to_bytes(4, "little")
        )
        ifd += tag.to_bytes(2, "little") + typ.to_bytes(2, "little") + count.to_bytes(4, "little")
        ifd += field
    with path.open("wb") as out:
        out.write(b"II*\x00" + (8 + _HUGE).to_bytes(4, "little"))
        _write_padded(out, _HUGE)
        out.write(ifd + b"\x00" * 4)


def _png_huge_xmp(path: Path) -> None:
    ihdr = (1).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    keyword = b"XML:com.adobe.xmp\x00\x00\x00\x00\x00"
    with path.open("wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + (13).to_bytes(4, "big") + b"IHDR" + ihdr + b"\x00" * 4)
        out.write((len(keyword) + _HUGE).to_bytes(4, "big") + b"iTXt" + keyword)
        _write_padded(out, _HUGE)
        out.write(b"\x00" * 4 + b"\x00" * 4 + b"IEND" + b"\x00" * 4)


def _webp_huge_xmp(path: Path) -> None:
    vp8x = b"VP8X" + (10).to_bytes(4, "little") + b"\x04\x00\x00\x00" + b"\x00" * 6
    with path.open("wb") as out:
        out.write(b"RIFF" + (4 + len(vp8x) + 8 + _HUGE).to_bytes(4, "little") + b"WEBP" + vp8x)
        out.write(b"XMP " + _HUGE.to_bytes(4, "little"))
        _write_padded(out, _HUGE)


@pytest.mark.parametrize(
    "build",
    [_photoshop_flood, _extended_xmp_flood, _tiff_huge_xmp, _png_huge_xmp, _webp_huge_xmp],
    ids=["jpeg-photoshop-flood", "jpeg-extended-xmp-flood", "tiff-xmp", "png-xmp", "webp-xmp"],
)
def test_huge_metadata_blocks_are_skipped_without_being_read_whole(
    build: Callable[[Path], None], tmp_path: Path
) -> None:
    path = tmp_path / "huge"
    build(path)
    assert path.stat().st_size > 40 * 1024 * 1024
    tracemalloc.start()
    try:
        start = time.process_time()
        meta = read_embedded_file(path)
        elapsed = cpu_seconds_since(start)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert any("16 MB" in w or "XMP ignored" in w for w in meta.warnings), meta.warnings
    assert peak < 40 * 1024 * 1024, f"peak {peak / 2**20:.1f} MB"
    assert elapsed < LIMIT_SECONDS, f"read took {elapsed:.2f} s of CPU"
