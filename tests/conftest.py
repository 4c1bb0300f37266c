"""Fixtures: a fresh catalogue per test, on SQLite and (with RIGHTSDESK_TEST_PG_URL) PostgreSQL."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings

from api.app import create_app
from api.runtime import Runtime
from assets.config import Settings
from assets.db import session_scope
from assets.keys import Role, create_key
from assets.migrations import upgrade
from benches.caption_build import stale_compiled_modules
from tests.shared import absent, pytest_runtest_setup, shared_dir

__all__ = ["pytest_runtest_setup"]  # the hook of tests.shared, active for every test

# No per-example deadline: it times the wall clock, which a busy machine (the suite's other
# process, a database) stretches. Work that grows out of bounds is caught by the tests' own
# limits in CPU seconds (tests.cpu_time).
hypothesis_settings.register_profile("rightsdesk", deadline=None)
hypothesis_settings.load_profile("rightsdesk")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
PG_URL = os.environ.get("RIGHTSDESK_TEST_PG_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse to test compiled parser modules that are older than their source."""
    stale = stale_compiled_modules()
    if stale:
        pytest.exit(
            f"{', '.join(stale)} changed after the parser was compiled, so the tests would run"
            " the old code: run `make install` to compile again, or"
            " `RIGHTSDESK_PURE_PYTHON=1 make install` to run the sources uncompiled",
            returncode=2,
        )


@pytest.fixture
def shared() -> Path:
    path = shared_dir()
    if path is None:
        absent("../shared (labelled captions, image corpus) is not on this machine")
    return path


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: an SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'catalogue.db'}"
        return
    assert PG_URL is not None
    with pg_schema("t") as url:
        yield url


@contextmanager
def pg_schema(prefix: str) -> Iterator[str]:
    """A PostgreSQL schema of its own for the duration, as a database URL; dropped after."""
    assert PG_URL is not None
    schema = f"{prefix}_{secrets.token_hex(6)}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url, auth="on")


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    runtime = Runtime.from_settings(settings)
    upgrade(runtime.engine)
    yield runtime
    runtime.engine.dispose()


@pytest.fixture
def make_key(runtime: Runtime) -> Callable[[Role], str]:
    def make(role: Role) -> str:
        with session_scope(runtime.engine) as session:
            _row, plain = create_key(session, f"test-{role.value}-{secrets.token_hex(3)}", role)
        return plain

    return make


@pytest.fixture
def client(runtime: Runtime, make_key: Callable[[Role], str]) -> Iterator[TestClient]:
    """A client of the real app, authenticated as an admin."""
    with TestClient(create_app(runtime=runtime)) as test_client:
        test_client.headers["Authorization"] = f"Bearer {make_key(Role.ADMIN)}"
        yield test_client


@pytest.fixture
def seed_image() -> bytes:
    return (SEEDS / "epa09674804.jpg").read_bytes()


@pytest.fixture
def seed_caption() -> str:
    return (SEEDS / "epa09674804.txt").read_text(encoding="utf-8").strip()
