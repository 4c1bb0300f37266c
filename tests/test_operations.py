"""What operators rely on: probes, Prometheus metrics, JSON request logs with request ids."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from api.observability import JSONLogFormatter
from api.runtime import Runtime
from assets.blobs import LocalBlobStore
from assets.config import Settings
from tests.s3_server import aws_environment, moto_server, new_bucket
from tests.served import serving


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


def metric(client: TestClient, name: str, **labels: str) -> float:
    """The current value of one sample from /metrics (0 when it has not been seen yet)."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


@pytest.fixture
def anonymous(runtime: Runtime) -> Iterator[TestClient]:
    """A client without an API key, as a load balancer's probe or a Prometheus scraper."""
    with TestClient(create_app(runtime=runtime)) as test_client:
        yield test_client


# probes


def test_liveness_and_readiness_need_no_api_key(anonymous: TestClient) -> None:
    assert anonymous.get("/healthz").json() == {"status": "ok"}
    ready = anonymous.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "blobs": "ok"}}
    assert anonymous.get("/metrics").status_code == 200


def test_readiness_checks_the_s3_bucket_named_by_rightsdesk_blobs(
    s3_endpoint: str, settings: Settings, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in aws_environment(s3_endpoint).items():
        monkeypatch.setenv(name, value)
    bucket = new_bucket(s3_endpoint)
    present = settings.model_copy(update={"blobs": f"s3://{bucket}/rightsdesk"})
    missing = settings.model_copy(update={"blobs": "s3://bucket-that-was-deleted/rightsdesk"})
    for chosen, status, blobs in ((present, 200, "ok"), (missing, 503, "unreachable")):
        served = Runtime.from_settings(chosen)
        with TestClient(create_app(runtime=served)) as client:
            response = client.get("/readyz")
        served.engine.dispose()
        assert response.status_code == status, response.text
        assert response.json()["checks"] == {"database": "ok", "blobs": blobs}


def test_readiness_fails_when_the_database_is_unreachable(tmp_path: Path) -> None:
    engine = sa.create_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/nothing", connect_args={"connect_timeout": 2}
    )
    runtime = Runtime(Settings(data_dir=tmp_path), engine, LocalBlobStore(tmp_path / "blobs"))
    with TestClient(create_app(runtime=runtime)) as client:
        assert client.get("/healthz").status_code == 200  # the process itself is fine
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "not ready"
    assert response.json()["checks"]["database"].startswith("unreachable")
    assert response.json()["checks"]["blobs"] == "ok"


# metrics


def test_requests_are_counted_by_route_template_not_by_raw_path(client: TestClient) -> None:
    labels = {"method": "GET", "route": "/v1/assets/{asset_id}", "status": "404"}
    before = metric(client, "rightsdesk_http_requests_total", **labels)
    for asset_id in ("0123456789abcdef0123456789abcd01", "0123456789abcdef0123456789abcd02"):
        assert client.get(f"/v1/assets/{asset_id}").status_code == 404
    assert metric(client, "rightsdesk_http_requests_total", **labels) == before + 2
    exposition = client.get("/metrics").text
    assert "0123456789abcdef0123456789abcd01" not in exposition


def test_paths_no_route_knows_share_one_label(client: TestClient) -> None:
    labels = {"method": "GET", "route": "unmatched", "status": "404"}
    before = metric(client, "rightsdesk_http_requests_total", **labels)
    client.get("/wp-login.php")
    client.get("/no/such/page-7d1e")
    assert metric(client, "rightsdesk_http_requests_total", **labels) == before + 2
    assert "page-7d1e" not in client.get("/metrics").text


def test_latency_is_a_histogram_per_route_and_status(client: TestClient) -> None:
    labels = {"method": "GET", "route": "/healthz", "status": "200"}
    name = "rightsdesk_http_request_duration_seconds"
    count_before = metric(client, f"{name}_count", **labels)
    slowest_before = metric(client, f"{name}_bucket", le="10.0", **labels)
    for _ in range(3):
        client.get("/healthz")
    assert metric(client, f"{name}_count", **labels) == count_before + 3
    assert metric(client, f"{name}_bucket", le="10.0", **labels) == slowest_before + 3
    assert metric(client, f"{name}_sum", **labels) > 0


def test_every_check_answer_is_counted_under_its_outcome(
    client: TestClient, seed_image: bytes, seed_caption: str
) -> None:
    uploaded = client.post(
        "/v1/assets", files={"file": ("seed.jpg", seed_image)}, data={"caption": seed_caption}
    )
    assert uploaded.status_code in (200, 201), uploaded.text
    asset = uploaded.json()["id"]
    outcomes = ("allow", "deny", "review")
    before = {o: metric(client, "rightsdesk_check_decisions_total", decision=o) for o in outcomes}
    given: dict[str, int] = dict.fromkeys(outcomes, 0)
    for purpose in ("editorial", "sale"):
        response = client.post(
            "/v1/rights/check",
            json={"assets": [asset, "epa00000000", asset], "use": {"purpose": purpose}},
        )
        assert response.status_code == 200, response.text
        for result in response.json()["results"]:
            given[result["decision"]] += 1
    assert given["deny"] >= 2  # the unknown reference, each time
    after = {o: metric(client, "rightsdesk_check_decisions_total", decision=o) for o in outcomes}
    assert {o: after[o] - before[o] for o in outcomes} == given


# request ids and logs


@pytest.fixture
def access_lines() -> Iterator[io.StringIO]:
    """Every access log line written during the test, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONLogFormatter())
    logger = logging.getLogger("rightsdesk.access")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def test_the_callers_request_id_is_echoed(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "cms-publish-4711"})
    assert response.headers["X-Request-ID"] == "cms-publish-4711"


@pytest.mark.parametrize("sent", [None, b"", b"two words", b"x" * 200, "naïve".encode(), b"a\tb"])
def test_a_request_id_is_made_when_none_usable_is_sent(
    client: TestClient, sent: bytes | None
) -> None:
    headers = {} if sent is None else {"X-Request-ID": sent}
    response = client.get("/healthz", headers=headers)
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_error_responses_carry_the_request_id_too(client: TestClient) -> None:
    response = client.get("/v1/assets/nonsense", headers={"X-Request-ID": "trace-404"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "trace-404"


def test_each_request_writes_one_json_log_line_with_its_request_id(
    client: TestClient, access_lines: io.StringIO
) -> None:
    client.get("/v1/assets/0123456789abcdef0123456789abcdef", headers={"X-Request-ID": "r-1"})
    client.get("/healthz", headers={"X-Request-ID": "r-2"})
    entries = [json.loads(line) for line in access_lines.getvalue().splitlines()]
    assert [e["request_id"] for e in entries] == ["r-1", "r-2"]
    first = entries[0]
    assert first["method"] == "GET"
    assert first["path"] == "/v1/assets/0123456789abcdef0123456789abcdef"
    assert first["route"] == "/v1/assets/{asset_id}"
    assert first["status"] == 404
    assert first["duration_ms"] >= 0
    assert first["level"] == "info" and first["logger"] == "rightsdesk.access"
    assert "Authorization" not in access_lines.getvalue()


@pytest.mark.slow
def test_served_workers_log_json_and_share_metrics(tmp_path: Path) -> None:
    """`rightsdesk serve --workers 2` with PROMETHEUS_MULTIPROC_DIR: one count for all workers."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {
        "RIGHTSDESK_DATA_DIR": str(tmp_path / "data"),
        "RIGHTSDESK_AUTH": "off",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    requests = 24

    def healthz_total(http: httpx.Client) -> float:
        families = text_string_to_metric_families(http.get("/metrics").text)
        return sum(
            s.value
            for f in families
            for s in f.samples
            if s.name == "rightsdesk_http_requests_total" and s.labels.get("route") == "/healthz"
        )

    with serving(env, "--workers", "2") as served, httpx.Client(base_url=served.url) as http:
        before = healthz_total(http)  # the readiness wait already probed /healthz
        for n in range(requests):
            http.get("/healthz", headers={"X-Request-ID": f"probe-{n}"})
        # each scrape may reach either worker: every one must see all the requests
        totals = {healthz_total(http) - before for _ in range(4)}
        lines = served.log_lines()
    assert totals == {requests}
    # the CLI's startup banner is for people; from the first log record on, every line is JSON
    first = next(n for n, line in enumerate(lines) if line.startswith("{"))
    entries = [json.loads(line) for line in lines[first:]]
    probes = [e["request_id"] for e in entries if e.get("request_id", "").startswith("probe-")]
    assert sorted(probes) == sorted(f"probe-{n}" for n in range(requests))  # one line each
    assert all(isinstance(e["pid"], int) for e in entries)  # which worker wrote it


def test_an_unexpected_error_is_logged_with_the_request_id(
    runtime: Runtime, access_lines: io.StringIO
) -> None:
    app = create_app(runtime=runtime)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("disk on fire")

    errors = io.StringIO()
    handler = logging.StreamHandler(errors)
    handler.setFormatter(JSONLogFormatter())
    logging.getLogger("rightsdesk.api").addHandler(handler)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.get("/boom", headers={"X-Request-ID": "trace-500"})
    finally:
        logging.getLogger("rightsdesk.api").removeHandler(handler)
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["X-Request-ID"] == "trace-500"
    logged = json.loads(errors.getvalue().splitlines()[0])
    assert logged["request_id"] == "trace-500"
    assert "disk on fire" in logged["error"]
    access = json.loads(access_lines.getvalue().splitlines()[-1])
    assert (access["request_id"], access["route"], access["status"]) == ("trace-500", "/boom", 500)


def test_the_deploy_guide_names_every_variable_a_replica_needs() -> None:
    guide = (Path(__file__).resolve().parents[1] / "docs" / "deploy.md").read_text()
    block = guide.split("# /etc/rightsdesk/replica.env\n", 1)[1].split("```", 1)[0]
    named = {line.split("=", 1)[0] for line in block.splitlines() if "=" in line}
    assert named == {
        "DATABASE_URL",
        "RIGHTSDESK_BLOBS",
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
        "RIGHTSDESK_DATA_DIR",
        "RIGHTSDESK_AUTH",
    }
    documented = set(re.findall(r"`(RIGHTSDESK_[A-Z_]+)`", guide))
    settings = {f"RIGHTSDESK_{name.upper()}" for name in Settings.model_fields}
    assert documented <= settings, documented - settings  # no variable the code ignores


def test_an_upload_while_the_bucket_is_unreachable_is_503_and_stores_nothing(
    s3_endpoint: str,
    settings: Settings,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    seed_image: bytes,
) -> None:
    for name, value in aws_environment(s3_endpoint).items():
        monkeypatch.setenv(name, value)
    gone = settings.model_copy(
        update={"blobs": "s3://bucket-that-was-deleted/rightsdesk", "auth": "off"}
    )
    served = Runtime.from_settings(gone)
    try:
        with TestClient(create_app(runtime=served)) as client:
            response = client.post("/v1/assets", files={"file": ("seed.jpg", seed_image)})
    finally:
        served.engine.dispose()
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "bucket" in response.json()["detail"]
    with runtime.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM asset")).scalar_one() == 0
    assert list((settings.data_dir / "tmp").glob("*")) == []  # the spooled upload is gone
