"""A small ticket history with chosen times, for checking the reports by hand.

Every figure the reports tests expect is worked out in the comments below from these
times, not from the code under test. The range is 2026-11-01 … 2026-11-07; the one
before it 2026-10-25 … 2026-10-31.

    G flower-order  created Oct 30 10:00, still waiting on Prepare
    H repair        created Oct 31 09:00, cancelled Nov 1 10:00
    A flower-order  created Nov 2 09:00; tess claims Prepare 09:30, done 10:30;
                    ravi claims Deliver 12:30, done 13:00: closed after 4 h
    B flower-order  created Nov 3 08:00; Prepare assigned to ravi 09:00, done 09:20;
                    tess claims Deliver 09:30, releases 09:40, claims 11:20, done 12:20:
                    closed after 4 h 20 min
    C flower-order  created Nov 4 10:00, withdrawn 11:00
    D flower-order  created Nov 5 10:00; tess claims Prepare 10:15 (still working)
    E repair        created Nov 5 12:00; automation claims Diagnose 12:01, fails 12:03;
                    reopened 13:00; automation claims 13:05, done 13:06; Fix waits
    F repair        created Nov 6 09:00; automation claims Diagnose 09:00:30, fails
                    09:01:30 (still in ERROR)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from eventsourcing.domain import CanCreateTimestamp

from tf_events.application import TicketFlower
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.workflow import Person
from tf_events.users import User

START, END = date(2026, 11, 1), date(2026, 11, 7)


def person(username: str) -> Person:
    return Person(User.create_id(username), username)


SAM, TESS, RAVI, DISPATCH, ROBOT = map(person, ("sam", "tess", "ravi", "dora", "automation"))

TYPES = {
    "flower-order": ("Flower order", "orders", [("prepare", "Prepare", "human"),
                                                ("deliver", "Deliver", "human")]),
    "repair": ("Repair", "repairs", [("diagnose", "Diagnose", "software"),
                                     ("fix", "Fix", "human")]),
}  # fmt: skip


@contextmanager
def clock(at: datetime) -> Iterator[None]:
    """Events created inside take this time instead of now."""
    original = CanCreateTimestamp.__dict__["create_timestamp"]
    CanCreateTimestamp.create_timestamp = staticmethod(lambda: at)  # type: ignore[method-assign]
    try:
        yield
    finally:
        CanCreateTimestamp.create_timestamp = original  # type: ignore[method-assign]


def t(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


def submit(type_key: str, reference: str, at: datetime) -> Ticket:
    name, workflow, tasks = TYPES[type_key]
    with clock(at):
        return Ticket.submit(
            submission_key=reference,
            reference=reference,
            ticket_type={"id": str(uuid.uuid4()), "key": type_key, "version": 1, "name": name},
            workflow={"id": str(uuid.uuid4()), "key": workflow, "version": 1, "name": workflow},
            tasks=[
                {
                    "key": key,
                    "definition_id": str(uuid.uuid4()),
                    "version": 1,
                    "name": title,
                    "roles": [],
                    "kind": kind,
                }
                for key, title, kind in tasks
            ],
            data={},
            submitter=SAM,
            summary=f"{name} {reference}",
            channel="web",
        )


def history() -> list[Ticket]:
    g = submit("flower-order", "TF-2001", t(10, 30, 10))
    h = submit("repair", "TF-2002", t(10, 31, 9))
    with clock(t(11, 1, 10)):
        h.cancel("Duplicate", DISPATCH)

    a = submit("flower-order", "TF-2003", t(11, 2, 9))
    with clock(t(11, 2, 9, 30)):
        a.claim_task(0, TESS)
    with clock(t(11, 2, 10, 30)):
        a.complete_task(0, {}, TESS)
    with clock(t(11, 2, 12, 30)):
        a.claim_task(1, RAVI)
    with clock(t(11, 2, 13)):
        a.complete_task(1, {}, RAVI)

    b = submit("flower-order", "TF-2004", t(11, 3, 8))
    with clock(t(11, 3, 9)):
        b.assign_task(0, RAVI, DISPATCH)
    with clock(t(11, 3, 9, 20)):
        b.complete_task(0, {}, RAVI)
    with clock(t(11, 3, 9, 30)):
        b.claim_task(1, TESS)
    with clock(t(11, 3, 9, 40)):
        b.release_task(1, TESS, "Lunch")
    with clock(t(11, 3, 11, 20)):
        b.claim_task(1, TESS)
    with clock(t(11, 3, 12, 20)):
        b.complete_task(1, {}, TESS)

    c = submit("flower-order", "TF-2005", t(11, 4, 10))
    with clock(t(11, 4, 11)):
        c.withdraw(SAM)

    d = submit("flower-order", "TF-2006", t(11, 5, 10))
    with clock(t(11, 5, 10, 15)):
        d.claim_task(0, TESS)

    e = submit("repair", "TF-2007", t(11, 5, 12))
    with clock(t(11, 5, 12, 1)):
        e.claim_task(0, ROBOT)
    with clock(t(11, 5, 12, 3)):
        e.fail_task(0, "Timed out", ROBOT)
    with clock(t(11, 5, 13)):
        e.reopen_task(0, DISPATCH)
    with clock(t(11, 5, 13, 5)):
        e.claim_task(0, ROBOT)
    with clock(t(11, 5, 13, 6)):
        e.complete_task(0, {}, ROBOT)

    f = submit("repair", "TF-2008", t(11, 6, 9))
    with clock(t(11, 6, 9, 0, 30)):
        f.claim_task(0, ROBOT)
    with clock(t(11, 6, 9, 1, 30)):
        f.fail_task(0, "Crashed", ROBOT)
    return [g, h, a, b, c, d, e, f]


def record_history(app: TicketFlower) -> int:
    """Save the history's tickets; returns the last position in the log."""
    recordings = app.save(*history())
    return max(r.notification.id for r in recordings)
