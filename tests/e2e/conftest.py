"""Fixtures for the HTTP tests that walk every route (see walk.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import api
from tests.e2e.test_api_tickets import JSON_VALID
from tests.e2e.test_ticket_submission import every_field_type_set
from tf_events.commands import ImportDefinitionSet
from tf_projections.waiting import wait_for


@pytest.fixture
def world(signed_in, live_server, system) -> dict[str, Any]:
    """A user with every role, signed in and holding a token; definitions and a ticket."""
    http = signed_in("ada", ("admin", "designer", "ticket_team"))
    page = http.submit("/account/tokens", "/account/tokens", {"name": "script"})
    token = re.search(r'id="new-token">([^<]+)<', page.text).group(1)
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(every_field_type_set(), by="d")), 5)
    call = api(live_server, token)
    created = call("POST", "/tickets", json={"ticket_type": "everything", "data": JSON_VALID})
    assert created.status_code == 201, created.text
    return {
        "http": http,
        "call": call,
        "ticket_id": created.json()["id"],
        "head": system.app.recorder.max_notification_id(),
    }
