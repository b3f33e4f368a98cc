"""Submitting tickets through the web form, over real HTTP."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.samples import definition_set
from tf_events.commands import ImportDefinitionSet
from tf_projections.waiting import wait_for

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def every_field_type_set() -> dict:
    """A set whose ticket type has no custom layout (so the form is generated) and a field
    of every type."""
    data = definition_set()
    fields = [
        {"name": "summary", "type": "text", "label": "Summary", "required": True, "max_length": 40},
        {"name": "details", "type": "long_text", "label": "Details"},
        {"name": "budget", "type": "number", "label": "Budget", "min": 0, "max": 5000},
        {"name": "quantity", "type": "integer", "label": "Quantity", "min": 1, "max": 10},
        {"name": "urgent", "type": "boolean", "label": "Urgent"},
        {"name": "needed_by", "type": "date", "label": "Needed by"},
        {"name": "meeting", "type": "datetime", "label": "Meeting"},
        {"name": "contact", "type": "email", "label": "Contact email", "required": True},
        {"name": "link", "type": "url", "label": "Link"},
        {"name": "phone", "type": "phone", "label": "Phone"},
        {
            "name": "priority",
            "type": "choice",
            "label": "Priority",
            "options": ["low", "normal", "high"],
        },
        {
            "name": "extras",
            "type": "multi_choice",
            "label": "Extras",
            "options": ["bag", "mouse", "dock"],
        },
        {"name": "quote", "type": "file", "label": "Quote", "max_size_mb": 0.01},
        {"name": "approved", "type": "boolean", "label": "Approved"},
    ]
    data["workflows"][0]["fields"] = fields
    data["ticket_types"] = [
        {
            "key": "everything",
            "name": "Everything form",
            "workflow": "it-request",
            "fields": [f["name"] for f in fields if f["name"] != "approved"],
        }
    ]
    return data


@pytest.fixture
def with_definitions(system):
    written = system.app.handle(ImportDefinitionSet(every_field_type_set(), by="dana"))
    wait_for(system.pool, written, 5)


VALID = {
    "summary": "New laptop",
    "details": "Mine is slow.",
    "budget": "1200.50",
    "quantity": "2",
    "urgent": "true",
    "needed_by": "2026-12-01",
    "meeting": "2026-12-01T10:30",
    "contact": "sam@example.com",
    "link": "https://example.com/x",
    "phone": "+1 555 0100",
    "priority": "high",
    "extras": ["bag", "dock"],
}


def submit(http, data: dict, files=None, submission_id: str | None = None):
    page = http.get("/tickets/new/everything")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    form = {
        **data,
        "csrf_token": token,
        "version": version,
        "submission_id": submission_id
        or re.search(r'name="submission_id" value="([^"]+)"', page.text).group(1),
    }
    return http.post("/tickets/new/everything", data=form, files=files)


def test_a_valid_submission_lands_on_a_confirmation_with_its_reference(signed_in, with_definitions):
    sam = signed_in("sam")
    response = submit(sam, VALID)
    assert response.status_code == 303
    confirmation = sam.get(response.headers["Location"])
    assert re.search(r'class="reference">TF-\d{4,}<', confirmation.text)
    for link in ("See its status", "My tickets", "Submit another"):
        assert link in confirmation.text
    mine = sam.get("/tickets/mine").text
    assert "New laptop" in mine


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("summary", "", "This field is required."),
        ("priority", "urgent!", "Must be one of: low, normal, high."),
        ("extras", ["bag", "cape"], "Must be one of: bag, mouse, dock."),
        # Every other field type's rule has a unit test (tests/unit/test_ticket_data.py).
    ],
)
def test_invalid_input_shows_the_error_next_to_its_field_and_keeps_every_value(
    signed_in, with_definitions, field, value, message
):
    sam = signed_in("sam")
    response = submit(sam, {**VALID, field: value})
    assert response.status_code == 422
    assert message in response.text
    assert f'id="{field}-errors"' in response.text or field == "extras"
    assert ">Mine is slow.</textarea>" in response.text
    kept = "link" if field != "link" else "phone"
    assert f'value="{VALID[kept]}"' in response.text
    if field not in ("priority", "extras") and value:
        assert f'value="{value}"' in response.text  # what was typed stays, even when wrong


def test_a_double_submission_creates_one_ticket(signed_in, with_definitions, system):
    sam = signed_in("sam")
    submission = str(uuid.uuid4())
    first = submit(sam, VALID, submission_id=submission)
    second = submit(sam, VALID, submission_id=submission)
    assert first.headers["Location"] == second.headers["Location"]
    with system.pool.connection() as conn:
        assert conn.execute("SELECT count(*) FROM tickets").fetchone() == (1,)


def test_an_uploaded_file_appears_on_the_ticket_and_downloads(signed_in, with_definitions):
    sam = signed_in("sam")
    response = submit(sam, VALID, files={"quote": ("quote.png", PNG, "image/png")})
    assert response.status_code == 303
    ticket_page = response.headers["Location"].replace("/submitted", "")
    page = sam.get(ticket_page).text
    link = re.search(r'href="(/tickets/[^"]+/files/[0-9a-f]{64})">quote.png<', page).group(1)
    download = sam.get(link)
    assert download.content == PNG
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_of_the_wrong_type_or_size_is_refused_clearly(signed_in, with_definitions):
    sam = signed_in("sam")
    fake = submit(
        sam, VALID, files={"quote": ("quote.png", b"MZ\x90\x00" + b"\x00" * 100, "image/png")}
    )
    assert fake.status_code == 422
    assert "not a type we accept" in fake.text
    big = submit(sam, VALID, files={"quote": ("big.txt", b"a" * 20_000, "text/plain")})
    assert big.status_code == 413
    assert "larger than" in big.text


def test_a_request_past_the_total_limit_gets_413(signed_in, with_definitions):
    sam = signed_in("sam")
    response = submit(
        sam, VALID, files={"quote": ("huge.txt", b"a" * (27 * 1024 * 1024), "text/plain")}
    )
    assert response.status_code == 413


def test_others_cannot_see_a_ticket_but_the_ticket_team_can(signed_in, with_definitions):
    sam = signed_in("sam")
    location = submit(sam, VALID).headers["Location"].replace("/submitted", "")
    assert signed_in("pat").get(location).status_code == 404
    assert signed_in("tess", ("ticket_team",)).get(location).status_code == 200


def test_a_ticket_type_closed_to_your_roles_is_not_offered(signed_in, system):
    data = every_field_type_set()
    data["ticket_types"][0]["roles"] = ["ticket_team"]
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(data, by="dana")), 5)
    sam = signed_in("sam")
    assert "Everything form" not in sam.get("/tickets/new").text
    assert sam.get("/tickets/new/everything").status_code == 404
    token = re.search(r'name="csrf_token" value="([^"]+)"', sam.get("/").text).group(1)
    assert (
        sam.post("/tickets/new/everything", data={**VALID, "csrf_token": token}).status_code == 403
    )
