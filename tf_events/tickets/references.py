"""Short, human-friendly ticket references (TF-1042), from a PostgreSQL sequence.

The number is recorded in the ticket's event, which stays the source of truth; the
sequence only hands out numbers (a failed submission leaves a gap, as sequences do)."""

from __future__ import annotations

import itertools
from typing import Protocol

from eventsourcing.postgres import PostgresDatastore

PREFIX = "TF-"
FIRST = 1001
SEQUENCE_SQL = f"CREATE SEQUENCE IF NOT EXISTS ticket_reference_seq START {FIRST}"


class References(Protocol):
    def next(self) -> str: ...


class SequenceReferences:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore

    def next(self) -> str:
        with self.datastore.get_connection() as conn:
            row = conn.execute("SELECT nextval('ticket_reference_seq') AS n").fetchone()
        assert row is not None
        return f"{PREFIX}{row['n']}"


class CountingReferences:
    """For the in-memory event store of the unit tests."""

    def __init__(self) -> None:
        self._numbers = itertools.count(FIRST)

    def next(self) -> str:
        return f"{PREFIX}{next(self._numbers)}"
