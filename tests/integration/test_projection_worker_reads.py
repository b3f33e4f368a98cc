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
    ChangeRoles,
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


def test_a_read_model_whose_events_are_rare_is_not_woken_by_others_and_reads_only_its_own(
    system,
):
    recorder = CountingRecorder(system.app.recorder)
    worker = follow(system, UsersReadModel(system.app.mapper), recorder)
    try:
        written = system.app.handle(RegisterUser("ursula", "long enough password"))
        wait_for_positions(system.pool, {UsersReadModel: written.positions[-1][0]}, 5)
        reads_before = len(recorder.starts)
        system.app.handle(ImportDefinitionSet(definition_set(), by="dana"))
        for change in [ArchiveDefinition, RestoreDefinition] * 2:  # other models' events
            time.sleep(0.2)  # each commit on its own
            system.app.handle(change(Kind.TASK, "triage", by="dana"))
        time.sleep(0.5)
        assert len(recorder.starts) == reads_before, "not woken for the other commits"
        second = system.app.handle(RegisterUser("vera", "long enough password"))
        wait_for_positions(system.pool, {UsersReadModel: second.positions[-1][0]}, 5)
    finally:
        stopped(worker)
    # It reads from its own new event on, not back over the definitions' events.
    assert recorder.starts[-1] == second.positions[0][0] - 1, recorder.starts


class BatchCountingUsers(UsersReadModel):
    """Users, applied a little slowly, so that commits arrive while it applies."""

    min_read_interval = 1.5
    batches: list[int]

    def apply_batch(
        self, conn: Connection[Any], notifications: Sequence[Any], *, live: bool = True
    ) -> Applied:
        self.batches.append(len(notifications))
        time.sleep(0.05)
        return super().apply_batch(conn, notifications, live=live)


def test_a_model_nobody_waits_for_reads_at_once_when_idle_and_in_batches_when_busy(system):
    model = BatchCountingUsers(system.app.mapper)
    model.batches = []
    worker = follow(system, model)
    try:
        started = time.monotonic()
        first = system.app.handle(RegisterUser("first", "long enough password"))
        wait_for_positions(system.pool, {UsersReadModel: first.positions[-1][0]}, 5)
        assert time.monotonic() - started < 1.0, "an idle log is read at once"
        for i in range(40):  # a busy second: commits faster than the model applies them
            roles = ["auditor"] if i % 2 else ["ticket_team"]
            last = system.app.handle(ChangeRoles(first.aggregate_id, roles, changed_by="dana"))
            time.sleep(0.02)
        wait_for_positions(system.pool, {UsersReadModel: last.positions[-1][0]}, 10)
    finally:
        stopped(worker)
    assert len(model.batches) <= 5, model.batches  # read one by one, about twenty
