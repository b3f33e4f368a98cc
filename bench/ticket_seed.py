"""A million tickets as three years of real use would leave them, written to the event log.

Definitions: 50 ticket types over 12 workflows of 1 to 4 tasks (15 task definitions),
imported as a definition set. Tickets: created evenly over three years; the older a ticket,
the likelier it is closed (about 80% in all: most done, some cancelled or withdrawn); the
open ones wait on every task position, unassigned, claimed, assigned by a dispatcher, or
stopped with a problem. 200 team members do the work.

Every ticket is a real Ticket aggregate moved by its public methods (the rules apply), with
the event timestamps taken from a clock the bench sets, not from now. The events are
stored through the app's mapper and recorder in timestamp order across tickets, as a log
written over three years would hold them (a ticket's events interleave with others').
"""

from __future__ import annotations

import heapq
import math
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from eventsourcing.domain import CanCreateTimestamp
from eventsourcing.persistence import StoredEvent

from tf_events.application import TicketFlower
from tf_events.definitions.aggregate import Definition
from tf_events.definitions.format import Kind
from tf_events.definitions.software import task_kind
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.data_schema import validate_data
from tf_events.tickets.references import FIRST, PREFIX
from tf_events.tickets.submission import summary_of
from tf_events.tickets.workflow import Person
from tf_events.users import User

YEARS = 3
OPEN_FLOOR = 0.02  # even a three-year-old ticket is sometimes still open
OPEN_DECAY_DAYS = 200  # with the floor: about 20% open, mostly recent
CANCELLED, WITHDRAWN = 0.0875, 0.0375  # of the closed: the rest are done
COMMENTED = 0.05
VALIDATE_EVERY = 100  # validate_data costs ~120 µs; a sample proves the generated shape
STAFF, DISPATCHERS, SUBMITTERS = 200, 10, 2000
HOUR = 3600.0
# Mean delays in seconds between the steps of a ticket's life.
DELAYS = {
    "claim": 3 * HOUR,
    "assign": 4 * HOUR,
    "complete": 20 * HOUR,
    "fail": 6 * HOUR,
    "reopen": 10 * HOUR,
    "cancel": 48 * HOUR,
    "withdraw": 3 * HOUR,
    "comment": 8 * HOUR,
}

TASKS = (
    "triage", "approve", "quote", "order", "receive", "configure", "deliver", "schedule",
    "inspect", "repair", "verify", "invoice", "train", "review", "close-out",
)  # fmt: skip
WORKFLOW_TASKS = (
    ("triage",),
    ("triage", "approve"),
    ("triage", "order", "deliver"),
    ("quote", "approve", "order", "deliver"),
    ("schedule", "inspect", "repair"),
    ("triage", "configure"),
    ("review",),
    ("triage", "review", "approve"),
    ("inspect", "verify"),
    ("quote", "invoice"),
    ("schedule", "train", "verify", "close-out"),
    ("order", "receive"),
)
NOUNS = (
    "laptop", "access", "phone", "software", "desk", "chair", "badge", "parking", "travel",
    "training", "printer", "monitor", "headset", "vpn", "mailbox", "licence", "repair",
    "delivery", "refund", "invoice", "quote", "order", "return", "exchange", "warranty",
    "installation", "cleaning", "catering", "room", "event", "visitor", "locker", "key",
    "uniform", "vehicle", "fuel", "expense", "advance", "leave", "overtime", "contract",
    "supplier", "sample", "complaint", "inspection", "permit", "insurance", "translation",
    "photo", "website",
)  # fmt: skip
OPENERS = ("new", "broken", "replace", "upgrade", "missing", "slow", "urgent", "second")
TEAMS = ("finance", "sales", "support", "design", "warehouse", "legal", "marketing", "payroll")
FILLER = ("please", "since", "monday", "after", "update", "again", "cannot", "login", "office")
NAMES = ("ana", "bo", "cy", "dana", "eli", "fay", "gus", "hana", "ivo", "jo", "kai", "lea")
COMMON = ("new", "support", "please")  # in about 13%, 13% and 18% of tickets
RARE = ("zeppelin", "quokka", "marzipan", "tamarind", "gazebo", "nebula", "kumquat", "fjord")
RARE_RATE = 1 / 20_000  # about six tickets per rare word at a million
OUTCOMES = ["done", "partly", "not needed"]


def definitions() -> dict[str, Any]:
    """The definition set: each task fills one choice field, named after it."""
    tasks = [
        {
            "key": key,
            "name": key.replace("-", " ").capitalize(),
            "inputs": [{"name": "summary", "type": "text", "label": "Summary"}],
            "outputs": [_outcome(key)],
        }
        for key in TASKS
    ]
    workflows = [
        {
            "key": f"workflow-{i}",
            "name": f"Workflow {i}",
            "fields": [
                {"name": "summary", "type": "text", "label": "Summary", "required": True,
                 "max_length": 120},
                {"name": "details", "type": "long_text", "label": "Details"},
                *(_outcome(key) for key in keys),
            ],
            "tasks": list(keys),
        }
        for i, keys in enumerate(WORKFLOW_TASKS)
    ]  # fmt: skip
    types = [
        {
            "key": f"{noun}-request",
            "name": f"{noun.capitalize()} request",
            "workflow": f"workflow-{i % len(WORKFLOW_TASKS)}",
            "fields": ["summary", "details"],
        }
        for i, noun in enumerate(NOUNS)
    ]
    return {
        "format": "ticketflower.definition-set/1",
        "tasks": tasks,
        "workflows": workflows,
        "ticket_types": types,
    }


def _outcome(task_key: str) -> dict[str, Any]:
    name = f"{task_key.replace('-', '_')}_outcome"
    return {"name": name, "type": "choice", "label": "Outcome", "options": OUTCOMES}


@dataclass(frozen=True)
class Form:
    """What submit_ticket looks up for a ticket type, here once per type, not per ticket."""

    key: str
    noun: str
    name: str
    fields: list[dict[str, Any]]
    pins: dict[str, Any]  # ticket_type, workflow and tasks, as submit_ticket records them
    outputs: list[list[dict[str, Any]]]  # each task's output fields, in workflow order
    weight: float  # a few types are common, most are rare


def _pinned(definition: Definition) -> dict[str, Any]:
    return {
        "id": str(definition.id),
        "key": definition.key,
        "version": definition.version,
        "name": definition.content["name"],
    }


def forms(app: TicketFlower) -> list[Form]:
    made = []
    for rank, noun in enumerate(NOUNS):
        ticket_type, workflow, fields = app.ticket_form(f"{noun}-request", frozenset())
        tasks, outputs = [], []
        for task_key in workflow.content["tasks"]:
            task = app.find_definition(Kind.TASK, task_key)
            assert task is not None
            tasks.append(
                {
                    "key": task_key,
                    "definition_id": str(task.id),
                    "version": task.version,
                    "name": task.content["name"],
                    "roles": list(task.content.get("roles", [])),
                    "kind": task_kind(task.content).value,
                }
            )
            outputs.append(task.content["outputs"])
        pins = {"ticket_type": _pinned(ticket_type), "workflow": _pinned(workflow), "tasks": tasks}
        name = ticket_type.content["name"]
        made.append(Form(ticket_type.key, noun, name, fields, pins, outputs, 1 / (rank + 1)))
    return made


def people(prefix: str, count: int, rng: random.Random | None = None) -> list[dict[str, str]]:
    """Users, with the ids registered users of these names would have."""
    names = [f"{rng.choice(NAMES) if rng else prefix}.{i}" for i in range(count)]
    return [{"id": str(User.create_id(name)), "username": name} for name in names]


class Clock:
    """Where event timestamps come from while the bench writes history."""

    def __init__(self, at: datetime) -> None:
        self.at = at


@contextmanager
def event_clock(start: datetime) -> Iterator[Clock]:
    """Every event created inside takes the clock's time instead of now."""
    clock = Clock(start)
    original = CanCreateTimestamp.__dict__["create_timestamp"]
    CanCreateTimestamp.create_timestamp = staticmethod(lambda: clock.at)  # type: ignore[method-assign]
    try:
        yield clock
    finally:
        CanCreateTimestamp.create_timestamp = original  # type: ignore[method-assign]


@dataclass
class Population:
    submitters: list[dict[str, str]]
    staff: list[dict[str, str]]
    dispatchers: list[dict[str, str]]


class History:
    """Tickets one by one in order of creation, each moved through its life at once; their
    events come out in timestamp order across tickets."""

    def __init__(
        self, app: TicketFlower, rng: random.Random, forms: list[Form], who: Population,
        count: int, now: datetime, spacing: int = 1,
    ) -> None:  # fmt: skip
        self.app, self.rng, self.forms, self.who = app, rng, forms, who
        self.count, self.now = count, now
        self.spacing = spacing  # reference numbers left free after each ticket
        self.start = now - timedelta(days=365 * YEARS)
        self.weights = [form.weight for form in forms]
        self.tickets = 0

    def events(self) -> Iterator[StoredEvent]:
        pending: list[tuple[datetime, int, StoredEvent]] = []
        span = (self.now - self.start).total_seconds() * 0.999
        sequence = 0
        with event_clock(self.start) as clock:
            for i in range(self.count):
                created = self.start + timedelta(
                    seconds=span * (i + self.rng.random()) / self.count
                )
                while pending and pending[0][0] <= created:
                    yield heapq.heappop(pending)[2]
                for event in self._ticket(
                    clock, FIRST + i * self.spacing, created
                ).collect_events():
                    sequence += 1
                    stored = self.app.mapper.to_stored_event(event)
                    heapq.heappush(pending, (event.timestamp, sequence, stored))
                self.tickets += 1
        while pending:
            yield heapq.heappop(pending)[2]

    def _ticket(self, clock: Clock, number: int, created: datetime) -> Ticket:
        rng, form = self.rng, self.rng.choices(self.forms, self.weights)[0]
        submitter = rng.choice(self.who.submitters)
        data = self._data(form)
        if number % VALIDATE_EVERY == 0:
            clean, errors = validate_data(form.fields, data)
            assert clean == data, errors
        clock.at = created
        ticket = Ticket.submit(
            submission_key=f"bench:{submitter['id']}:{uuid.uuid4()}",
            reference=f"{PREFIX}{number}",
            data=data,
            submitter=Person.of(submitter),
            summary=summary_of(form.fields, data, form.name),
            channel="bench",
            **form.pins,
        )
        steps = self._plan(len(form.outputs), created)
        for at, (action, position) in zip(self._times(created, steps), steps, strict=True):
            clock.at = at
            self._do(ticket, form, submitter, action, position)
        return ticket

    def _plan(self, tasks: int, created: datetime) -> list[tuple[str, int]]:
        """What happens to a ticket: (action, task position) in order."""
        rng = self.rng
        age_days = (self.now - created).total_seconds() / 86400
        steps: list[tuple[str, int]] = []
        if rng.random() < OPEN_FLOOR + (1 - OPEN_FLOOR) * math.exp(-age_days / OPEN_DECAY_DAYS):
            at = rng.randrange(tasks)  # still open, waiting on any of its tasks
            for position in range(at):
                steps += self._work(position)
            state = rng.random()
            if state < 0.25:
                steps.append(("claim", at))
            elif state < 0.5:
                steps.append(("assign", at))
            elif state < 0.6:
                steps += [("claim", at), ("fail", at)]
            # else: pending assignment
        else:
            fate = rng.random()
            if fate < WITHDRAWN:
                steps.append(("withdraw", 0))
            elif fate < WITHDRAWN + CANCELLED:
                at = rng.randrange(tasks)
                for position in range(at):
                    steps += self._work(position)
                steps.append(("cancel", at))
            else:
                for position in range(tasks):
                    steps += self._work(position)
        if rng.random() < COMMENTED:
            steps.insert(rng.randrange(len(steps) + 1), ("comment", 0))
        return steps

    def _work(self, position: int) -> list[tuple[str, int]]:
        rng = self.rng
        take = ("claim" if rng.random() < 0.7 else "assign", position)
        steps = [take]
        if rng.random() < 0.05:  # a problem, reopened by a dispatcher, taken again
            steps += [("fail", position), ("reopen", position), ("claim", position)]
        return [*steps, ("complete", position)]

    def _times(self, created: datetime, steps: list[tuple[str, int]]) -> list[datetime]:
        """When each step happens: random delays, squeezed to end before now."""
        delays = [1 + self.rng.expovariate(1 / DELAYS[action]) for action, _ in steps]
        room = (self.now - created).total_seconds()
        total = sum(delays)
        if total > room:
            scale = room * self.rng.uniform(0.3, 0.95) / total
            delays = [max(d * scale, 0.001) for d in delays]
        times, at = [], created
        for delay in delays:
            at += timedelta(seconds=delay)
            times.append(at)
        return times

    def _do(
        self, ticket: Ticket, form: Form, submitter: dict[str, str], action: str, position: int
    ) -> None:
        rng, who = self.rng, self.who
        task = ticket.tasks[position]
        if action == "claim":
            ticket.claim_task(position, Person.of(rng.choice(who.staff)))
        elif action == "assign":
            to, by = rng.choice(who.staff), rng.choice(who.dispatchers)
            ticket.assign_task(position, Person.of(to), Person.of(by))
        elif action == "complete":
            assert task.assignee is not None
            ticket.complete_task(position, self._outputs(form, position), task.assignee)
        elif action == "fail":
            assert task.assignee is not None
            ticket.fail_task(position, "waiting for a part", task.assignee)
        elif action == "reopen":
            ticket.reopen_task(position, Person.of(rng.choice(who.dispatchers)))
        elif action == "cancel":
            ticket.cancel("no longer needed", Person.of(rng.choice(who.dispatchers)))
        elif action == "withdraw":
            ticket.withdraw(Person.of(submitter))
        elif action == "comment":
            by = submitter if rng.random() < 0.5 else rng.choice(who.staff)
            text = " ".join(rng.sample(FILLER, 4))
            ticket.add_comment(by=Person.of(by), text=text, key=f"{by['id']}:{uuid.uuid4()}")

    def _outputs(self, form: Form, position: int) -> dict[str, Any]:
        specs = form.outputs[position]
        outputs = {spec["name"]: self.rng.choice(spec["options"]) for spec in specs}
        if self.rng.random() < 1 / VALIDATE_EVERY:
            clean, errors = validate_data(specs, outputs)
            assert clean == outputs, errors
        return outputs

    def _data(self, form: Form) -> dict[str, str]:
        rng = self.rng
        words = [rng.choice(OPENERS), form.noun, "for", rng.choice(TEAMS)]
        if rng.random() < 0.3:
            words.append(rng.choice(FILLER))
        if rng.random() < RARE_RATE:
            words.append(rng.choice(RARE))
        data = {"summary": " ".join(words)}
        if rng.random() < 0.3:
            data["details"] = " ".join(rng.choices(FILLER + TEAMS, k=rng.randint(5, 30)))
        return data
