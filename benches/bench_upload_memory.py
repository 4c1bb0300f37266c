"""How much the server's memory grows while it takes a 200 MB upload (issue #4 point 6).

    python benches/bench_upload_memory.py [--mb 200] [--shape pixels|padding|both]

Starts the real server (`python -m api.cli serve`, auth off, a temporary data folder) on a
free 127.0.0.1 port, uploads one small image to warm it up (imports, database, first
request), then uploads a large valid JPEG with httpx streaming it from disk, and reads the
server's /proc/PID/status: VmRSS before, VmHWM (peak; reset through clear_refs just
before the upload when the kernel allows) and VmRSS after. Prints the peak growth and its
ratio to the 64 MB budget. Figures only; nothing is asserted (tests/test_upload_memory.py
asserts the budget).

Shapes of the large JPEG, each with IPTC rights in APP13:
- pixels: a real photo-sized JPEG of noise (about 8000 x 6000 at quality 100), so nearly
  all of it is scan data, as in a large agency original;
- padding: a small JPEG preceded by ~3,200 APP15 segments of 64 KB, which makes the
  reader walk thousands of segment headers. Quick to build: nothing is encoded.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benches.served import free_port, wait_ready  # noqa: E402

SEED = REPO / "seeds" / "epa09674804.jpg"
BUDGET_MB = 64.0
MB = 1024 * 1024
CAPTION = b"EPA/HANDOUT HANDOUT EDITORIAL USE ONLY/NO SALES"
_SEGMENT_PAYLOAD = 65533  # the largest a JPEG segment can carry


# --- large test files ------------------------------------------------------------------


def _app13_caption() -> bytes:
    """An APP13 Photoshop segment whose IPTC holds the caption (2:120)."""
    iptc = b"\x1c\x02\x78" + len(CAPTION).to_bytes(2, "big") + CAPTION
    pad = b"\x00" if len(iptc) % 2 else b""
    irb = b"8BIM\x04\x04\x00\x00" + len(iptc).to_bytes(4, "big") + iptc + pad
    payload = b"Photoshop 3.0\x00" + irb
    return b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload


def write_noisy_jpeg(path: Path, target_bytes: int) -> str:
    """A real JPEG of random pixels about `target_bytes` long; returns a description."""
    pixels = int(target_bytes / 4.1)  # noise at quality 100, 4:4:4 costs ~4.1 bytes/pixel
    width = 8000
    height = max(16, pixels // width)
    encoded = path.with_suffix(".encoded.jpg")
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        encoded, "JPEG", quality=100, subsampling=0
    )
    with encoded.open("rb") as src, path.open("wb") as out:
        out.write(src.read(2))  # SOI, then the rights, then Pillow's segments and scan
        out.write(_app13_caption())
        while chunk := src.read(MB):
            out.write(chunk)
    encoded.unlink()
    return f"{width}x{height} noise, quality 100"


def write_padded_jpeg(path: Path, target_bytes: int) -> str:
    """A small real JPEG preceded by 64 KB APP15 segments up to `target_bytes`."""
    small = io.BytesIO()
    Image.frombytes("RGB", (64, 48), os.urandom(64 * 48 * 3)).save(small, "JPEG", quality=90)
    jpeg = small.getvalue()
    header = _app13_caption()
    block = b"\xff\xef" + (_SEGMENT_PAYLOAD + 2).to_bytes(2, "big") + os.urandom(_SEGMENT_PAYLOAD)
    count = max(0, (target_bytes - len(jpeg) - len(header)) // len(block))
    with path.open("wb") as out:
        out.write(jpeg[:2])
        out.write(header)
        for _ in range(count):
            out.write(block)
        out.write(jpeg[2:])
    return f"64x48 image after {count} APP15 segments of 64 KB"


SHAPES = {"pixels": write_noisy_jpeg, "padding": write_padded_jpeg}


# --- the server and its memory -----------------------------------------------------------


@dataclass
class Server:
    pid: int
    url: str


@contextlib.contextmanager
def running_server(data_dir: Path, max_upload_bytes: int) -> Iterator[Server]:
    """The real CLI server in a subprocess; stopped (that process only) on exit."""
    port = free_port()
    env = {
        **os.environ,
        "RIGHTSDESK_AUTH": "off",
        "RIGHTSDESK_DATA_DIR": str(data_dir),
        "RIGHTSDESK_MAX_UPLOAD_BYTES": str(max_upload_bytes),
        "PYTHONPATH": str(REPO),
    }
    env.pop("DATABASE_URL", None)
    env.pop("RIGHTSDESK_DATABASE_URL", None)
    log = (data_dir.parent / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(process, url, data_dir.parent / "server.log")
        yield Server(process.pid, url)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in kB."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux clear_refs "5"); False where not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def upload(url: str, path: Path, filename: str) -> tuple[int, dict[str, object]]:
    """POST /v1/assets with the file streamed from disk by httpx (read in chunks)."""
    with path.open("rb") as handle:
        response = httpx.post(
            f"{url}/v1/assets",
            files={"file": (filename, handle, "image/jpeg")},
            timeout=300,
        )
    return response.status_code, response.json()


@dataclass
class Measurement:
    """One large upload: sizes in bytes, memory in kB, time in seconds."""

    shape: str
    description: str
    file_bytes: int
    status: int
    caption: object
    rss_started_kb: int
    rss_before_kb: int
    peak_kb: int
    rss_after_kb: int
    peak_was_reset: bool
    seconds: float

    @property
    def growth_mb(self) -> float:
        """Peak RSS during the upload minus RSS just before it."""
        return (self.peak_kb - self.rss_before_kb) / 1024

    @property
    def budget_ratio(self) -> float:
        return self.growth_mb / BUDGET_MB


def measure_upload(shape: str, target_bytes: int, work: Path) -> Measurement:
    """Build the file, start a fresh server, warm it up, upload the file, read its memory."""
    big = work / f"large-{shape}.jpg"
    description = SHAPES[shape](big, target_bytes)
    data_dir = work / f"data-{shape}"
    with running_server(data_dir, max(2 * target_bytes, 256 * MB)) as server:
        started = memory_kb(server.pid)["VmRSS"]
        status, _ = upload(server.url, SEED, SEED.name)
        if status != 201:
            raise RuntimeError(f"warm-up upload answered {status}")
        before = memory_kb(server.pid)["VmRSS"]
        was_reset = reset_peak(server.pid)
        start = time.perf_counter()
        status, body = upload(server.url, big, big.name)
        seconds = time.perf_counter() - start
        after = memory_kb(server.pid)
    size = big.stat().st_size
    big.unlink()
    return Measurement(
        shape=shape,
        description=description,
        file_bytes=size,
        status=status,
        caption=body.get("caption"),
        rss_started_kb=started,
        rss_before_kb=before,
        # without a reset, VmHWM may be an older peak: the growth is then overstated
        peak_kb=after["VmHWM"],
        rss_after_kb=after["VmRSS"],
        peak_was_reset=was_reset,
        seconds=seconds,
    )


def report(m: Measurement) -> None:
    peak = "VmHWM, reset just before the upload" if m.peak_was_reset else "VmHWM, not reset"
    print(f"{m.shape}: {m.file_bytes / MB:.1f} MB JPEG ({m.description})")
    print(f"  upload answered {m.status} in {m.seconds:.1f} s; caption read: {m.caption!r}")
    print(f"  server RSS after start            {m.rss_started_kb / 1024:8.1f} MB")
    print(f"  server RSS after a warm-up upload {m.rss_before_kb / 1024:8.1f} MB  (baseline)")
    print(f"  peak RSS during the upload        {m.peak_kb / 1024:8.1f} MB  ({peak})")
    print(f"  RSS after the upload              {m.rss_after_kb / 1024:8.1f} MB")
    print(
        f"  peak growth                       {m.growth_mb:8.1f} MB  = {m.budget_ratio:.2f}"
        f" of the {BUDGET_MB:.0f} MB budget"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=200.0, help="size of the upload in MiB")
    parser.add_argument("--shape", choices=[*SHAPES, "both"], default="both")
    args = parser.parse_args(argv)
    if not Path("/proc/self/status").exists():
        print("upload memory bench: needs Linux /proc to read the server's RSS; skipped")
        return 0
    print(f"python {platform.python_version()} on {platform.machine()}, budget {BUDGET_MB} MB")
    shapes = list(SHAPES) if args.shape == "both" else [args.shape]
    with tempfile.TemporaryDirectory(prefix="rightsdesk-upload-bench-") as tmp:
        for shape in shapes:
            report(measure_upload(shape, int(args.mb * MB), Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
