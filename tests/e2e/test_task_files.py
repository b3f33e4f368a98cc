"""A task whose output is a file: attached in the task page's form, or by an upload token
through the API, as a submission's files are; the ticket keeps the server's reference."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from tests.conftest import api, csrf_token
from tests.e2e.test_ticket_submission import PNG
from tests.samples import definition_set
from tf_events.commands import CreateApiToken, ImportDefinitionSet, SubmitTicket
from tf_projections.waiting import wait_for

PHOTO = {"name": "photo", "type": "file", "label": "Photo of the old laptop"}


@pytest.fixture
def ticket(system, workers):
    """A laptop request whose triage asks for a photo."""
    definitions = definition_set()
    definitions["workflows"][0]["fields"].append(PHOTO)
    definitions["tasks"][0]["outputs"].append(PHOTO)
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(definitions, by="dana")), 5)
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


def photo_of(system, ticket_id) -> dict:
    with system.pool.connection() as conn:
        row = conn.execute("SELECT data FROM tickets WHERE id = %s", (ticket_id,)).fetchone()
    return row[0]["photo"]


def test_a_file_output_is_attached_in_the_task_pages_form(signed_in, ticket, system):
    tess = signed_in("tess", ("ticket_team",))
    page = f"/tickets/{ticket}/tasks/1"
    token = csrf_token(tess.get(f"/tickets/{ticket}").text)
    tess.post(f"{page}/claim", data={"csrf_token": token})
    assert 'type="file"' in tess.get(f"{page}?plain=1").text
    answer = tess.post(
        page,
        data={"csrf_token": token, "priority": "low"},
        files={"photo": ("old-laptop.png", PNG, "image/png")},
    )
    assert answer.status_code == 303, answer.text
    assert photo_of(system, ticket)["sha256"] == hashlib.sha256(PNG).hexdigest()
    shown = tess.get(f"/tickets/{ticket}").text
    assert "old-laptop.png" in shown  # under "Filled in so far", as a download link


def test_a_file_output_goes_through_the_api_as_an_upload_token(
    live_server, make_user, ticket, system
):
    tess_id = make_user("tess", ("ticket_team",))
    created = system.app.handle(CreateApiToken(tess_id, "tests"))
    wait_for(system.pool, created.written, 5)
    call = api(live_server, created.token)
    assert call("POST", f"/tickets/{ticket}/tasks/1/claim").status_code == 200
    uploaded = call("POST", "/uploads", files={"file": ("old.png", PNG, "image/png")})
    assert uploaded.status_code == 201, uploaded.text
    forged = call(
        "POST",
        f"/tickets/{ticket}/tasks/1/complete",
        json={"outputs": {"photo": {"sha256": "0" * 64, "name": "x.png", "size": 1}}},
    )
    assert forged.status_code == 422
    assert "outputs.photo" in forged.json()["errors"]
    done = call(
        "POST",
        f"/tickets/{ticket}/tasks/1/complete",
        json={"outputs": {"photo": {"upload": uploaded.json()["upload"]}}},
    )
    assert done.status_code == 200, done.text
    assert photo_of(system, ticket)["name"] == "old.png"
