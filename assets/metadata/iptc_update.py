"""Rewrite an IIM stream with the rights datasets replaced and everything else kept.

The result always declares UTF-8 (1:90 = ESC % G), so existing text in another charset
is re-encoded rather than left to be misread under the new marker.
"""

from __future__ import annotations

from assets.metadata.iptc import (
    UTF8_MARKER,
    encode_datasets,
    is_text_dataset,
    split_datasets,
    stream_encoding,
)
from assets.metadata.model import RightsFields

# RightsFields attribute -> IIM record 2 dataset number
RIGHTS_DATASETS = {
    "special_instructions": 40,
    "credit": 110,
    "source": 115,
    "copyright": 116,
    "caption": 120,
}
_APPLICATION_RECORD_VERSION = (2, 0, (4).to_bytes(2, "big"))


def update_iptc(existing: bytes | None, fields: RightsFields) -> bytes:
    """A new IIM stream: `existing` (may be None or damaged) with the rights set from `fields`."""
    datasets, _problem = split_datasets(existing or b"")
    encoding = stream_encoding(datasets)
    replaced = {
        number for name, number in RIGHTS_DATASETS.items() if getattr(fields, name) is not None
    }
    kept: list[tuple[int, int, bytes]] = []
    for record, number, value in datasets:
        if (record, number) == (1, 90) or (record == 2 and number in replaced):
            continue
        if is_text_dataset(record, number) and encoding != "utf-8":
            value = _reencode(value, encoding)
        kept.append((record, number, value))
    for name, number in RIGHTS_DATASETS.items():
        value = getattr(fields, name)
        if value:
            kept.append((2, number, value.encode("utf-8")))
    kept.append((1, 90, UTF8_MARKER))
    if not any((r, n) == (2, 0) for r, n, _ in kept):
        kept.append(_APPLICATION_RECORD_VERSION)
    kept.sort(key=lambda d: (d[0], d[1]))  # stable: repeated datasets keep their order
    return encode_datasets(kept)


def _reencode(value: bytes, encoding: str) -> bytes:
    """Text from the stream's old charset to UTF-8 (undecodable bytes read as Latin-1)."""
    try:
        text = value.decode(encoding)
    except UnicodeDecodeError:
        text = value.decode("latin-1")
    return text.encode("utf-8")
