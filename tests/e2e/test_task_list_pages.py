"""The task lists over real HTTP: the queue's Claim and Assign come back to the same
filtered queue, my tasks link to their task pages, a dispatcher reopens a failed task,
and each list answers only those the policy lets read it, in the pages and the API."""

from __future__ import annotations

import html
import re
import uuid
from urllib.parse import urlsplit

import pytest

from tests.conftest import api
from tests.samples import definition_set
from tf_events.commands import ClaimTask, FailTask, ImportDefinitionSet, SubmitTicket
from tf_events.policy import Actor
from tf_projections.waiting import wait_for


@pytest.fixture
def submit(system, workers):
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(definition_set(), by="dana")), 5)

    def submit(summary: str) -> uuid.UUID:
        submitted = system.app.handle(
            SubmitTicket(
                submission_key=str(uuid.uuid4()),
                ticket_type_key="laptop-request",
                data={"summary": summary},
                submitter={"id": str(system.app.user_id_for("sam")), "username": "sam"},
                user_roles=frozenset(),
            )
        )
        wait_for(system.pool, submitted.written, 5)
        return submitted.ticket.id

    return submit


def claim_forms(page: str) -> list[tuple[str, str]]:
    """Each Claim form on the page: (action, next)."""
    return re.findall(
        r'<form method="post" action="([^"]+/claim)" class="row-form">\s*'
        r'<input type="hidden" name="csrf_token" value="[^"]+">\s*'
        r'<input type="hidden" name="next" value="([^"]+)">',
        page,
    )


def test_claiming_from_a_filtered_queue_comes_back_to_it(signed_in, submit):
    ticket = submit("A laptop for Mia")
    tess = signed_in("tess", ("ticket_team",))
    queue = "/tasks/queue?task=triage&type=laptop-request"
    page = tess.get(queue)
    assert page.status_code == 200
    assert "A laptop for Mia" in page.text
    [(action, back)] = claim_forms(page.text)
    assert action == f"/tickets/{ticket}/tasks/1/claim"
    assert html.unescape(back) == queue
    answer = tess.submit(queue, action, {"next": html.unescape(back)})
    assert answer.status_code == 303
    assert urlsplit(answer.headers["Location"]).path == "/tasks/queue"
    again = tess.get(answer.headers["Location"]).text
    assert "The task is yours." in again
    assert "A laptop for Mia" not in again
    mine = tess.get("/tasks/mine").text
    assert f'href="/tickets/{ticket}/tasks/1"' in mine


def test_a_dispatcher_assigns_from_the_queue_to_those_who_may_do_the_task(signed_in, submit):
    ticket = submit("Screen")
    signed_in("tess", ("ticket_team",))
    signed_in("sam")
    dora = signed_in("dora", ("dispatcher",))
    page = dora.get("/tasks/queue").text
    choices = re.findall(r'<option value="([0-9a-f-]{36})">([^<]+)</option>', page)
    assert [name for _, name in choices] == ["tess (tess)"]  # not sam, not dora
    assert not claim_forms(page)  # a dispatcher hands tasks out; claiming is the team's
    answer = dora.submit(
        "/tasks/queue",
        f"/tickets/{ticket}/tasks/1/assign",
        {"assignee": choices[0][0], "next": "/tasks/queue"},
    )
    assert answer.status_code == 303
    assert "The task is assigned." in dora.get("/tasks/queue").text


def test_a_dispatcher_reopens_a_task_in_error(signed_in, submit, system):
    ticket = submit("Printer")
    tess = signed_in("tess", ("ticket_team",))
    actor = Actor(system.app.user_id_for("tess"), frozenset({"ticket_team"}), "tess")
    system.app.handle(ClaimTask(ticket_id=ticket, position=0, actor=actor))
    failed = system.app.handle(
        FailTask(ticket_id=ticket, position=0, actor=actor, reason="No toner")
    )
    wait_for(system.pool, failed.written, 5)
    assert "Problem reported" in tess.get("/tasks/mine").text
    dora = signed_in("dora", ("dispatcher",))
    problems = dora.get("/tasks/problems").text
    assert "No toner" in problems
    answer = dora.submit(
        "/tasks/problems", f"/tickets/{ticket}/tasks/1/reopen", {"next": "/tasks/problems"}
    )
    assert answer.status_code == 303
    after = dora.get("/tasks/problems").text
    assert "The task is back in the queue." in after
    assert "No toner" not in after


def test_the_task_lists_are_not_for_submitters(signed_in, submit):
    sam = signed_in("sam")
    for path in ("/tasks/queue", "/tasks/mine", "/tasks/problems"):
        assert sam.get(path).status_code == 403
    assert "/tasks/queue" not in sam.get("/").text


def test_a_filter_that_is_not_allowed_is_named_and_left_out(signed_in, submit):
    submit("Desk")
    tess = signed_in("tess", ("ticket_team",))
    page = tess.get("/tasks/queue?older_than=century&after=garbage")
    assert page.status_code == 400
    assert "Waiting:" in page.text and "Page link:" in page.text
    assert "Desk" in page.text


def test_the_api_lists_the_queue_and_pages_through_it(live_server, token_for, submit):
    for n in range(3):
        submit(f"Laptop {n}")
    call = api(live_server, token_for("tess", ("ticket_team",)))
    first = call("GET", "/tasks", params={"view": "queue", "task": "triage", "limit": 2})
    assert first.status_code == 200, first.text
    body = first.json()
    assert [item["summary"] for item in body["items"]] == ["Laptop 0", "Laptop 1"]
    item = body["items"][0]
    assert item["status_label"] == "Pending assignment"
    assert item["url"].endswith(f"/api/v1/tickets/{item['ticket_id']}/tasks/1")
    second = call("GET", body["next"].split("/api/v1", 1)[1])
    assert [item["summary"] for item in second.json()["items"]] == ["Laptop 2"]
    assert second.json()["next"] is None


def test_the_api_refuses_lists_the_token_may_not_read(live_server, token_for, submit):
    call = api(live_server, token_for("sam", ()))
    assert call("GET", "/tasks", params={"view": "queue"}).status_code == 403
    assert call("GET", "/tasks", params={"view": "all"}).status_code == 403
    tess = api(live_server, token_for("tess", ("ticket_team",)))
    refused = tess("GET", "/tasks", params={"view": "queue", "status": "ERROR"})
    assert refused.status_code == 400
    assert "status" in refused.json()["errors"]


def test_the_dashboard_links_each_count_to_its_list(signed_in, submit):
    submit("Chair")
    tess = signed_in("tess", ("ticket_team",))
    page = tess.get("/").text
    counts = dict(re.findall(r'<a href="([^"]+)"[^>]*><span class="stat-number">([^<]+)<', page))
    assert counts["/tasks/queue"] == "1"
    assert counts["/tasks/mine"] == "0"
    assert counts["/tasks/problems"] == "0"
    closed_today = next(link for link in counts if "state=closed" in link)
    assert tess.get(html.unescape(closed_today)).status_code == 200
    assert "stat-number" not in signed_in("sam").get("/").text


def test_assigned_to_me_lists_the_tickets_whose_current_task_i_hold(signed_in, submit, system):
    mine, _theirs = submit("Mine to do"), submit("Still waiting")
    tess = signed_in("tess", ("ticket_team",))
    actor = Actor(system.app.user_id_for("tess"), frozenset({"ticket_team"}), "tess")
    wait_for(system.pool, system.app.handle(ClaimTask(ticket_id=mine, position=0, actor=actor)), 5)
    everything = tess.get("/tickets/").text
    assert 'href="/tickets/?assignee=tess"' in everything  # the quick view
    assert "Assigned to tess" in everything and "Pending assignment" in everything
    page = tess.get("/tickets/?assignee=tess").text
    assert "Mine to do" in page and "Still waiting" not in page
    assert tess.get("/tickets/?task_status=pending").text.count("Still waiting") == 1
    assert tess.get("/tickets/?task_status=nonsense").status_code == 400
