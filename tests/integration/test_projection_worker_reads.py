"""How a projection worker reads the log: never again over what it has read, and, for a
read model nobody waits for, in a few large batches while the log is busy."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from psycopg import Connection

from tests.samples import definition_set
from tf_events.commands import (
    ArchiveDefinition,
    ImportDefinitionSet,
    RegisterUser,
    RestoreDefinition,
)
from tf_events.definitions.format import Kind
from tf_projections.read_model import Applied
from tf_projections.users import UsersReadModel
from tf_projections.waiting import wait_for_positions
from tf_projections.worker import ProjectionWorker


class CountingRecorder:
    """The real recorder, noting where each read of the log starts."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.starts: list[int] = []

    def select_notifications(self, start: int, *args: Any, **kwargs: Any) -> Any:
        self.starts.append(start)
        return self.recorder.select_notifications(start, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.recorder, name)


def follow(system, model, recorder=None) -> ProjectionWorker:
    return ProjectionWorker(
        model, recorder or system.app.recorder, system.pool, system.database_url
    ).start()


def stopped(worker: ProjectionWorker) -> None:
    worker.stop()
    worker.join(timeout=10)


def test_a_read_model_whose_events_are_rare_does_not_read_the_same_stretch_of_log_twice(system):
    recorder = CountingRecorder(system.app.recorder)
    worker = follow(system, UsersReadModel(system.app.mapper), recorder)
    try:
        written = system.app.handle(RegisterUser("ursula", "long enough password"))
        users_last = written.positions[-1][0]
        wait_for_positions(system.pool, {UsersReadModel: users_last}, 5)
        system.app.handle(ImportDefinitionSet(definition_set(), by="dana"))
        for change in [ArchiveDefinition, RestoreDefinition] * 2:  # other models' events
            time.sleep(0.3)  # each commit its own wake
            system.app.handle(change(Kind.TASK, "triage", by="dana"))
    finally:
        stopped(worker)
    assert len(recorder.starts) >= 5, "the worker woke for the other commits"
    # Each read starts where the last one ended, not back at the users' last event.
    assert recorder.starts.count(users_last) == 1, recorder.starts
    assert recorder.starts == sorted(set(recorder.starts)), recorder.starts


class BatchCountingUsers(UsersReadModel):
    min_read_interval = 3.0
    batches: list[int]

    def apply_batch(
        self, conn: Connection[Any], notifications: Sequence[Any], *, live: bool = True
    ) -> Applied:
        self.batches.append(len(notifications))
        return super().apply_batch(conn, notifications, live=live)


def test_a_model_nobody_waits_for_reads_at_once_when_idle_and_in_batches_when_busy(system):
    model = BatchCountingUsers(system.app.mapper)
    model.batches = []
    worker = follow(system, model)
    try:
        started = time.monotonic()
        first = system.app.handle(RegisterUser("first", "long enough password"))
        wait_for_positions(system.pool, {UsersReadModel: first.positions[-1][0]}, 5)
        assert time.monotonic() - started < 2.0, "an idle log is read at once"
        for i in range(10):  # a burst: ten commits
            last = system.app.handle(RegisterUser(f"busy{i}", "long enough password"))
        wait_for_positions(system.pool, {UsersReadModel: last.positions[-1][0]}, 10)
    finally:
        stopped(worker)
    assert sum(model.batches) == 11
    assert len(model.batches) <= 3, model.batches
