"""The upload path recognises images by their first bytes and refuses everything else."""

from __future__ import annotations

import pytest

from assets.metadata import UnsupportedMedia, read_embedded, sniff_media_type
from tests.metadata_corpus import tiny_jpeg


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "image/tiff"),
        (b"II+\x00\x08\x00\x00\x00", "image/tiff"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", "image/png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "image/heic"),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heichevc", "image/heif"),
    ],
)
def test_image_types_are_recognised_by_magic_bytes(head: bytes, media_type: str) -> None:
    assert sniff_media_type(head + b"\x00" * 32) == media_type


@pytest.mark.parametrize(
    "data",
    [b"", b"%PDF-1.7\n", b"GIF89a", b"PK\x03\x04", b"<html>", b"\x00\x00\x00\x18ftypavif"],
)
def test_other_files_are_not_images(data: bytes) -> None:
    assert sniff_media_type(data) is None


def test_a_pdf_is_refused_with_advice() -> None:
    with pytest.raises(UnsupportedMedia, match="PDF; upload a JPEG, TIFF, PNG, WebP"):
        read_embedded(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")


def test_a_real_jpeg_is_a_jpeg() -> None:
    assert sniff_media_type(tiny_jpeg()) == "image/jpeg"
