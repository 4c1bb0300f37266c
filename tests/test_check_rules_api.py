"""One scenario per policy rule, through HTTP: caption in, decision and reason out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from tests.images import jpeg_bytes

_distinct = count(1000)
NOW = datetime.now(UTC)
IN_40_DAYS = (NOW + timedelta(days=40)).isoformat()

SCENARIOS = [
    # caption tail, use, decision, reason code that must be cited
    ("EDITORIAL USE ONLY", {"purpose": "commercial"}, "deny", "EDITORIAL_USE_ONLY"),
    ("EDITORIAL USE ONLY", {"purpose": "editorial"}, "allow", None),
    ("NO SALES", {"purpose": "sale"}, "deny", "NO_SALES"),
    ("NO RESALES", {"purpose": "syndication"}, "deny", "NO_RESALES"),
    ("NO MARKETING", {"purpose": "marketing"}, "deny", "NO_MARKETING"),
    ("NO ADVERTISING", {"purpose": "advertising"}, "deny", "NO_ADVERTISING"),
    ("NO ARCHIVES", {"purpose": "archive"}, "deny", "NO_ARCHIVES"),
    ("NO ARCHIVES", {"purpose": "editorial"}, "allow", None),
    ("NO ARCHIVES", {"purpose": "editorial", "at": IN_40_DAYS}, "deny", "NO_ARCHIVES"),
    ("EMBARGOED UNTIL 0001 GMT 12 MARCH 2099", {"purpose": "editorial"}, "deny", "EMBARGO"),
    ("EMBARGOED UNTIL 0001 GMT 12 MARCH 2024", {"purpose": "editorial"}, "allow", None),
    ("NO USE IN GERMANY", {"purpose": "editorial", "territory": "DE"}, "deny", "TERRITORY"),
    ("NO USE IN GERMANY", {"purpose": "editorial", "territory": "GB"}, "allow", None),
    ("NO USE IN GERMANY", {"purpose": "editorial"}, "review", "TERRITORY"),
    ("MANDATORY CREDIT", {"purpose": "editorial"}, "allow", None),
    ("DO NOT OBSCURE LOGO", {"purpose": "editorial"}, "review", None),
]


@pytest.mark.parametrize(("tail", "use", "expected", "cited"), SCENARIOS)
def test_each_rule_answers_through_the_hook(client, tail, use, expected, cited):
    caption = f"Crowds gather in Athens, Greece, 3 March 2024. EPA/JOHN DOE {tail}"
    response = client.post(
        "/v1/assets",
        data={"caption": caption},
        files={"file": ("x.jpg", jpeg_bytes(next(_distinct)), "image/jpeg")},
    )
    assert response.status_code == 201, response.text
    result = client.post(
        "/v1/rights/check",
        json={"assets": [response.json()["id"]], "use": {"channel": "web", **use}},
    ).json()["results"][0]
    assert result["decision"] == expected, result
    if cited:
        reason = next(r for r in result["reasons"] if r["code"] == cited)
        assert reason["evidence"], "a restriction reason must cite its phrase"
        assert reason["evidence"][0]["text"].upper() in caption.upper()
    assert result["purge"] is (tail == "NO ARCHIVES" and "at" in use)
    if expected == "allow":
        assert result["credit_line"] == "EPA/JOHN DOE"
        assert any("EPA/JOHN DOE" in obligation for obligation in result["obligations"])
