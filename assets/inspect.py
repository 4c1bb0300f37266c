"""Reading a stored file's embedded blocks again, for a person who wants to see them all.

The catalogue keeps only the normalised fields; the IPTC, XMP and EXIF blocks stay in the
file. Local blobs are read in place (only the regions the container needs); other stores are
copied to a temporary file first, so memory stays flat whatever the file's size."""

from __future__ import annotations

import tempfile
from pathlib import Path

from assets.blobs import BlobStore, LocalBlobStore
from assets.metadata import EmbeddedMetadata, read_embedded_file


def embedded_blocks(blobs: BlobStore, sha256: str, spool_dir: Path) -> EmbeddedMetadata:
    if isinstance(blobs, LocalBlobStore):
        return read_embedded_file(blobs.path_of(sha256))
    spool_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=spool_dir, prefix="inspect-") as copy:
        for chunk in blobs.stream(sha256):
            copy.write(chunk)
        copy.flush()
        return read_embedded_file(Path(copy.name))
