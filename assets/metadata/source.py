"""What the container readers read: bytes in memory, or a file on disk read a region at a time.

The readers only index, slice and (for damaged AFCP trailers) search backwards, so a file
read on demand with pread serves them as well as bytes do. Only the regions they touch
enter memory: segment and chunk headers, the metadata blocks, the last bytes for trailers.
A 200 MB upload costs the server a few blocks, not 200 MB. (A memory map would look
simpler, but the kernel maps neighbouring pages of a freshly written file on each fault,
so walking the headers of a file made of many segments would map nearly all of it.)
"""

from __future__ import annotations

import os
from typing import Protocol, SupportsIndex, overload


class ImageData(Protocol):
    """The part of `bytes` the container readers use; `bytes` and `FileBytes` both have it."""

    def __len__(self) -> int: ...

    @overload
    def __getitem__(self, key: SupportsIndex) -> int: ...

    @overload
    def __getitem__(self, key: slice) -> bytes: ...

    def rfind(self, sub: bytes, start: SupportsIndex, end: SupportsIndex, /) -> int: ...


class FileBytes:
    """A read-only file seen as bytes: `len`, `data[i]`, `data[a:b]` and `rfind`.

    Reads go through `os.pread` in aligned blocks, a few of which are kept, because the
    readers touch the same header region many times (an IFD entry is several slices).
    Slices longer than a block are read directly and not kept. The file must not change
    while it is being read; the caller owns the descriptor.
    """

    BLOCK = 8 * 1024
    _KEPT_BLOCKS = 32
    _SEARCH_WINDOW = 1024 * 1024

    def __init__(self, fd: int, size: int | None = None) -> None:
        self._fd = fd
        self._size = os.fstat(fd).st_size if size is None else size
        self._blocks: dict[int, bytes] = {}

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, key: SupportsIndex) -> int: ...

    @overload
    def __getitem__(self, key: slice) -> bytes: ...

    def __getitem__(self, key: SupportsIndex | slice) -> int | bytes:
        if isinstance(key, slice):
            start, stop, step = key.indices(self._size)
            if step != 1:
                raise ValueError("FileBytes slices take no step")
            return self._range(start, stop)
        index = key.__index__()
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError("index out of range")
        block = self._block(index // self.BLOCK)
        return block[index % self.BLOCK]

    def rfind(self, sub: bytes, start: SupportsIndex, end: SupportsIndex, /) -> int:
        """Like bytes.rfind with explicit bounds, searching backwards a window at a time."""
        lo, hi, _ = slice(start, end).indices(self._size)
        width = len(sub)
        if width == 0:
            return hi if lo <= hi else -1
        if hi - lo < width:
            return -1
        window_end = hi
        while window_end - lo >= width:
            window_start = max(lo, window_end - self._SEARCH_WINDOW)
            found = self._range(window_start, window_end).rfind(sub)
            if found >= 0:
                return window_start + found
            if window_start == lo:
                break
            window_end = window_start + width - 1  # overlap: a match may straddle windows
        return -1

    def _range(self, start: int, stop: int) -> bytes:
        if stop <= start:
            return b""
        first, last = start // self.BLOCK, (stop - 1) // self.BLOCK
        if last - first > 1:
            return self._pread(start, stop - start)
        joined = b"".join(self._block(i) for i in range(first, last + 1))
        offset = first * self.BLOCK
        return joined[start - offset : stop - offset]

    def _block(self, index: int) -> bytes:
        block = self._blocks.get(index)
        if block is None:
            if len(self._blocks) >= self._KEPT_BLOCKS:
                del self._blocks[next(iter(self._blocks))]  # oldest first
            block = self._pread(index * self.BLOCK, self.BLOCK)
            self._blocks[index] = block
        return block

    def _pread(self, offset: int, length: int) -> bytes:
        length = max(0, min(length, self._size - offset))
        parts: list[bytes] = []
        while length > 0:
            part = os.pread(self._fd, length, offset)
            if not part:  # the file shrank under us: behave as if it ended here
                break
            parts.append(part)
            offset += len(part)
            length -= len(part)
        return b"".join(parts)
