"""Who may call what: every route declares a role, and each role gets exactly its routes."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.app import create_app
from api.deps import Require
from api.runtime import Runtime
from assets.config import Settings
from assets.db import session_scope
from assets.keys import Role, create_key, revoke_key
from tests.served import REPO, Server, cli_env

# Who may call a route that requires the role on the left. Written out rather than derived
# from Role.grants, so that a change to the role hierarchy has to change this table too.
ADMITTED: dict[Role, set[Role]] = {
    Role.VIEWER: {Role.VIEWER, Role.EDITOR, Role.RIGHTS_MANAGER, Role.ADMIN},
    Role.EDITOR: {Role.EDITOR, Role.RIGHTS_MANAGER, Role.ADMIN},
    Role.RIGHTS_MANAGER: {Role.RIGHTS_MANAGER, Role.ADMIN},
    Role.ADMIN: {Role.ADMIN},
    Role.HOOK: {Role.HOOK, Role.EDITOR, Role.RIGHTS_MANAGER, Role.ADMIN},
}
RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.RIGHTS_MANAGER: 2, Role.ADMIN: 3}
PUBLIC = {
    "/sign-in",  # the desk's sign-in form: where a person turns an API key into a session
    "/sign-out",  # any key's session ends here (a hook's too), with the session's CSRF token
    "/healthz",
    "/readyz",
    "/metrics",
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
}
SAMPLE_ID = "0" * 32


def required_roles(dependant: Dependant) -> set[Role]:
    """Every Require(role) in a route's dependency tree."""
    found: set[Role] = set()
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, Require):
            found.add(dependency.call.role)
        found |= required_roles(dependency)
    return found


def api_routes(app: FastAPI) -> Iterator[tuple[str, str, Dependant]]:
    """(method, path, dependant) for every endpoint, however the routers were included."""
    for path, methods, dependant in _endpoints(app.routes):
        for method in sorted(set(methods) - {"HEAD", "OPTIONS"}):
            yield method, path, dependant


def _endpoints(routes: Iterable[Any]) -> Iterator[tuple[str, set[str], Dependant]]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route.path, set(route.methods), route.dependant
        elif hasattr(route, "effective_route_contexts"):  # routers included lazily (FastAPI)
            for context in route.effective_route_contexts():
                if context.dependant is not None:
                    yield context.path, set(context.methods or ()), context.dependant
        elif hasattr(route, "routes"):  # mounted sub-applications
            yield from _endpoints(route.routes)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", SAMPLE_ID, path)


def least_role_for(method: str, path: str) -> Role | None:
    """The product's rule: reads need a viewer, writes an editor, rights changes a rights
    manager, keys an admin; the publishing hook only checks. None: any role may do."""
    if path.startswith("/v1/rights/check") or path == "/check":  # the desk's "check a use"
        return None
    if path == "/sign-out":  # anyone signed in may sign out
        return Role.VIEWER
    if "/keys" in path:
        return Role.ADMIN
    if path.startswith("/v1/audit"):
        return Role.RIGHTS_MANAGER
    if method != "GET" and ("/overrides" in path or path.endswith("/kill")):
        return Role.RIGHTS_MANAGER
    if path.startswith("/v1/kills"):  # kills by reference, kill requests and their decisions
        return Role.RIGHTS_MANAGER
    if method == "GET" or path == "/v1/captions/parse":
        return Role.VIEWER
    return Role.EDITOR


@pytest.fixture
def bare_client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime)) as test_client:
        yield test_client


def call(client: TestClient, method: str, path: str, key: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.request(method, concrete(path), headers=headers)


def test_every_v1_route_declares_exactly_one_role(bare_client):
    undeclared, ambiguous = [], []
    for method, path, dependant in api_routes(bare_client.app):
        roles = required_roles(dependant)
        if path.startswith("/v1") and not roles:
            undeclared.append(f"{method} {path}")
        if len(roles) > 1:
            ambiguous.append(f"{method} {path}: {sorted(roles)}")
        if not path.startswith("/v1") and not roles:
            assert path in PUBLIC, f"{method} {path} is outside /v1 and public; is that meant?"
    assert not undeclared, f"routes without a Require(role) dependency: {undeclared}"
    paths = bare_client.app.openapi()["paths"]
    documented = {
        (method.upper(), path)
        for path, item in paths.items()
        for method in item
        if path.startswith("/v1")
    }
    walked = {
        (method, path) for method, path, _ in api_routes(bare_client.app) if path.startswith("/v1")
    }
    assert documented <= walked, f"routes the walk missed: {sorted(documented - walked)}"
    assert not ambiguous, f"routes requiring several roles: {ambiguous}"


def test_declared_roles_follow_the_product_rule(bare_client):
    wrong = []
    for method, path, dependant in api_routes(bare_client.app):
        for role in required_roles(dependant):
            least = least_role_for(method, path)
            if path.startswith("/v1/rights/check") or path == "/check":
                ok = role is Role.HOOK
            else:
                ok = role is not Role.HOOK and least is not None and RANK[role] >= RANK[least]
            if not ok:
                wrong.append(f"{method} {path} requires {role.value}, rule says {least}")
    assert not wrong, wrong


def test_every_route_refuses_callers_without_a_valid_key(bare_client):
    checked = 0
    for method, path, dependant in api_routes(bare_client.app):
        if not required_roles(dependant):
            continue
        for key in (None, "rd_not-a-key-anyone-was-given"):
            if not path.startswith("/v1"):  # a desk page: a person is sent to sign in
                headers = {"Authorization": f"Bearer {key}"} if key else {}
                response = bare_client.request(
                    method, concrete(path), headers=headers, follow_redirects=False
                )
                assert response.status_code == 303, (method, path, key, response.text)
                assert response.headers["location"].startswith("/sign-in?next=")
                continue
            response = call(bare_client, method, path, key)
            assert response.status_code == 401, (method, path, key, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["www-authenticate"] == "Bearer"
            checked += 1
    assert checked >= 2 * 10  # the table really was walked (uploads, checks, overrides, ...)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_reaches_exactly_the_routes_its_role_admits(bare_client, make_key, role):
    key = make_key(role)
    wrong = []
    for method, path, dependant in api_routes(bare_client.app):
        for needed in required_roles(dependant):
            status = call(bare_client, method, path, key).status_code
            if role in ADMITTED[needed]:
                if status in (401, 403):
                    wrong.append(f"{role.value} refused ({status}) on {method} {path}")
            elif status != 403:
                wrong.append(f"{role.value} got {status}, not 403, on {method} {path}")
    assert not wrong, "\n".join(wrong)


def test_hook_key_may_only_check_rights(bare_client, make_key):
    hook = make_key(Role.HOOK)
    headers = {"Authorization": f"Bearer {hook}"}
    check = bare_client.post(
        "/v1/rights/check",
        headers=headers,
        json={"assets": ["epa00000000"], "use": {"purpose": "editorial"}},
    )
    assert check.status_code == 200, check.text
    assert check.json()["results"][0]["decision"] == "deny"  # unknown asset: fails closed
    for method, path in (("GET", "/v1/assets"), ("GET", f"/v1/assets/{SAMPLE_ID}")):
        response = bare_client.request(method, path, headers=headers)
        assert response.status_code == 403
        assert "hook" in response.json()["detail"]


def test_revoked_key_stops_working_at_once(bare_client, runtime):
    with session_scope(runtime.engine) as session:
        _row, key = create_key(session, "night-desk", Role.EDITOR)
    headers = {"Authorization": f"Bearer {key}"}
    assert bare_client.get("/v1/assets", headers=headers).status_code == 200
    with session_scope(runtime.engine) as session:
        revoke_key(session, "night-desk")
    refused = bare_client.get("/v1/assets", headers=headers)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]


def test_keys_are_stored_only_as_hashes(runtime, make_key):
    key = make_key(Role.ADMIN)
    import sqlalchemy as sa

    with runtime.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT * FROM api_key")).all()
    assert rows and all(key not in str(tuple(row)) for row in rows)


def test_authentication_is_off_only_for_the_exact_documented_value(monkeypatch, tmp_path):
    monkeypatch.setenv("RIGHTSDESK_AUTH", "off")
    assert Settings(data_dir=tmp_path).auth_enabled is False
    monkeypatch.setenv("RIGHTSDESK_AUTH", "on")
    assert Settings(data_dir=tmp_path).auth_enabled is True


NEAR_MISSES = [
    "OFF", "Off", "oFF", " off", "off ", "off\n", "0", "false", "False", "no", "NO", "n",
    "disabled", "none", "", "of", "yes", "1", "true", "ON", "o\u200bff", "ｏｆｆ",
]  # fmt: skip


@pytest.mark.parametrize("value", NEAR_MISSES, ids=repr)
def test_any_other_auth_value_refuses_to_start_rather_than_guess(monkeypatch, value, tmp_path):
    monkeypatch.setenv("RIGHTSDESK_AUTH", value)
    with pytest.raises(ValidationError, match="'on' or 'off'"):
        Settings(data_dir=tmp_path)


@pytest.mark.parametrize("value", ["0", "false", "no", "OFF"])
def test_the_cli_refuses_to_start_naming_the_variable(tmp_path, value):
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "keys", "list"],
        env=cli_env(tmp_path / "data", RIGHTSDESK_AUTH=value),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "refusing to start" in result.stderr and "RIGHTSDESK_AUTH" in result.stderr
    assert "Traceback" not in result.stderr


def test_authentication_is_on_when_nothing_is_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("RIGHTSDESK_AUTH", raising=False)
    assert Settings(data_dir=tmp_path).auth_enabled is True


def test_auth_off_admits_anonymous_callers(tmp_path, database_url):
    runtime = Runtime.from_settings(
        Settings(data_dir=tmp_path / "data", database_url=database_url, auth="off")
    )
    from assets.migrations import upgrade

    upgrade(runtime.engine)
    try:
        with TestClient(create_app(runtime=runtime)) as client:
            assert client.get("/v1/assets").status_code == 200
    finally:
        runtime.engine.dispose()


@pytest.mark.slow
def test_first_start_prints_a_working_admin_key_and_auth_off_is_announced(tmp_path):
    server = Server(tmp_path / "data").start()
    try:
        match = re.search(r"export RIGHTSDESK_API_KEY=(rd_\S+)", server.log())
        assert match, server.log()
        key = match.group(1)
        assert key == server.admin_key()
        assert httpx.get(f"{server.url}/v1/assets", timeout=5).status_code == 401
        authorised = httpx.get(
            f"{server.url}/v1/assets", timeout=5, headers={"Authorization": f"Bearer {key}"}
        )
        assert authorised.status_code == 200
        assert "AUTHENTICATION IS OFF" not in server.log()
    finally:
        server.stop()
    again = Server(tmp_path / "data").start()  # keys exist now: no new key is made or shown
    try:
        assert "RIGHTSDESK_API_KEY" not in again.log()
    finally:
        again.stop()

    open_server = Server(tmp_path / "open", RIGHTSDESK_AUTH="off").start()
    try:
        assert "AUTHENTICATION IS OFF (RIGHTSDESK_AUTH=off)" in open_server.log()
        assert httpx.get(f"{open_server.url}/v1/assets", timeout=5).status_code == 200
    finally:
        open_server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # same code path on both
def test_key_created_and_revoked_with_the_cli_opens_and_closes_the_api(
    tmp_path, runtime, bare_client, database_url
):
    def rightsdesk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            cwd=REPO,
            env=cli_env(runtime.settings.data_dir, database_url),
            capture_output=True,
            text=True,
            timeout=60,
        )

    created = rightsdesk("keys", "create", "--role", "viewer", "--name", "photo-desk")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {key}"}
    assert bare_client.get("/v1/assets", headers=headers).status_code == 200
    assert bare_client.post("/v1/assets", headers=headers).status_code == 403
    revoked = rightsdesk("keys", "revoke", "photo-desk")
    assert revoked.returncode == 0, revoked.stderr
    assert bare_client.get("/v1/assets", headers=headers).status_code == 401
