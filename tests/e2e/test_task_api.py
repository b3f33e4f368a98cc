"""Working tickets through the API alone, over real HTTP: a whole walk to Closed, and the
races and refusals a program meets (parallel claims, retried completions, a completion
racing a reassignment, invalid outputs, stale versions, steps that are not yours)."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable
from functools import partial

import pytest
import requests

from tests.conftest import api
from tests.samples import definition_set
from tf_events.commands import CreateApiToken, ImportDefinitionSet
from tf_projections.waiting import wait_for

Call = Callable[..., requests.Response]


@pytest.fixture
def caller(system, live_server, make_user) -> Callable[..., Call]:
    """An API client for a new user with these roles (a token made as the account page does)."""

    def make(username: str, roles: tuple[str, ...] = ("ticket_team",)) -> Call:
        user_id = make_user(username, roles)
        created = system.app.handle(CreateApiToken(user_id, "tests"))
        wait_for(system.pool, created.written, 5)
        return api(live_server, created.token)

    return make


@pytest.fixture
def sam(system, caller) -> Call:
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(definition_set(), by="dana")), 5)
    return caller("sam", ())


def submit(sam: Call) -> str:
    answer = sam(
        "POST", "/tickets", json={"ticket_type": "laptop-request", "data": {"summary": "A laptop"}}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def events(system, ticket_id: str) -> list[str]:
    return [type(e).__name__ for e in system.app.repository.event_store.get(uuid.UUID(ticket_id))]


def all_at_once(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Start every call at the same moment, on its own thread."""
    start = threading.Barrier(len(calls))
    answers: list[requests.Response | None] = [None] * len(calls)

    def run(i: int) -> None:
        start.wait()
        answers[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return [a for a in answers if a is not None]


def test_a_ticket_walks_to_closed_through_the_api_alone(system, sam, caller):
    tess, ben, dora = caller("tess"), caller("ben"), caller("dora", ("dispatcher",))
    ticket = submit(sam)
    base = f"/tickets/{ticket}"

    assert tess("POST", f"{base}/tasks/1/claim").status_code == 200
    done = tess("POST", f"{base}/tasks/1/complete", json={"outputs": {"priority": "high"}})
    assert done.status_code == 200, done.text
    assert [t["status_label"] for t in done.json()["tasks"]] == ["Done", "Pending assignment"]

    assigned = dora("POST", f"{base}/tasks/2/assign", json={"user": "ben"})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["tasks"][1]["status_label"] == "Assigned to ben"
    closed = ben("POST", f"{base}/tasks/2/complete", json={"outputs": {"approved": True}})
    assert closed.status_code == 200, closed.text

    seen = sam("GET", base)
    assert seen.json()["status"] == "COMPLETED"
    assert seen.json()["status_label"] == "Closed"
    assert seen.json()["resolution"] == "done"
    assert seen.json()["closed_at"]
    assert seen.json()["data"] == {"summary": "A laptop", "priority": "high", "approved": True}
    closed_list = sam("GET", "/tickets?scope=mine&state=closed").json()["items"]
    assert [t["id"] for t in closed_list] == [ticket]

    history = dora("GET", f"{base}/events").json()["items"]
    told = [(step["title"], step["by"]) for step in history]
    assert told == [
        ("Submitted", "sam"),
        ("Task claimed", "tess"),
        ("Task completed", "tess"),
        ("Task assigned", "dora"),
        ("Task completed", "ben"),
    ]
    whats = {change["what"] for step in history for change in step["changes"]}
    assert {"Triage · status", "Priority", "Approve · status", "Approved"} <= whats


def test_twenty_parallel_claims_make_one_claim_and_nineteen_answers_naming_the_winner(
    system, sam, caller
):
    ticket = submit(sam)
    team = [caller(f"worker{i}") for i in range(20)]
    answers = all_at_once(
        [lambda call=call: call("POST", f"/tickets/{ticket}/tasks/1/claim") for call in team]
    )
    assert Counter(a.status_code for a in answers) == {200: 1, 409: 19}
    assert events(system, ticket).count("TaskClaimed") == 1
    winner = next(a for a in answers if a.status_code == 200).json()["tasks"][0]["assignee"]
    for lost in (a for a in answers if a.status_code == 409):
        assert lost.json()["error"] == f"{winner} took this task a moment ago."


def test_a_completion_retried_with_its_idempotency_key_is_applied_once(system, sam, caller):
    tess = caller("tess")
    ticket = submit(sam)
    tess("POST", f"/tickets/{ticket}/tasks/1/claim")
    send = lambda: tess(  # noqa: E731
        "POST",
        f"/tickets/{ticket}/tasks/1/complete",
        json={"outputs": {"priority": "low"}},
        headers={"Idempotency-Key": "triage-of-a-laptop"},
    )
    first, again = send(), send()
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert events(system, ticket).count("TaskCompleted") == 1


def test_a_completion_racing_a_reassignment_has_one_winner_and_loses_no_outputs(
    system, sam, caller
):
    tess, ben, dora = caller("tess"), caller("ben"), caller("dora", ("dispatcher",))
    for _ in range(3):
        task = f"/tickets/{submit(sam)}/tasks/1"
        tess("POST", f"{task}/claim")
        complete, reassign = all_at_once(
            [
                partial(tess, "POST", f"{task}/complete", json={"outputs": {"priority": "high"}}),
                partial(dora, "POST", f"{task}/assign", json={"user": "ben"}),
            ]
        )
        ticket = task.split("/")[2]
        assert sorted([complete.status_code, reassign.status_code]) == [200, 409]
        now = sam("GET", f"/tickets/{ticket}").json()
        if complete.status_code == 200:  # the outputs are in; the reassignment came too late
            assert now["data"]["priority"] == "high"
            assert "is not waiting on 'Triage'" in reassign.json()["error"]
        else:  # nothing half-done: tess hears why and still holds her outputs to resend
            assert "priority" not in now["data"]
            assert complete.json()["error"] == "'Triage' is assigned to ben."
            retried = ben(
                "POST",
                f"/tickets/{ticket}/tasks/1/complete",
                json={"outputs": {"priority": "high"}},
            )
            assert retried.status_code == 200
        assert events(system, ticket).count("TaskCompleted") == 1


def test_invalid_outputs_are_refused_by_field_and_nothing_is_recorded(system, sam, caller):
    tess = caller("tess")
    ticket = submit(sam)
    tess("POST", f"/tickets/{ticket}/tasks/1/claim")
    before = events(system, ticket)
    answer = tess(
        "POST",
        f"/tickets/{ticket}/tasks/1/complete",
        json={"outputs": {"priority": "urgent", "colour": "red"}},
    )
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"outputs.priority", "outputs.colour"}
    assert events(system, ticket) == before


def test_steps_that_are_not_yours_to_take_are_refused_saying_why(system, sam, caller):
    tess, ben, dora = caller("tess"), caller("ben"), caller("dora", ("dispatcher",))
    ticket = submit(sam)
    base = f"/tickets/{ticket}/tasks/1"

    not_claimed = tess("POST", f"{base}/complete", json={"outputs": {"priority": "low"}})
    assert not_claimed.status_code == 409
    assert "claim it first" in not_claimed.json()["error"]
    assigning = tess("POST", f"{base}/assign", json={"user": "ben"})
    assert assigning.status_code == 403
    assert assigning.json()["error"] == "Only dispatchers and admins assign tasks."
    assert sam("POST", f"{base}/claim").status_code == 403  # not on the ticket team

    tess("POST", f"{base}/claim")
    theirs = ben("POST", f"{base}/complete", json={"outputs": {"priority": "low"}})
    assert (theirs.status_code, theirs.json()["error"]) == (409, "'Triage' is assigned to tess.")
    assert tess("POST", f"{base}/fail", json={"reason": " "}).status_code == 422
    assert tess("POST", f"{base}/fail", json={"reason": "No such model"}).status_code == 200
    stopped = tess("POST", f"{base}/complete", json={"outputs": {"priority": "low"}})
    assert stopped.status_code == 409
    assert dora("POST", f"{base}/reopen").json()["tasks"][0]["status_label"] == (
        "Pending assignment"
    )
    late = sam("POST", f"/tickets/{ticket}/withdraw")
    assert late.status_code == 409
    assert late.json()["error"].endswith("work has started on it.")
    assert dora("POST", f"/tickets/{ticket}/cancel", json={"reason": "Dup"}).status_code == 200
    closed = tess("POST", f"{base}/claim")
    reference = sam("GET", f"/tickets/{ticket}").json()["reference"]
    assert (closed.status_code, closed.json()["error"]) == (409, f"{reference} is closed.")


def test_a_stale_if_match_is_refused_with_412_and_a_fresh_one_goes_through(sam, caller):
    tess, dora = caller("tess"), caller("dora", ("dispatcher",))
    ticket = submit(sam)
    read = tess("GET", f"/tickets/{ticket}")
    etag = read.headers["ETag"]
    assert etag == f'"{read.json()["version"]}"'
    dora("POST", f"/tickets/{ticket}/tasks/1/assign", json={"user": "tess"})
    stale = dora(
        "POST", f"/tickets/{ticket}/cancel", json={"reason": "Dup"}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    assert "has changed since version" in stale.json()["error"]
    fresh = dora("GET", f"/tickets/{ticket}").headers["ETag"]
    cancelled = dora(
        "POST", f"/tickets/{ticket}/cancel", json={"reason": "Dup"}, headers={"If-Match": fresh}
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["resolution"] == "cancelled"
