"""Demo tickets at every stage of their work (claimed, assigned, half-way, in error,
closed, cancelled), each made and moved through the real commands; their software steps
are done by the automation worker, which the demo runs while it seeds."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from tf_events import commands as c
from tf_events.application import TicketFlower
from tf_events.definitions.software import TaskKind
from tf_events.policy import Actor
from tf_events.tickets.workflow import TaskStatus
from tf_events.written import Written

DEMO_STAGES = Path(__file__).parent / "demo_stages.json"


def submit_demo_ticket(app: TicketFlower, spec: dict[str, Any]) -> c.TicketSubmitted:
    """A fixed submission key per ticket: a second run finds the first run's ticket."""
    submitter = {"id": str(app.user_id_for(spec["by"])), "username": spec["by"]}
    return app.handle(
        c.SubmitTicket(
            submission_key=f"demo:{spec['key']}",
            ticket_type_key=spec["type"],
            data=spec["data"],
            submitter=submitter,
            user_roles=frozenset({"ticket_team"}),
        )
    )


def seed_demo_stages(app: TicketFlower) -> Written | None:
    """Work each staged ticket as its spec says, by the demo users (who must exist).
    Returns where the last event landed, or None when an earlier run made them all."""
    last = None
    for spec in json.loads(DEMO_STAGES.read_text()):
        ticket, written = submit_demo_ticket(app, spec)
        if not written.positions:
            continue
        last = written
        for step in spec["work"]:
            if step["do"] == "software":
                _wait_for_software(app, ticket.id)
            else:
                last = app.handle(_command(app, ticket.id, step)).written
    return last


def _wait_for_software(app: TicketFlower, ticket_id: Any, timeout: float = 60) -> None:
    """Until the automation worker has done the current software step, or given up on it
    (ERROR), as it would for any ticket."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = app.get_ticket(ticket_id).current_task
        if task is None or task.kind != TaskKind.SOFTWARE or task.status is TaskStatus.ERROR:
            return
        time.sleep(0.05)
    raise TimeoutError(f"the automation worker did not do the software step of {ticket_id}")


def _command(app: TicketFlower, ticket_id: Any, step: dict[str, Any]) -> c.ActOnTicket:
    user = app.get_user(app.user_id_for(step["by"]))
    actor = Actor(user.id, frozenset(user.roles), user.username)
    if step["do"] == "cancel":
        return c.CancelTicket(ticket_id=ticket_id, actor=actor, reason=step["reason"])
    current = app.get_ticket(ticket_id).current_task
    assert current is not None, f"{step} on a closed ticket"
    on = {"ticket_id": ticket_id, "actor": actor, "position": current.position}
    match step["do"]:
        case "claim":
            return c.ClaimTask(**on)
        case "assign":
            return c.AssignTask(**on, assignee_id=app.user_id_for(step["to"]))
        case "complete":
            return c.CompleteTask(**on, outputs=step["outputs"])
        case "fail":
            return c.FailTask(**on, reason=step["reason"])
    raise ValueError(f"unknown demo step {step['do']!r}")
