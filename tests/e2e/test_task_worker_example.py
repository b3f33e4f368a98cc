"""The README's autonomous worker (examples/task_worker.py), run as a program against a
live server: it takes the triage tasks from the queue and completes them through the API."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from tests.samples import definition_set
from tf_events.commands import ImportDefinitionSet, SubmitTicket
from tf_projections.waiting import wait_for

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "task_worker.py"


def submit(system, summary: str):
    sam = system.app.user_id_for("sam")
    submitted = system.app.handle(
        SubmitTicket(
            submission_key=str(uuid.uuid4()),
            ticket_type_key="laptop-request",
            data={"summary": summary},
            submitter={"id": str(sam), "username": "sam"},
            user_roles=frozenset(),
        )
    )
    wait_for(system.pool, submitted.written, 5)
    return submitted.ticket.id


def test_the_example_worker_triages_every_waiting_ticket(system, live_server, token_for):
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(definition_set(), by="dana")), 5)
    urgent, calm = submit(system, "Urgent: screen broken"), submit(system, "A second mouse")
    token = token_for("robo", ("ticket_team",))
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--url", live_server, "--task", "triage"],
        env={"TF_TOKEN": token, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "2 task(s) done" in run.stdout
    for ticket_id, priority in ((urgent, "high"), (calm, "normal")):
        ticket = system.app.get_ticket(ticket_id)
        assert ticket.data["priority"] == priority
        assert ticket.tasks[0].assignee.username == "robo"
        assert ticket.current_task is ticket.tasks[1]
    again = subprocess.run(
        [sys.executable, str(SCRIPT), "--url", live_server, "--task", "triage"],
        env={"TF_TOKEN": token, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "0 task(s) done" in again.stdout  # nothing waits; nothing done twice
