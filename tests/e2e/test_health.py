"""/healthz and the projection status command."""

from __future__ import annotations

import json
import uuid

from click.testing import CliRunner
from eventsourcing.utils import get_topic

from tf_events.commands import RegisterUser
from tf_events.users import User
from tf_projections.waiting import wait_for


def test_healthz_reports_the_database_and_each_projection(client, make_user):
    make_user("alice")
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    users = next(p for p in body["projections"] if p["name"] == "users")
    assert users["lag"] == 0
    assert users["position"] == users["head"] >= 1


def test_a_poison_event_shows_in_healthz_and_in_the_status_command(client, system, monkeypatch):
    with system.pool.connection() as conn:
        conn.execute(
            "INSERT INTO ticketflower_events (originator_id, originator_version, topic, state)"
            " VALUES (%s, 1, %s, %s)",
            (uuid.uuid4(), get_topic(User.Registered), b"{}"),
        )
    wait_for(system.pool, system.app.handle(RegisterUser("after", "long enough")), 5)

    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert {p["name"]: p["failures"] for p in body["projections"]}["users"] == 1

    from tf_web.cli import main

    monkeypatch.setenv("TF_DATABASE_URL", system.database_url)
    result = CliRunner().invoke(main, ["projections", "status", "--json"])
    assert result.exit_code == 0, result.output
    status = json.loads(result.output[result.output.index("[") :])
    users = next(p for p in status if p["name"] == "users")
    assert (users["failures"], users["lag"]) == (1, 0)
