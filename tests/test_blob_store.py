"""One blob-store specification, run against the local folder and against real S3 (moto server)."""

from __future__ import annotations

import hashlib
import os
import threading
import time
import tracemalloc
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from api.runtime import open_blob_store
from assets.blobs import BlobNotFound, BlobStore, BlobStoreUnavailable, LocalBlobStore
from assets.blobs_s3 import S3BlobStore, parse_s3_url
from assets.config import Settings
from tests.s3_server import aws_environment, free_port, moto_server, new_bucket


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def aws_env(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The process environment an operator would set for S3; returns the endpoint."""
    for name, value in aws_environment(s3_endpoint).items():
        monkeypatch.setenv(name, value)
    return s3_endpoint


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return open_blob_store(Settings(data_dir=tmp_path / "data"))
    endpoint = request.getfixturevalue("aws_env")
    bucket = new_bucket(endpoint)
    s3 = open_blob_store(Settings(data_dir=tmp_path / "data", blobs=f"s3://{bucket}/photos"))
    assert isinstance(s3, S3BlobStore)
    s3.page_size = 2  # so that listing a handful of blobs already crosses pages
    return s3


class Files:
    """Spooled files as ingest hands them to the store: a path and the sha256 of its bytes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def write(self, data: bytes) -> tuple[str, Path]:
        self.count += 1
        path = self.folder / f"spool-{self.count}"
        path.write_bytes(data)
        return hashlib.sha256(data).hexdigest(), path


@pytest.fixture
def files(tmp_path: Path) -> Files:
    return Files(tmp_path / "data" / "tmp")


def test_stored_blob_reads_back_byte_for_byte(store: BlobStore, files: Files) -> None:
    data = os.urandom(300_000)
    sha, path = files.write(data)
    assert store.put_file(sha, path) is True
    assert store.exists(sha)
    assert store.get(sha) == data


def test_streamed_blob_comes_in_bounded_chunks_that_join_to_the_bytes(
    store: BlobStore, files: Files
) -> None:
    data = os.urandom(300_000)
    sha, path = files.write(data)
    store.put_file(sha, path)
    chunks = list(store.stream(sha, chunk=64 * 1024))
    assert b"".join(chunks) == data
    assert len(chunks) >= 5 and max(len(c) for c in chunks) <= 64 * 1024


def test_storing_the_same_bytes_again_reports_already_stored(
    store: BlobStore, files: Files
) -> None:
    data = b"the same picture twice"
    sha, first = files.write(data)
    _, second = files.write(data)
    assert store.put_file(sha, first) is True
    assert store.put_file(sha, second) is False
    assert store.get(sha) == data
    assert list(store.keys()) == [sha]


def test_a_stored_blob_is_never_replaced(store: BlobStore, files: Files) -> None:
    original = b"original bytes"
    sha, path = files.write(original)
    store.put_file(sha, path)
    _, impostor = files.write(b"other bytes claiming the same digest")
    assert store.put_file(sha, impostor) is False
    assert store.get(sha) == original


def test_concurrent_writers_of_one_digest_leave_one_intact_blob(
    store: BlobStore, files: Files
) -> None:
    data = os.urandom(200_000)
    sha = hashlib.sha256(data).hexdigest()
    paths = [files.write(data)[1] for _ in range(8)]
    start = threading.Barrier(len(paths))
    results: list[bool] = []
    errors: list[BaseException] = []

    def write(path: Path) -> None:
        start.wait()
        try:
            results.append(store.put_file(sha, path))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results.count(True) == 1, results
    assert store.get(sha) == data
    assert list(store.keys()) == [sha]


def test_a_missing_blob_is_reported_as_not_found(store: BlobStore) -> None:
    sha = hashlib.sha256(b"never stored").hexdigest()
    assert store.exists(sha) is False
    with pytest.raises(BlobNotFound):
        store.get(sha)
    with pytest.raises(BlobNotFound):
        store.stream(sha)


def test_delete_removes_the_blob_and_repeating_it_is_harmless(
    store: BlobStore, files: Files
) -> None:
    sha, path = files.write(b"to be removed by fsck")
    store.put_file(sha, path)
    store.delete(sha)
    assert store.exists(sha) is False
    store.delete(sha)
    assert list(store.keys()) == []


def test_keys_lists_every_blob_across_pages(store: BlobStore, files: Files) -> None:
    stored = set()
    for n in range(7):
        sha, path = files.write(f"picture {n}".encode())
        store.put_file(sha, path)
        stored.add(sha)
    listed = list(store.keys())
    assert sorted(listed) == sorted(stored)


def test_an_orphan_sweep_can_spare_blobs_stored_just_now(store: BlobStore, files: Files) -> None:
    sha, path = files.write(b"stored a moment ago by another replica")
    store.put_file(sha, path)
    assert list(store.keys(older_than=timedelta(minutes=10))) == []
    time.sleep(1.1)  # S3 stamps LastModified to the second
    assert list(store.keys(older_than=timedelta(seconds=1))) == [sha]


@pytest.mark.parametrize("key", ["../../etc/passwd", "ABC", "g" * 64, "A" * 64, ""])
def test_keys_that_are_not_sha256_digests_are_refused(store: BlobStore, key: str) -> None:
    with pytest.raises(ValueError, match="sha256"):
        store.exists(key)


def test_a_working_store_is_reachable(store: BlobStore) -> None:
    assert store.reachable() is True


def test_upload_is_streamed_from_disk_not_loaded_into_memory(
    store: BlobStore, files: Files
) -> None:
    size = 24 * 1024 * 1024
    sha, path = files.write(os.urandom(size))
    tracemalloc.start()
    try:
        assert store.put_file(sha, path) is True
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < size // 4, f"storing {size} bytes peaked at {peak} bytes of Python memory"
    assert store.exists(sha)


# S3 specifics: locations, prefixes, and readiness when the store is not there


def test_s3_location_is_parsed_into_bucket_and_prefix() -> None:
    assert parse_s3_url("s3://news-photos") == ("news-photos", "")
    assert parse_s3_url("s3://photos/rightsdesk/blobs/") == ("photos", "rightsdesk/blobs/")
    with pytest.raises(ValueError, match="s3://bucket"):
        parse_s3_url("s3:///no-bucket")


def test_rightsdesk_blobs_chooses_the_store(tmp_path: Path, aws_env: str) -> None:
    assert isinstance(open_blob_store(Settings(data_dir=tmp_path)), LocalBlobStore)
    folder = open_blob_store(Settings(data_dir=tmp_path, blobs=str(tmp_path / "elsewhere")))
    assert isinstance(folder, LocalBlobStore) and folder.root == tmp_path / "elsewhere"
    s3 = open_blob_store(Settings(data_dir=tmp_path, blobs="s3://photos/prod"))
    assert isinstance(s3, S3BlobStore) and (s3.bucket, s3.prefix) == ("photos", "prod/")
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        open_blob_store(Settings(data_dir=tmp_path, blobs="gs://photos"))


def test_prefixes_in_one_bucket_keep_their_blobs_apart(aws_env: str, files: Files) -> None:
    bucket = new_bucket(aws_env)
    production = S3BlobStore(bucket, "production")
    staging = S3BlobStore(bucket, "staging/")
    sha, path = files.write(b"only in production")
    production.put_file(sha, path)
    assert production.key_of(sha) == f"production/{sha}"
    assert list(production.keys()) == [sha]
    assert list(staging.keys()) == []
    assert staging.exists(sha) is False


def test_a_missing_bucket_is_not_reachable(aws_env: str, files: Files) -> None:
    store = S3BlobStore("no-such-bucket-here")
    assert store.reachable() is False
    sha, path = files.write(b"nowhere to go")
    with pytest.raises(BlobStoreUnavailable, match="bucket exists"):
        store.put_file(sha, path)


def test_an_unreachable_endpoint_is_reported_quickly(
    monkeypatch: pytest.MonkeyPatch, aws_env: str
) -> None:
    bucket = new_bucket(aws_env)  # it exists, but not where the store is told to look
    nowhere = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", nowhere)
    store = S3BlobStore(bucket)
    assert store.probe_client.meta.endpoint_url == nowhere
    started = time.monotonic()
    assert store.reachable() is False
    assert time.monotonic() - started < 5
