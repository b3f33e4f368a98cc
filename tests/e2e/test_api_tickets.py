"""Submitting tickets through the API."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import api
from tests.e2e.test_ticket_submission import PNG, VALID, every_field_type_set
from tf_events.commands import ImportDefinitionSet
from tf_projections.waiting import wait_for

JSON_VALID = {**VALID, "budget": 1200.5, "quantity": 2, "urgent": True}


@pytest.fixture
def call(live_server, token_for, system):
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(every_field_type_set(), by="d")), 5)
    return api(live_server, token_for("sam", ()))


def post(call, data: dict, **kwargs):
    return call("POST", "/tickets", json={"ticket_type": "everything", "data": data}, **kwargs)


def test_a_valid_submission_gets_201_with_its_reference_and_address(call, system):
    response = post(call, JSON_VALID)
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("TF-")
    assert (body["status"], body["status_label"]) == ("NOT_STARTED", "Pending assignment")
    # `url` is the API's address of the ticket, as in GET; `web_url` its page.
    assert body["url"].endswith(f"/api/v1/tickets/{body['id']}")
    assert response.headers["Location"] == body["url"]
    assert body["web_url"].endswith(f"/tickets/{body['id']}")
    assert "/api/" not in body["web_url"]
    with system.pool.connection() as conn:
        data = conn.execute("SELECT data FROM tickets WHERE id = %s", (body["id"],)).fetchone()[0]
    assert data["extras"] == ["bag", "dock"]
    assert data["meeting"] == "2026-12-01T10:30:00"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("summary", None),
        ("summary", 5),
        ("budget", "lots"),
        ("budget", -1),
        ("quantity", 11),
        ("urgent", "maybe"),
        ("needed_by", "soon"),
        ("meeting", "soon"),
        ("contact", "nope"),
        ("link", "ftp://x"),
        ("phone", "??"),
        ("priority", "urgent"),
        ("extras", "bag"),
        ("quote", "a-file-name"),
        ("no_such_field", 1),
    ],
)
def test_invalid_data_for_each_field_type_gets_422_with_its_path(call, field, value):
    response = post(call, {**JSON_VALID, field: value})
    assert response.status_code == 422, response.text
    assert list(response.json()["errors"]) == [f"data.{field}"]


def test_unknown_and_forbidden_ticket_types(call, live_server, system):
    response = call("POST", "/tickets", json={"ticket_type": "nothing", "data": {}})
    assert response.status_code == 422
    data = every_field_type_set()
    data["ticket_types"][0]["roles"] = ["ticket_team"]
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(data, by="d")), 5)
    assert post(call, JSON_VALID).status_code == 403
    assert call("GET", "/ticket-types").json()["items"] == []


def test_ticket_types_describe_what_to_send(call):
    [item] = call("GET", "/ticket-types").json()["items"]
    detail = call("GET", item["url"].removeprefix("/api/v1")).json()
    assert [f["name"] for f in detail["fields"]][:2] == ["summary", "details"]


def test_a_retry_with_the_same_idempotency_key_returns_the_first_ticket(call, system):
    first = post(call, JSON_VALID, headers={"Idempotency-Key": "order-77"})
    again = post(call, JSON_VALID, headers={"Idempotency-Key": "order-77"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    with system.pool.connection() as conn:
        assert conn.execute("SELECT count(*) FROM tickets").fetchone() == (1,)


def test_a_key_reused_for_another_request_is_refused_and_makes_nothing(call, system):
    first = post(call, JSON_VALID, headers={"Idempotency-Key": "order-78"})
    other = post(call, {**JSON_VALID, "quantity": 3}, headers={"Idempotency-Key": "order-78"})
    assert (first.status_code, other.status_code) == (201, 422)
    assert "another request" in other.json()["errors"]["Idempotency-Key"][0]
    with system.pool.connection() as conn:
        assert conn.execute("SELECT count(*) FROM tickets").fetchone() == (1,)


def test_files_go_in_a_multipart_request_and_oversized_ones_get_413(call):
    payload = {"payload": json.dumps({"ticket_type": "everything", "data": JSON_VALID})}
    ok = call("POST", "/tickets", data=payload, files={"quote": ("q.png", PNG, "image/png")})
    assert ok.status_code == 201, ok.text
    big = call(
        "POST", "/tickets", data=payload, files={"quote": ("big.txt", b"a" * 20_000, "text/plain")}
    )
    assert big.status_code == 413
    assert "larger than" in big.json()["errors"]["data.quote"][0]


def test_fifty_concurrent_submissions_make_fifty_tickets_each_visible_on_arrival(call, system):
    def submit(i: int) -> dict:
        response = post(call, {**JSON_VALID, "summary": f"Request {i}"})
        assert response.status_code == 201
        body = response.json()
        with system.pool.connection() as conn:
            seen = conn.execute("SELECT reference FROM tickets WHERE id = %s", (body["id"],))
            assert seen.fetchone() == (body["reference"],), "not visible when the answer came"
        return body

    with ThreadPoolExecutor(max_workers=16) as pool:
        bodies = list(pool.map(submit, range(50)))
    assert len({b["reference"] for b in bodies}) == 50
    with system.pool.connection() as conn:
        assert conn.execute("SELECT count(*) FROM tickets").fetchone() == (50,)


def test_a_ticket_type_that_names_its_summary_gives_tickets_that_line(call, system):
    definitions = every_field_type_set()
    definitions["ticket_types"][0]["summary"] = "{priority}: {summary}"
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(definitions, by="d")), 5)
    created = post(call, JSON_VALID)
    assert created.status_code == 201, created.text
    ticket = call("GET", f"/tickets/{created.json()['id']}").json()
    assert ticket["summary"] == "high: New laptop"
