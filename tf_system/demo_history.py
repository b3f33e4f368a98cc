"""Nine weeks of past work for the demo, so the Reports page has something to show.

Tickets are submitted on working days at office hours, wait a while for someone to claim
each task, take a while to do, and most close; a few are cancelled, and the last days'
tickets are still open. Everything goes through the real commands, only with the events
dated in the past (`dated`), so every read table and `ticketflower projections check`
agree with the log. Each ticket has a fixed submission key and the times come from a
seeded random generator: a second run finds the first run's tickets and adds nothing.
"""

from __future__ import annotations

import json
import logging
import random
import time as clock
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from eventsourcing.domain import CanCreateTimestamp

from tf_automation.sandbox import CodeRunner
from tf_automation.worker import Lease, attempt
from tf_events import commands as c
from tf_events.application import TicketFlower
from tf_events.definitions.software import TaskKind
from tf_events.errors import DomainError
from tf_events.policy import Actor
from tf_system.demo_work import DEMO_STAGES, submit_demo_ticket

log = logging.getLogger(__name__)

WEEKS = 9  # the last 30 days and the 30 before them, both full
TEAM = ("tess", "dana", "dora")
SHARES = (5, 3, 2)  # tess does half the work
# What each demo task's form is filled with (the task's output fields).
OUTPUTS: dict[str, dict[str, Any]] = {
    "order-confirm": {"total": 43.5, "payment_received": True},
    "order-pick-pack": {"packed_at": "2026-11-02T08:40:00"},
    "order-ship": {"tracking_url": "https://track.example.com/parcel/PK-55120"},
    "order-confirm-delivery": {"delivered": True},
    "support-triage": {"severity": "Low \u2013 a question or minor issue",
                       "assigned_team": "First line"},
    "support-investigate": {"findings": "A loose connector; a replacement part is on its way."},
    "support-respond": {"response": "Thank you for your patience: the part ships today."},
    "support-close": {"resolved": True, "satisfaction": 5},
    "it-manager-approval": {"manager_approved": True, "approval_notes": "Standard model."},
    "it-procurement": {"order_total": 249.0, "purchase_order": "PO-2026-0400"},
    "it-hand-over": {},  # its asset tags come from the software step before it
}  # fmt: skip
# The past tickets' own people and words, in place of the staged tickets' (which the demo's
# tests find by their words).
CUSTOMERS = ("Maja Lind", "Omar Haddad", "Sofia Berg", "Lucas Ek", "Elin Sund", "Noah Vik")
TEXTS = {
    "description": "It stopped working after a few days; could you have a look?",
    "justification": "A replacement for one that broke.",
    "gift_message": "Happy birthday!",
}
# Ticket types and how many of each a working day brings, on average.
DAILY = {"flower-order": 1.5, "support-request": 0.9, "new-equipment": 0.3}


@contextmanager
def dated(at: datetime, *, running: bool = False) -> Iterator[None]:
    """Events created inside carry this time instead of now (running: the clock starts at
    this time and runs, so a software step's run takes as long as it really took)."""
    original = CanCreateTimestamp.__dict__["create_timestamp"]
    started = clock.monotonic()

    def moment() -> datetime:
        return at + timedelta(seconds=clock.monotonic() - started) if running else at

    CanCreateTimestamp.create_timestamp = staticmethod(moment)  # type: ignore[method-assign]
    try:
        yield
    finally:
        CanCreateTimestamp.create_timestamp = original  # type: ignore[method-assign]


def seed_demo_history(app: TicketFlower, sandbox: CodeRunner, today: date | None = None) -> int:
    """Submit and work the past weeks' tickets, their software steps run in the sandbox
    as the automation worker runs them; returns how many tickets were new."""
    today = today or datetime.now(UTC).date()
    data = {spec["type"]: spec["data"] for spec in json.loads(DEMO_STAGES.read_text())}
    new = 0
    for offset in range(WEEKS * 7, 0, -1):
        day = today - timedelta(days=offset)
        for type_key, rate in DAILY.items():
            # Seeded by the day and by the ticket: the same tickets and times on every run.
            arrivals = _arrivals(random.Random(f"{day}/{type_key}"),  # noqa: S311 - not secret
                                 rate if day.weekday() < 5 else rate / 5)  # fmt: skip
            for n in range(arrivals):
                key = f"history-{day.isoformat()}-{type_key}-{n}"
                rng = random.Random(key)  # noqa: S311 - demo times, not secrets
                at = datetime.combine(day, time(8), UTC) + timedelta(minutes=rng.uniform(0, 600))
                if at >= datetime.now(UTC):
                    continue  # never a ticket from the future
                spec = {"key": key, "type": type_key, "data": _data(data[type_key], rng),
                        "by": rng.choice(("sam", "audrey"))}  # fmt: skip
                with dated(at):
                    ticket, written = submit_demo_ticket(app, spec)
                if written.positions:
                    new += 1
                    _work(app, sandbox, ticket.id, at, cancel=rng.random() < 0.05, rng=rng)
    return new


def _data(staged: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A staged ticket's data with a customer and words of its own."""
    customer = rng.choice(CUSTOMERS)
    email = customer.lower().replace(" ", ".") + "@example.com"
    own = {"customer_name": customer, "customer_email": email, **TEXTS}
    return {name: own.get(name, value) for name, value in staged.items()}


def _arrivals(rng: random.Random, rate: float) -> int:
    """A Poisson count with this mean (few tickets a day: counting exponential gaps)."""
    count, waited = 0, rng.expovariate(1.0)
    while waited < rate:
        count, waited = count + 1, waited + rng.expovariate(1.0)
    return count


def _work(app: TicketFlower, sandbox: CodeRunner, ticket_id: Any, at: datetime, *,
          cancel: bool, rng: random.Random) -> None:  # fmt: skip
    """Claim and complete each task in turn while its times stay in the past (or cancel
    the ticket after its first task)."""
    now = datetime.now(UTC)
    while (current := app.get_ticket(ticket_id).current_task) is not None:
        # Minutes to a day or two before someone claims it (median ~1 h 20 min); the work
        # itself takes minutes (median ~20 min).
        waited = timedelta(minutes=rng.lognormvariate(4.4, 1.4))
        worked = timedelta(minutes=rng.lognormvariate(3.0, 0.9))
        person = _actor(app, rng.choices(TEAM, SHARES)[0])
        if at + waited + worked >= now:
            return  # still waiting
        if current.kind is TaskKind.SOFTWARE:  # the automation worker takes it at once
            at += timedelta(seconds=rng.uniform(1, 20))
            started = clock.monotonic()
            with dated(at, running=True):
                outcome = attempt(app, sandbox, Lease(ticket_id, current.position, 1))
            if outcome.kind != "done":
                log.warning("demo history: %s %s (%s)", current.key, outcome.kind, outcome.error)
                return
            at += timedelta(seconds=clock.monotonic() - started)
            continue
        if current.key not in OUTPUTS:
            log.warning("demo history: no outputs for %s", current.key)
            return
        on = {"ticket_id": ticket_id, "position": current.position}
        try:
            if cancel and current.position > 0:
                reason = "The customer changed their mind."
                with dated(at + waited):
                    app.handle(c.CancelTicket(ticket_id=ticket_id, actor=_actor(app, "dora"),
                                              reason=reason))  # fmt: skip
                return
            with dated(at + waited):
                app.handle(c.ClaimTask(**on, actor=person))
            with dated(at + waited + worked):
                app.handle(c.CompleteTask(**on, actor=person, outputs=OUTPUTS[current.key]))
        except DomainError as refused:  # a demo definition changed: leave the ticket open
            log.warning("demo history: %s refused (%s)", current.key, refused)
            return
        at += waited + worked


def _actor(app: TicketFlower, username: str) -> Actor:
    user = app.get_user(app.user_id_for(username))
    return Actor(user.id, frozenset(user.roles), user.username)
