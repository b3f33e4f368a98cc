"""The task page over real HTTP, with the generated form (no JavaScript): refused outputs
come back with what was typed and nothing recorded; a draft is kept; the same form sent
twice completes the task once; a problem report keeps its reason when refused."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token
from tests.e2e.test_work_buttons import press, ticket  # noqa: F401 - the fixture


def events_of(system, ticket_id) -> list[str]:
    return [type(e).__name__ for e in system.app.repository.event_store.get(ticket_id)]


def completion_id(html: str) -> str:
    return re.search(r'name="completion_id" value="([^"]+)"', html).group(1)


@pytest.fixture
def tess(signed_in, ticket):  # noqa: F811
    http = signed_in("tess", ("ticket_team",))
    press(http, ticket, "tasks/1/claim")
    return http


def test_the_ticket_page_says_each_tasks_status_and_offers_the_claim(signed_in, ticket):  # noqa: F811
    ben = signed_in("ben", ("ticket_team",))
    page = ben.get(f"/tickets/{ticket}").text
    assert "Pending assignment" in page
    assert "Not reached yet" in page
    assert f'action="/tickets/{ticket}/tasks/1/claim"' in page
    assert "Cancel ticket" not in page  # a dispatcher's button


def test_invalid_outputs_come_back_with_the_typed_values_and_nothing_recorded(
    tess,
    ticket,  # noqa: F811
    system,
):
    page = f"/tickets/{ticket}/tasks/1"
    shown = tess.get(page)
    assert shown.status_code == 200
    assert "What the ticket says" in shown.text and "Laptop" in shown.text  # its input
    before = events_of(system, ticket)
    answer = tess.post(
        f"{page}?plain=1",
        data={"csrf_token": csrf_token(shown.text), "priority": "urgent", "completion_id": "k1"},
    )
    assert answer.status_code == 422
    assert "Must be one of" in answer.text
    assert 'value="k1"' in answer.text  # the same form, the same key
    assert events_of(system, ticket) == before


def test_a_draft_is_kept_and_the_form_starts_from_it(tess, ticket, system):  # noqa: F811
    page = f"/tickets/{ticket}/tasks/1"
    token = csrf_token(tess.get(page).text)
    answer = tess.post(f"{page}/draft", data={"csrf_token": token, "priority": "high"})
    assert answer.status_code == 303
    again = tess.get(f"{page}?plain=1").text
    assert '<option value="high" selected>' in again
    assert "Draft saved." in again
    assert events_of(system, ticket)[-1] == "TaskDraftSaved"


def test_the_same_form_sent_twice_completes_the_task_once(tess, ticket, system):  # noqa: F811
    page = f"/tickets/{ticket}/tasks/1"
    shown = tess.get(f"{page}?plain=1").text
    form = {"csrf_token": csrf_token(shown), "completion_id": completion_id(shown)}
    first = tess.post(page, data={**form, "priority": "high"})
    second = tess.post(page, data={**form, "priority": "high"})
    assert first.status_code == second.status_code == 303
    assert events_of(system, ticket).count("TaskCompleted") == 1
    ticket_page = tess.get(f"/tickets/{ticket}").text
    assert "Filled in so far" in ticket_page and "high" in ticket_page


def test_a_refused_problem_report_keeps_its_reason(tess, ticket):  # noqa: F811
    page = f"/tickets/{ticket}/tasks/1"
    token = csrf_token(tess.get(page).text)
    reason = "The summary names no model. " * 40  # over 1,000 characters
    answer = tess.post(
        f"/tickets/{ticket}/tasks/1/fail", data={"csrf_token": token, "reason": reason}
    )
    assert answer.status_code == 422
    assert "under 1000 characters" in answer.text
    assert "The summary names no model." in answer.text
    reported = tess.post(
        f"/tickets/{ticket}/tasks/1/fail", data={"csrf_token": token, "reason": "No model named"}
    )
    assert reported.status_code == 303
    assert "Problem reported: No model named" in tess.get(f"/tickets/{ticket}").text


def test_someone_elses_task_shows_no_form_and_refuses_a_completion(
    tess,
    signed_in,
    ticket,  # noqa: F811
):
    ben = signed_in("ben", ("ticket_team",))
    page = f"/tickets/{ticket}/tasks/1"
    shown = ben.get(page).text
    assert "Only tess can work on it now." in shown
    assert 'id="ticket-form"' not in shown
    answer = ben.post(page, data={"csrf_token": csrf_token(shown), "priority": "low"})
    assert answer.status_code == 409
    assert "assigned to tess" in answer.text
