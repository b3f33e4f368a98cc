"""The buttons that move a ticket, over real HTTP: each answers on the page it came from,
in words, and a ticket one may not see stays not found."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import csrf_token
from tests.samples import definition_set
from tf_events.commands import ImportDefinitionSet, SubmitTicket
from tf_projections.waiting import wait_for


@pytest.fixture
def ticket(system, workers):
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(definition_set(), by="dana")), 5)
    sam = system.app.user_id_for("sam")
    submitted = system.app.handle(
        SubmitTicket(
            submission_key=str(uuid.uuid4()),
            ticket_type_key="laptop-request",
            data={"summary": "Laptop"},
            submitter={"id": str(sam), "username": "sam"},
            user_roles=frozenset(),
        )
    )
    wait_for(system.pool, submitted.written, 5)
    return submitted.ticket.id


def press(http, ticket, action: str, **form) -> str:
    """Press a button on the ticket's page; return the page it leads back to."""
    page = f"/tickets/{ticket}"
    answer = http.submit(page, f"{page}/{action}", {"next": page, **form})
    assert answer.status_code == 303, answer.text
    assert answer.headers["Location"].endswith(page)
    return http.get(page).text


def test_the_second_claim_hears_who_took_the_task(signed_in, ticket):
    tess = signed_in("tess", ("ticket_team",))
    ben = signed_in("ben", ("ticket_team",))
    assert "The task is yours." in press(tess, ticket, "tasks/1/claim")
    assert "tess took this task a moment ago" in press(ben, ticket, "tasks/1/claim")


def test_a_reason_is_required_to_cancel(signed_in, ticket):
    dora = signed_in("dora", ("dispatcher",))
    assert "Say why" in press(dora, ticket, "cancel", reason=" ")
    assert "The ticket is cancelled." in press(dora, ticket, "cancel", reason="Duplicate")


def test_someone_elses_ticket_is_not_found(signed_in, ticket):
    olga = signed_in("olga")
    page = f"/tickets/{ticket}"
    token_page = olga.get("/tickets/mine").text
    answer = olga.post(f"{page}/withdraw", data={"csrf_token": csrf_token(token_page)})
    assert answer.status_code == 404
