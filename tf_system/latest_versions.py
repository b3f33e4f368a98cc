"""The LatestVersions port (tf_events.definitions.versions) over PostgreSQL: definitions'
newest version numbers, remembered while nothing changes them.

Every submission asks which versions are current (the API asks once more to read the
form's fields): two queries each time for numbers that change when a designer saves. The
recorder NOTIFYs a channel in the transaction that records a definition event, and tells
this process after its own commits (tf_events.recorder.Announcement); a LISTEN on that
channel forgets what was remembered. While that LISTEN is not connected (starting, the
database gone), nothing is remembered and every call asks PostgreSQL, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.postgres import PostgresDatastore

from tf_events.definitions.versions import LatestVersions
from tf_projections.listening import keep_listening
from tf_projections.read_model import EVENTS_TABLE

DEFINITIONS_CHANNEL = "tf_definitions"


def latest_versions_in(datastore: PostgresDatastore) -> LatestVersions:
    """Aggregates' newest versions from the primary key alone, without their events."""

    def latest(originator_ids: Sequence[UUID]) -> dict[UUID, int]:
        with datastore.get_connection() as conn:
            rows = conn.execute(
                f"SELECT originator_id AS id, max(originator_version) AS v FROM {EVENTS_TABLE}"  # noqa: S608
                " WHERE originator_id = ANY(%s) GROUP BY originator_id",
                (list(originator_ids),),
            ).fetchall()
        return {row["id"]: row["v"] for row in rows}

    return latest


class RememberedLatestVersions:
    """`read`'s answers, remembered until the definitions' channel says one changed."""

    def __init__(self, read: LatestVersions, database_url: str) -> None:
        self._read = read
        self._database_url = database_url
        self._lock = threading.Lock()
        self._known: dict[UUID, int] = {}
        # Bumped by every change heard and every (re)connection: an answer read under an
        # older generation may predate a change, and is not remembered.
        self._generation = 0
        self._listening = False
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, ids: Sequence[UUID]) -> dict[UUID, int]:
        self._ensure_started()
        with self._lock:
            if self._listening and all(i in self._known for i in ids):
                return {i: self._known[i] for i in ids}
            generation = self._generation
        found = self._read(ids)  # an id with no events yet is asked again next time
        with self._lock:
            if self._listening and generation == self._generation:
                self._known.update(found)
        return found

    def forget(self) -> None:
        """A definition changed: remember nothing read before now."""
        with self._lock:
            self._forget()

    def _forget(self) -> None:
        self._generation += 1
        self._known.clear()

    def close(self) -> None:
        # Not joined: the thread ends at its next wake-up (a second at most), and waiting
        # for it would hold up every process's (and every test's) shutdown.
        self._stopping.set()

    def _ensure_started(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._listen, name="definition-changes", daemon=True
                    )
                    self._thread.start()

    def _listen(self) -> None:
        keep_listening(
            self._database_url,
            [DEFINITIONS_CHANNEL],
            self._hear,
            self._stopping,
            who="the remembered definition versions",
            deaf=lambda: self._listening_now(False),
        )

    def _hear(self, conn: psycopg.Connection[Any]) -> None:
        self._listening_now(True)  # what changed while deaf is forgotten
        while not self._stopping.is_set():
            for _ in conn.notifies(timeout=1.0):
                self.forget()

    def _listening_now(self, listening: bool) -> None:
        with self._lock:
            self._listening = listening
            self._forget()
