"""A refused request or a failing handler never costs the client its keep-alive connection:
the answer is a problem+json and the next request goes over the same socket. Tested against
a real `rightsdesk serve` with a plain HTTP/1.1 client."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from tests.served import Server


@pytest.fixture
def server(tmp_path, database_url) -> Iterator[Server]:
    started = Server(tmp_path / "data", database_url, RIGHTSDESK_AUTH="off").start()
    try:
        yield started
    finally:
        started.stop()


def _exchange(
    connection: http.client.HTTPConnection, method: str, path: str, body: str | None = None
) -> tuple[http.client.HTTPResponse, Any]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    parsed = json.loads(data) if data else None
    return response, parsed


def test_refused_and_failed_requests_keep_the_connection(server, database_url):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        ok, _ = _exchange(connection, "GET", "/healthz")
        assert ok.status == 200
        socket = connection.sock

        # a lone surrogate in a batch of references: refused, naming its place
        check = '{"assets": ["a", "\\ud800"], "use": {"purpose": "sale"}}'
        refused, problem = _exchange(connection, "POST", "/v1/rights/check", check)
        assert refused.status == 422
        assert refused.getheader("Content-Type") == "application/problem+json"
        assert problem["detail"].startswith("assets.1:")
        assert not refused.will_close

        # the database loses a table behind the service's back: the handler fails
        engine = sa.create_engine(database_url)
        with engine.begin() as db:
            db.execute(sa.text("DROP TABLE asset_restriction"))
        engine.dispose()
        failed, problem = _exchange(connection, "GET", "/v1/assets?restriction=NO_SALES")
        assert failed.status == 500
        assert failed.getheader("Content-Type") == "application/problem+json"
        assert "logged" in problem["detail"]
        assert not failed.will_close

        again, body = _exchange(connection, "GET", "/healthz")
        assert again.status == 200 and body == {"status": "ok"}
        assert connection.sock is socket  # the same connection, never reopened
    finally:
        connection.close()
    log = server.log()
    assert "unhandled error on GET /v1/assets" in log  # the failure is logged, with its cause
    assert "asset_restriction" in log
