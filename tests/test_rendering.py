"""Drawing renditions: every format, upright, in sRGB, 8-bit, with no metadata left."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image, ImageCms, ImageStat

from assets.rendering import Undrawable, draw, placeholder

THUMB, PREVIEW = 256, 1200
RED, BLUE = (220, 30, 30), (30, 30, 220)


def saved(image: Image.Image, fmt: str, **params: object) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    buffer.seek(0)
    return buffer


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def mean(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[float, ...]:
    return tuple(ImageStat.Stat(image.convert("RGB").crop(box)).mean)


def is_red(colour: tuple[float, ...]) -> bool:
    return colour[0] > 150 and colour[2] < 100


# --- sizes and formats ------------------------------------------------------------------


def test_longest_side_is_256_for_a_thumbnail_and_1200_for_a_preview() -> None:
    source = saved(Image.new("RGB", (3000, 2000), BLUE), "JPEG")
    preview, thumb = draw(source, [PREVIEW, THUMB])
    assert (preview.width, preview.height) == (1200, 800)
    assert (thumb.width, thumb.height) == (256, 171)
    assert opened(thumb.data).size == (256, 171)


def test_a_small_picture_is_never_enlarged() -> None:
    (thumb,) = draw(saved(Image.new("RGB", (100, 40), BLUE), "PNG"), [THUMB])
    assert (thumb.width, thumb.height) == (100, 40)


@pytest.mark.parametrize(
    ("fmt", "params"),
    [
        ("JPEG", {}),
        ("TIFF", {}),
        ("TIFF", {"compression": "tiff_lzw"}),
        ("PNG", {}),
        ("WEBP", {"lossless": True}),
        ("HEIF", {"quality": 90}),
    ],
)
def test_every_upload_format_is_drawn_as_a_jpeg(fmt: str, params: dict[str, object]) -> None:
    pillow_heif.register_heif_opener()
    picture = Image.new("RGB", (640, 480), BLUE)
    picture.paste(Image.new("RGB", (320, 240), RED), (0, 0))
    (preview,) = draw(saved(picture, fmt, **params), [PREVIEW])
    out = opened(preview.data)
    assert preview.media_type == "image/jpeg" and out.format == "JPEG"
    assert out.size == (640, 480)
    assert is_red(mean(out, (20, 20, 300, 220)))
    assert not is_red(mean(out, (340, 260, 620, 460)))


def test_every_picture_of_the_corpus_is_drawn_or_refused_cleanly(shared: Path) -> None:
    images = sorted((shared / "corpus" / "images").iterdir())
    drawn = 0
    for path in images:
        try:
            preview, thumb = draw(path, [PREVIEW, THUMB])
        except Undrawable as exc:
            assert "cannot be decoded" in str(exc) or "pixels" in str(exc)
            continue
        drawn += 1
        assert max(thumb.width, thumb.height) <= THUMB
        assert max(preview.width, preview.height) <= PREVIEW
        assert opened(thumb.data).size == (thumb.width, thumb.height)
    assert drawn >= len(images) * 0.9


def test_corpus_heic_is_drawn_upright_from_a_phone(shared: Path) -> None:
    path = shared / "corpus" / "images" / "exif-samples__iphone_13_pro_max.HEIC"
    if not path.exists():
        pytest.skip("the corpus has no iPhone HEIC")
    (thumb,) = draw(path, [THUMB])
    # stored 4032 x 3024 with a 90-degree rotation: a portrait picture
    assert (thumb.width, thumb.height) == (192, 256)


# --- orientation ------------------------------------------------------------------------

# the transposition that stores an upright picture so that orientation N shows it upright
_STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("fmt", ["JPEG", "TIFF", "PNG", "WEBP"])
def test_exif_orientation_is_applied(orientation: int, fmt: str) -> None:
    upright = Image.new("RGB", (600, 300), BLUE)
    upright.paste(Image.new("RGB", (200, 100), RED), (0, 0))  # red in the top-left corner
    method = _STORED_AS[orientation]
    stored = upright.transpose(method) if method is not None else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    (thumb,) = draw(saved(stored, fmt, exif=exif.tobytes()), [THUMB])
    out = opened(thumb.data)
    assert out.size == (256, 128)
    assert is_red(mean(out, (5, 5, 75, 35)))
    assert not is_red(mean(out, (181, 93, 251, 123)))
    assert not is_red(mean(out, (181, 5, 251, 35)))
    assert not is_red(mean(out, (5, 93, 75, 123)))


# --- colour -------------------------------------------------------------------------------


def test_cmyk_jpeg_becomes_rgb() -> None:
    cmyk = Image.new("CMYK", (300, 200), (0, 230, 230, 0))  # no cyan, full magenta+yellow: red
    (thumb,) = draw(saved(cmyk, "JPEG", quality=95), [THUMB])
    out = opened(thumb.data)
    assert out.mode == "RGB"
    assert is_red(mean(out, (10, 10, 240, 160)))


def test_sixteen_bit_png_keeps_its_tones() -> None:
    grey = Image.new("I;16", (300, 100))
    grey.paste(Image.new("I;16", (150, 100), 32768), (0, 0))  # middle grey
    grey.paste(Image.new("I;16", (150, 100), 65535), (150, 0))  # white
    (thumb,) = draw(saved(grey, "PNG"), [THUMB])
    out = opened(thumb.data)
    assert out.mode == "L"
    left, right = mean(out, (5, 5, 120, 80)), mean(out, (140, 5, 250, 80))
    assert 115 < left[0] < 140  # scaled from 16 bits, not clipped to white
    assert right[0] > 245


def test_adobe_rgb_is_converted_to_srgb_through_its_profile() -> None:
    colour = (60, 200, 90)
    picture = Image.new("RGB", (300, 200), colour)
    profile = adobe_rgb_profile()
    (thumb,) = draw(saved(picture, "JPEG", quality=98, icc_profile=profile), [THUMB])
    out = opened(thumb.data)
    expected = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), colour),
        ImageCms.ImageCmsProfile(io.BytesIO(profile)),
        ImageCms.createProfile("sRGB"),
        renderingIntent=ImageCms.Intent.PERCEPTUAL,
    )
    assert expected is not None
    want = expected.getpixel((0, 0))
    assert isinstance(want, tuple)
    got = mean(out, (20, 20, 230, 150))
    assert all(abs(g - w) <= 4 for g, w in zip(got, want, strict=True)), (got, want)
    assert abs(got[1] - colour[1]) > 8 or abs(got[0] - colour[0]) > 8  # it did change


def test_a_profile_for_another_colour_space_is_ignored_not_fatal() -> None:
    picture = Image.new("L", (300, 200), 128)
    (thumb,) = draw(saved(picture, "JPEG", icc_profile=adobe_rgb_profile()), [THUMB])
    assert abs(mean(opened(thumb.data), (10, 10, 200, 150))[0] - 128) < 4


@pytest.mark.parametrize(
    ("mode", "value", "fmt", "expected"),
    [
        ("1", 1, "TIFF", (255, 255, 255)),
        ("I", 40000, "TIFF", (156, 156, 156)),  # 16-bit values in a 32-bit image, scaled
        ("F", 0.5, "TIFF", (128, 128, 128)),  # floating point 0..1
        ("LAB", (136, 208, 195), "TIFF", (250, 0, 10)),  # CIELAB red, through a profile
        ("CMYK", (0, 255, 255, 0), "TIFF", (255, 0, 0)),
        ("YCbCr", (76, 85, 255), "JPEG", (254, 0, 0)),
    ],
)
def test_every_pixel_mode_becomes_eight_bit_srgb(
    mode: str, value: object, fmt: str, expected: tuple[int, int, int]
) -> None:
    (thumb,) = draw(saved(Image.new(mode, (300, 200), value), fmt), [THUMB])  # type: ignore[arg-type]
    got = mean(opened(thumb.data), (10, 10, 240, 160))
    assert all(abs(g - e) <= 6 for g, e in zip(got, expected, strict=True)), got


# --- transparency --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_transparency_is_kept_as_webp(fmt: str) -> None:
    picture = Image.new("RGBA", (400, 200), (*RED, 255))
    picture.paste(Image.new("RGBA", (200, 200), (0, 0, 0, 0)), (200, 0))
    (thumb,) = draw(
        saved(picture, fmt, lossless=True) if fmt == "WEBP" else saved(picture, fmt), [THUMB]
    )
    assert thumb.media_type == "image/webp"
    out = opened(thumb.data)
    assert out.mode == "RGBA"
    alpha = out.getchannel("A")
    assert alpha.getpixel((20, 60)) == 255 and alpha.getpixel((230, 60)) == 0


def test_an_opaque_alpha_channel_is_dropped_for_a_jpeg() -> None:
    (thumb,) = draw(saved(Image.new("RGBA", (300, 200), (*BLUE, 255)), "PNG"), [THUMB])
    assert thumb.media_type == "image/jpeg"


def test_a_palette_png_with_transparency_keeps_it() -> None:
    picture = Image.new("P", (300, 200), 1)
    picture.putpalette([0, 0, 0, *RED] + [0] * 762)
    picture.paste(0, (150, 0, 300, 200))
    (thumb,) = draw(saved(picture, "PNG", transparency=0), [THUMB])
    assert thumb.media_type == "image/webp"
    assert opened(thumb.data).getchannel("A").getpixel((200, 50)) == 0


# --- nothing carried over ---------------------------------------------------------------------


def test_no_metadata_is_carried_into_a_rendition() -> None:
    exif = Image.Exif()
    exif[0x010E] = "SECRET CAPTION"
    exif[0x8298] = "SECRET COPYRIGHT"
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SECRET XMP</x:xmpmeta>'
    source = saved(
        Image.new("RGB", (800, 600), BLUE),
        "JPEG",
        exif=exif.tobytes(),
        icc_profile=adobe_rgb_profile(),
        xmp=xmp,
        comment=b"SECRET COMMENT",
    )
    for drawn in draw(source, [PREVIEW, THUMB]):
        out = opened(drawn.data)
        assert not {"exif", "icc_profile", "xmp", "comment", "photoshop"} & set(out.info)
        assert b"SECRET" not in drawn.data and b"Exif" not in drawn.data


# --- what cannot be drawn ---------------------------------------------------------------------


def test_a_truncated_jpeg_is_refused_with_a_reason() -> None:
    whole = saved(Image.effect_noise((800, 600), 60).convert("RGB"), "JPEG").getvalue()
    with pytest.raises(Undrawable, match="cannot be decoded"):
        draw(io.BytesIO(whole[: len(whole) // 3]), [THUMB])


@pytest.mark.parametrize(
    "data",
    [b"", b"\xff\xd8\xff\xe0garbage" * 10, b"II*\x00" + b"\x00" * 40, b"\x89PNG\r\n\x1a\n" * 3],
)
def test_garbage_is_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(Undrawable):
        draw(io.BytesIO(data), [THUMB])


def test_more_pixels_than_the_budget_are_refused_before_decoding() -> None:
    source = saved(Image.new("RGB", (2000, 2000), BLUE), "PNG")
    with pytest.raises(Undrawable, match="pixels"):
        draw(source, [THUMB], max_pixels=1_000_000)


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_within_the_budget() -> None:
    source = saved(Image.new("RGB", (4000, 3000), BLUE), "JPEG")
    # 12 MP is over the budget, but draft decodes it at 1/8: 500 x 375
    (thumb,) = draw(source, [THUMB], max_pixels=1_000_000)
    assert (thumb.width, thumb.height) == (256, 192)


def test_placeholder_is_a_grey_card_with_words() -> None:
    card = placeholder(THUMB, "KILLED")
    out = opened(card.data)
    assert out.size == (256, 192) and card.media_type == "image/jpeg"
    assert placeholder(THUMB, "KILLED") is card  # drawn once
    assert placeholder(THUMB, "NO PREVIEW").data != card.data
    darkest, _lightest = out.convert("L").getextrema()  # type: ignore[misc]
    assert darkest < 100  # there is text on it


# --- an ICC profile made here, so the test needs no profile file ------------------------------


def adobe_rgb_profile() -> bytes:
    """A matrix/TRC ICC v2 profile with Adobe RGB (1998) primaries (D50) and gamma 2.2."""

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \x00\x00\x00\x00" + b"".join(
            struct.pack(">i", round(v * 65536)) for v in (x, y, z)
        )

    curve = b"curv\x00\x00\x00\x00" + struct.pack(">I", 1) + struct.pack(">H", 563) + b"\x00\x00"
    text = b"Adobe RGB (1998) compatible"
    desc = (
        b"desc\x00\x00\x00\x00"
        + struct.pack(">I", len(text) + 1)
        + text
        + b"\x00"
        + b"\x00" * 8
        + b"\x00" * 3
        + b"\x00" * 67
    )
    cprt = b"text\x00\x00\x00\x00public domain\x00"
    tags = [
        (b"desc", desc),
        (b"cprt", cprt),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.60974, 0.31111, 0.01947)),
        (b"gXYZ", xyz(0.20528, 0.62567, 0.06087)),
        (b"bXYZ", xyz(0.14919, 0.06322, 0.74457)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        while (offset + len(body)) % 4:
            body += b"\x00"
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"none"
        + b"\x02\x10\x00\x00"
        + b"mntr"
        + b"RGB "
        + b"XYZ "
        + b"\x00" * 12
        + b"acsp"
        + b"\x00" * 4  # platform
        + b"\x00" * 4  # flags
        + b"\x00" * 8  # manufacturer, model
        + b"\x00" * 8  # attributes
        + b"\x00\x00\x00\x00"  # perceptual intent
        + struct.pack(">iii", 63190, 65536, 54061)  # D50 illuminant
        + b"\x00" * 4
        + b"\x00" * 16
        + b"\x00" * 28
    )
    assert len(header) == 128, len(header)
    return header + struct.pack(">I", len(tags)) + table + body


# --- memory on a 200 MB original ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RSS from Linux /proc")
def test_a_200_mb_jpeg_is_drawn_in_little_memory(tmp_path: Path) -> None:
    from benches.bench_renditions import measure_drawing
    from benches.bench_upload_memory import MB, write_noisy_jpeg

    path = tmp_path / "large.jpg"
    write_noisy_jpeg(path, 200 * MB)
    assert path.stat().st_size > 190 * MB
    measured = measure_drawing(path)
    assert measured["preview"] == [1200, 959]
    # draft decodes 1/4 scale: 2000 x 1598 pixels, about 13 MB, not 8000 x 6393 (205 MB)
    assert measured["growth_mb"] < 64, measured


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RSS from Linux /proc")
def test_a_200_mb_tiff_costs_its_decoded_pixels_and_no_more(tmp_path: Path) -> None:
    from benches.bench_renditions import measure_drawing, write_tiff
    from benches.bench_upload_memory import MB

    path = tmp_path / "large.tif"
    write_tiff(path, 200 * MB)
    with Image.open(path) as image:
        pixels = image.width * image.height
    measured = measure_drawing(path)
    assert measured["thumb"] == [256, 256]
    # Pillow holds RGB in 4 bytes a pixel, plus a quarter for the first reduction
    assert measured["growth_mb"] < pixels * 4 * 1.4 / MB, measured
