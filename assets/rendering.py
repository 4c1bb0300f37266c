"""Drawing renditions with Pillow: a stored picture in, small display-ready images out.

What a picture editor sees must be the picture as shot and as the agency meant its colours:
- JPEGs are decoded at a reduced scale (`draft`: libjpeg's DCT scaling), so a 200 MB
  original costs a fraction of its pixels in memory and time; other formats are decoded
  whole, up to `max_pixels` (the memory bound), and larger ones are refused;
- the EXIF orientation is applied (the file's pixels are often stored sideways);
- colours are converted to sRGB with the embedded ICC profile (Adobe RGB, CMYK press
  profiles), and 16-bit, palette and CMYK images become 8-bit RGB or grey;
- transparency is kept (WebP) where the picture has some, and dropped when it is opaque;
- nothing else is carried over: no EXIF, XMP, IPTC or ICC in the output (sRGB is assumed
  by every browser), so a rendition never leaks or contradicts the original's metadata.

Pure image work: no storage, no database (assets.renditions keeps and serves the results).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from struct import error as struct_error
from typing import BinaryIO

from PIL import ExifTags, Image, ImageCms, ImageDraw, ImageFont, JpegImagePlugin

import assets.metadata.heif  # noqa: F401  (registers the HEIC/HEIF opener with Pillow)

MAX_PIXELS = 100_000_000
"""Decoded pixels a rendition may cost (after JPEG draft): about 400 MB at the very worst."""

JPEG_QUALITY = 82
WEBP_QUALITY = 82

_FORMATS = ("JPEG", "TIFF", "PNG", "WEBP", "HEIF")
_ORIENTATION = ExifTags.Base.Orientation
# The transposition that shows a picture upright for each EXIF orientation (as ImageOps does).
_UPRIGHT: dict[int, tuple[Image.Transpose, ...]] = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


class Undrawable(Exception):
    """The file cannot be drawn (damaged, unsupported or too large); the message says which."""


@dataclass(frozen=True)
class Drawn:
    """One encoded rendition."""

    data: bytes
    media_type: str
    width: int
    height: int


def draw(
    source: Path | BinaryIO, sizes: Sequence[int], max_pixels: int = MAX_PIXELS
) -> list[Drawn]:
    """Renditions of `source` whose longest side is each of `sizes` (never enlarged).

    The file is decoded once, for the largest size; smaller ones are reduced from that.
    Raises Undrawable when the picture cannot be drawn; any other exception is the
    caller's environment failing (a full disk), not the file.
    """
    ordered = sorted(sizes, reverse=True)
    try:
        with _open(source) as image:
            picture = _upright_srgb(image, ordered[0], max_pixels)
            drawn = []
            for size in ordered:
                if max(picture.size) > size:
                    picture = picture.copy()
                    picture.thumbnail((size, size), Image.Resampling.LANCZOS)
                drawn.append(encode(picture))
    except Undrawable:
        raise
    except (
        OSError,
        SyntaxError,
        ValueError,
        TypeError,
        EOFError,
        KeyError,
        IndexError,
        struct_error,
        Image.DecompressionBombError,
        MemoryError,
    ) as exc:
        # Pillow reports damaged data as any of these, varying by format and plugin
        raise Undrawable(_unreadable(exc)) from exc
    by_size = dict(zip(ordered, drawn, strict=True))
    return [by_size[size] for size in sizes]


def _upright_srgb(image: Image.Image, size: int, max_pixels: int) -> Image.Image:
    """The opened picture decoded, reduced to `size`, in sRGB, upright, 8-bit."""
    icc = image.info.get("icc_profile")
    if image.format == "JPEG":
        image.draft(None, (size, size))
    if image.width * image.height > max_pixels:
        raise Undrawable(
            f"the picture has {image.width} x {image.height} pixels, more than the"
            f" {max_pixels:,} a rendition may decode"
        )
    image.load()
    # read after decoding: some plugins (TIFF in recent Pillow, HEIF) turn the pixels upright
    # while loading and then report orientation 1, and must not be turned twice
    orientation = _orientation_of(image)
    picture = _eight_bit(image)
    picture.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)
    picture = _in_srgb(picture, icc if isinstance(icc, bytes) else None)
    for method in _UPRIGHT.get(orientation, ()):
        picture = picture.transpose(method)
    return _without_opaque_alpha(picture)


def encode(picture: Image.Image) -> Drawn:
    """JPEG for opaque pictures, WebP where transparency must survive; no metadata at all."""
    clean = Image.new(picture.mode, picture.size)
    clean.paste(picture)  # a fresh image: no `info` (EXIF, ICC, XMP) can ride along
    buffer = io.BytesIO()
    if clean.mode in ("RGBA", "LA"):
        clean.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4, exact=False)
        media_type = "image/webp"
    else:
        clean.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        media_type = "image/jpeg"
    return Drawn(buffer.getvalue(), media_type, clean.width, clean.height)


@functools.lru_cache(maxsize=16)
def placeholder(size: int, label: str) -> Drawn:
    """A grey 4:3 card saying `label` (NO PREVIEW, KILLED): drawn once per process."""
    width, height = size, size * 3 // 4
    card = Image.new("RGB", (width, height), (200, 200, 200))
    pen = ImageDraw.Draw(card)
    pen.rectangle((0, 0, width - 1, height - 1), outline=(120, 120, 120), width=max(1, size // 128))
    font = _font(max(12, size // 10))
    left, top, right, bottom = pen.textbbox((0, 0), label, font=font)
    position = ((width - (right - left)) / 2 - left, (height - (bottom - top)) / 2 - top)
    pen.text(position, label, fill=(60, 60, 60), font=font)
    return encode(card)


def _font(pixels: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=pixels)
    except (OSError, ImportError, TypeError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


class _open:
    """Open without Pillow's global pixel limit for JPEGs (draft shrinks them before decoding;
    `draw` applies its own limit after that), with it for everything else."""

    def __init__(self, source: Path | BinaryIO) -> None:
        self.handle: BinaryIO = open(source, "rb") if isinstance(source, Path) else source  # noqa: SIM115
        self.owned = isinstance(source, Path)

    def __enter__(self) -> Image.Image:
        head = self.handle.read(3)
        self.handle.seek(0)
        if head == b"\xff\xd8\xff":
            self.image: Image.Image = JpegImagePlugin.JpegImageFile(self.handle)
        else:
            self.image = Image.open(self.handle, formats=_FORMATS)
        return self.image

    def __exit__(self, *_exc: object) -> None:
        if hasattr(self, "image"):
            self.image.close()
        if self.owned:
            self.handle.close()


def _orientation_of(image: Image.Image) -> int:
    """The EXIF orientation (1-8), 1 when absent or unreadable."""
    try:
        value = image.getexif().get(_ORIENTATION, 1)
    except (OSError, SyntaxError, ValueError, TypeError, KeyError, struct_error):
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _eight_bit(image: Image.Image) -> Image.Image:
    """The decoded picture in a mode that can be resized and colour-managed: L, LA, RGB,
    RGBA or CMYK, 8 bits per channel, with 16-bit values scaled rather than clipped."""
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image
    if mode == "1":
        return image.convert("L")
    if mode in ("P", "PA"):
        transparent = mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if transparent else "RGB")
    if mode.startswith("I;16") or mode == "I":
        wide = image if mode == "I" else image.convert("I")
        _low, high = _extrema(wide)
        scale = 1 / 256 if high > 255 else 1.0
        return wide.point(lambda value: value * scale).convert("L")
    if mode == "F":
        low, high = _extrema(image)
        if low >= 0 and high <= 1:  # the usual 0..1 scale
            low, high = 0.0, 1.0
        span = high - low or 1.0
        return image.point(lambda value: (value - low) * 255 / span).convert("L")
    if mode == "LAB":
        converted = ImageCms.profileToProfile(
            image, ImageCms.createProfile("LAB"), _srgb(), outputMode="RGB"
        )
        return converted if converted is not None else image.convert("RGB")
    if mode == "RGBa":
        return image.convert("RGBA")
    if mode == "La":
        return image.convert("LA")
    return image.convert("RGB")  # YCbCr, HSV, LAB and the rest Pillow can convert


def _in_srgb(picture: Image.Image, icc: bytes | None) -> Image.Image:
    """Colours as sRGB: through the embedded profile when there is one that fits the
    picture, else Pillow's plain conversion (right for untagged files, which are sRGB)."""
    if icc:
        converted = _through_profile(picture, icc)
        if converted is not None:
            return converted
    if picture.mode == "CMYK":
        return picture.convert("RGB")
    return picture


def _through_profile(picture: Image.Image, icc: bytes) -> Image.Image | None:
    alpha = picture.getchannel("A") if picture.mode in ("RGBA", "LA") else None
    colour = picture.convert(picture.mode[:-1]) if alpha is not None else picture
    output = "L" if colour.mode == "L" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if _colour_space(source) != colour.mode:
            return None  # a profile for another colour space: a broken file, ignore it
        converted = ImageCms.profileToProfile(
            colour,
            source,
            _srgb(),
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode=output,
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    if converted is None:
        return None
    if alpha is not None:
        converted.putalpha(alpha)
    return converted


def _colour_space(profile: ImageCms.ImageCmsProfile) -> str:
    space = profile.profile.xcolor_space.strip()
    return {"RGB": "RGB", "GRAY": "L", "CMYK": "CMYK"}.get(space, space)


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _without_opaque_alpha(picture: Image.Image) -> Image.Image:
    """Drop an alpha channel that hides nothing, so the rendition can be a JPEG."""
    if picture.mode not in ("RGBA", "LA"):
        return picture
    low, _high = _extrema(picture.getchannel("A"))
    if low < 255:
        return picture
    return picture.convert(picture.mode[:-1])


def _extrema(band: Image.Image) -> tuple[float, float]:
    """Lowest and highest value of a one-band image."""
    low, high = band.getextrema()
    if isinstance(low, tuple) or isinstance(high, tuple):
        raise ValueError(f"expected one band, got mode {band.mode}")
    return float(low), float(high)


def _unreadable(exc: BaseException) -> str:
    detail = str(exc).strip() or type(exc).__name__
    return f"the picture cannot be decoded ({detail[:200]})"
