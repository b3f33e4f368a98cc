"""The Reports page, its CSV files and who may see them, over HTTP."""

from __future__ import annotations

import csv
import io

import pytest

from tests.report_history import record_history
from tf_projections.reports import ReportsReadModel
from tf_projections.waiting import wait_for_positions

RANGE = "start=2026-11-01&end=2026-11-07"


@pytest.fixture
def history(system, live_server):
    wait_for_positions(system.pool, {ReportsReadModel: record_history(system.app)}, 10)


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_the_ticket_team_sees_the_figures_of_the_range(signed_in, history):
    page = signed_in("tess", ("ticket_team",)).get(f"/reports/?{RANGE}")
    assert page.status_code == 200
    text = page.text
    assert "7 Nov 2026 (7 days, UTC)" in text
    assert text.count("<svg") >= 6  # the charts are drawn on the server
    # Flower orders' median resolution: 4 h and 4 h 20 min share a bucket (their mean).
    assert "4 h 10 min" in text
    assert "TF-2007" in text and "Diagnose" in text  # a completed action
    assert 'href="/reports/tasks.csv?start=2026-11-01' in text


def test_each_table_downloads_as_csv_with_the_same_numbers(signed_in, history):
    http = signed_in("audrey", ("auditor",))
    tasks = rows(http.get(f"/reports/tasks.csv?{RANGE}"))
    assert tasks[0] == {
        "task": "Deliver",
        "completed": "2",
        "waiting_median": "7200.0",
        "waiting_p90": "7200.0",
        "working_median": "1800.0",
        "working_p90": "3600.0",
    }
    daily = rows(http.get(f"/reports/daily.csv?{RANGE}&type=repair"))
    assert [(d["day"], d["open"]) for d in daily][-2:] == [("2026-11-06", "2"), ("2026-11-07", "2")]
    # Every completion of the range, not only the page's first 25.
    completions = rows(http.get(f"/reports/completions.csv?{RANGE}"))
    assert [c["reference"] for c in completions] == [
        "TF-2007", "TF-2004", "TF-2004", "TF-2003", "TF-2003",
    ]  # fmt: skip
    assert http.get(f"/reports/nothing.csv?{RANGE}").status_code == 404


def test_completed_actions_are_paged(signed_in, history, system):
    http = signed_in("admin1", ("admin",))
    page = http.get(f"/reports/?{RANGE}")
    assert 'rel="next"' not in page.text  # five completions: one page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-11-08&end=2026-11-01", "This range ends before it starts."),
        ("start=2024-01-01&end=2026-11-01", "Choose at most 366 days."),
        ("start=yesterday", "Give a date like 2026-11-25."),
        ("type=Not%20a%20key", "Not a ticket type key."),
        ("after=garbage", "This page link is damaged"),
        ("colour=red", "Unknown field."),
    ],
)
def test_a_refused_setting_is_named_and_the_default_range_shown(signed_in, query, message):
    page = signed_in("tess", ("ticket_team",)).get(f"/reports/?{query}")
    assert page.status_code == 400
    assert message in page.text
    assert "(30 days, UTC)" in page.text


@pytest.mark.parametrize("roles", [(), ("designer",), ("dispatcher",)])
def test_others_may_not_see_the_reports(signed_in, roles):
    http = signed_in("sam", roles)
    assert http.get("/reports/").status_code == 403
    assert http.get("/reports/daily.csv").status_code == 403
    assert 'href="/reports/"' not in http.get("/").text


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/reports/").status_code == 302
