"""API key names: one live key per name, revocation by name reaches every key of that name and
says how many, and catalogues that already hold duplicate names are migrated."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assets.db import make_engine, session_scope
from assets.errors import AssetNotFound, Conflict, InvalidRequest
from assets.keys import (
    NAME_LENGTH,
    Role,
    create_key,
    hash_key,
    list_keys,
    revoke_key,
    verify_key,
)
from assets.migrations import upgrade
from tests.test_cli import rightsdesk


def test_a_live_name_cannot_be_given_twice(runtime):
    with session_scope(runtime.engine) as session:
        create_key(session, "night-desk", Role.EDITOR)
    with (
        pytest.raises(Conflict, match=r"already named 'night-desk'.*keys revoke night-desk"),
        session_scope(runtime.engine) as session,
    ):
        create_key(session, "night-desk", Role.VIEWER)
    with session_scope(runtime.engine) as session:
        assert [k.name for k in list_keys(session)] == ["night-desk"]


def test_a_revoked_name_may_be_given_to_its_successor(runtime):
    with session_scope(runtime.engine) as session:
        _old, old_key = create_key(session, "cms-hook", Role.HOOK)
    with session_scope(runtime.engine) as session:
        assert len(revoke_key(session, "cms-hook")) == 1
    with session_scope(runtime.engine) as session:
        _new, new_key = create_key(session, "cms-hook", Role.HOOK)
    with session_scope(runtime.engine) as session:
        assert verify_key(session, old_key) is None
        assert verify_key(session, new_key) is not None
        assert [k.id for k in revoke_key(session, "cms-hook")] == [_new.id]
        with pytest.raises(AssetNotFound, match="no live API key"):
            revoke_key(session, "cms-hook")


@pytest.mark.parametrize(
    "name, error",
    [("", "needs a name"), ("   ", "needs a name"), ("a\x00b", "NUL"), ("x" * 125, "at most")],
)
def test_key_names_follow_the_text_rule(runtime, name, error):
    with pytest.raises(InvalidRequest, match=error), session_scope(runtime.engine) as session:
        create_key(session, name, Role.VIEWER)
    with session_scope(runtime.engine) as session:
        create_key(session, "x" * NAME_LENGTH, Role.VIEWER)  # the longest name fits everywhere


def test_revoking_an_id_that_is_revoked_already_changes_nothing(runtime):
    with session_scope(runtime.engine) as session:
        row, _key = create_key(session, "temp", Role.VIEWER)
        key_id = row.id
    with session_scope(runtime.engine) as session:
        [revoked] = revoke_key(session, key_id)
        first = revoked.revoked_at
    with session_scope(runtime.engine) as session:
        assert revoke_key(session, key_id) == []
        assert session.get(type(revoked), key_id).revoked_at == first


def test_the_migration_renames_duplicate_live_names_and_every_key_keeps_working(database_url):
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0002")
        plain = {}
        with engine.begin() as db:
            for n, (name, revoked) in enumerate(
                [
                    ("desk", None),
                    ("desk", None),
                    ("desk", "2026-01-01"),
                    ("desk-2", None),
                    ("desk", None),
                    ("hook", None),
                ]
            ):
                plain[n] = f"plain-{n}"
                db.execute(
                    sa.text(
                        "INSERT INTO api_key (id, name, role, key_hash, prefix, created_at,"
                        " revoked_at) VALUES (:id, :name, 'viewer', :hash, 'rd_', :created,"
                        " :revoked)"
                    ),
                    {
                        "id": f"k{n}",
                        "name": name,
                        "hash": hash_key(plain[n]),
                        "created": f"2026-01-0{n + 1}T00:00:00+00:00",
                        "revoked": f"{revoked}T00:00:00+00:00" if revoked else None,
                    },
                )
        upgrade(engine)
        with session_scope(engine) as session:
            names = {k.id: k.name for k in list_keys(session)}
            assert names == {
                "k0": "desk",  # the oldest keeps its name
                "k1": "desk-3",  # desk-2 is taken by another key
                "k2": "desk",  # revoked: left as it was
                "k3": "desk-2",
                "k4": "desk-4",
                "k5": "hook",
            }
            live = [verify_key(session, plain[n]) for n in (0, 1, 3, 4, 5)]
            assert all(k is not None for k in live)
            with pytest.raises(Conflict):
                create_key(session, "desk-4", Role.VIEWER)
    finally:
        engine.dispose()


@pytest.mark.slow
def test_the_command_line_refuses_a_taken_name_and_counts_what_it_revokes(tmp_path):
    first = rightsdesk(tmp_path, "keys", "create", "--role", "editor", "--name", "photo desk")
    assert first.returncode == 0, first.stderr
    taken = rightsdesk(tmp_path, "keys", "create", "--role", "viewer", "--name", "photo desk")
    assert taken.returncode == 1
    assert "already named 'photo desk'" in taken.stderr
    assert "Traceback" not in taken.stderr
    revoked = rightsdesk(tmp_path, "keys", "revoke", "photo desk")
    assert revoked.returncode == 0, revoked.stderr
    assert "revoked 1 key: 'photo desk'" in revoked.stderr
    again = rightsdesk(tmp_path, "keys", "revoke", "photo desk")
    assert again.returncode == 1
    assert "no live API key with id or name 'photo desk'" in again.stderr


def test_the_catalogue_itself_refuses_two_live_keys_of_one_name(runtime):
    """Whatever writes the row (another tool, a hand-made fix), the index holds."""
    with session_scope(runtime.engine) as session:
        create_key(session, "twin", Role.VIEWER)
        second, _key = create_key(session, "other", Role.VIEWER)
        second.name = "twin"
        session.add(second)
        with pytest.raises(sa.exc.IntegrityError):
            session.flush()
        session.rollback()
