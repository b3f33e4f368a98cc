"""The reports in the API: the page's numbers as JSON, and who may read them."""

from __future__ import annotations

import pytest

from tests.conftest import api
from tests.e2e.test_reports_pages import RANGE, history  # noqa: F401 - a fixture

H = 3600.0


@pytest.fixture
def call(live_server, token_for):
    return api(live_server, token_for("audrey", ("auditor",)))


def test_a_table_comes_back_with_the_pages_numbers(call, history):  # noqa: F811
    answer = call("GET", f"/reports/resolution?{RANGE}")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["start"] == "2026-11-01" and body["end"] == "2026-11-07"
    assert body["rows"] == [
        {"ticket_type": "Flower order", "closed": 2, "median": 4 * H + 600, "p90": 4 * H + 600}
    ]
    software = call("GET", f"/reports/software?{RANGE}").json()["rows"]
    assert software == [{"task": "Diagnose", "runs": 3, "failures": 2, "median": 60.0}]


def test_every_table_at_once(call, history):  # noqa: F811
    body = call("GET", f"/reports?{RANGE}&workflow=orders").json()
    by_name = {table["name"]: table for table in body["tables"]}
    assert set(by_name) == {
        "comparison", "daily", "resolution", "tasks", "backlog-by-status", "backlog-by-task",
        "backlog-by-assignee", "people", "software", "completions",
    }  # fmt: skip
    assert by_name["backlog-by-status"]["rows"] == [
        {"status": "Waiting for someone", "tickets": 1},
        {"status": "In progress", "tickets": 1},
        {"status": "Problem reported", "tickets": 0},
    ]
    assert by_name["software"]["rows"] == []  # repairs are another workflow


def test_completed_actions_say_who_what_when_and_how_long(call, history):  # noqa: F811
    body = call("GET", f"/reports/completions?{RANGE}&type=flower-order").json()
    assert [r["reference"] for r in body["rows"]] == ["TF-2004", "TF-2004", "TF-2003", "TF-2003"]
    assert body["rows"][0] == {
        "completed_at": "2026-11-03T12:20:00+00:00",
        "reference": "TF-2004",
        "task": "Deliver",
        "by": "tess",
        "waited": 7200.0,
        "took": 3600.0,
    }
    assert body["next"] is None


def test_a_refused_parameter_is_named(call):
    answer = call("GET", "/reports/daily?start=2026-11-08&end=2026-11-01")
    assert answer.status_code == 400
    assert answer.json()["errors"]["start"] == ["This range ends before it starts."]


def test_a_token_without_the_roles_is_refused(live_server, token_for):
    answer = api(live_server, token_for("dana", ("designer",)))("GET", "/reports/daily")
    assert answer.status_code == 403
