"""Which software tasks are due: one `automation_runs` row per software task, kept from the
log exactly once (the row and the tracking position change in one transaction).

It is a ReadModel by mechanism only: it is not in the registry, so `projections rebuild`
never replays it — a replay would run tasks again.
"""

from __future__ import annotations

from typing import Any, ClassVar

from psycopg import Cursor

from tf_events.definitions.software import TaskKind
from tf_events.tickets.aggregate import Ticket
from tf_projections.read_model import SCHEMA_DIR, ReadModel, handles

AUTOMATION_USERNAME = "automation"


class AutomationFollower(ReadModel):
    name = "automation"
    schema_file = "automation.sql"
    tables: ClassVar[tuple[str, ...]] = ("automation_runs", "automation_attempts")

    @classmethod
    def schema_sql(cls) -> str:
        return (SCHEMA_DIR / cls.schema_file).read_text()

    @handles(Ticket.Submitted)
    def submitted(self, cur: Cursor[Any], event: Any) -> None:
        rows = [
            (
                event.originator_id,
                position,
                event.reference,
                task["name"],
                "queued" if task["status"] == "OPEN" else "waiting",
                event.timestamp,
            )
            for position, task in enumerate(event.tasks)
            if task["kind"] == TaskKind.SOFTWARE
        ]
        if rows:
            cur.executemany(
                "INSERT INTO automation_runs"
                " (ticket_id, position, reference, task_name, status, due_at)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                rows,
            )

    @handles(Ticket.TaskCompleted)
    def completed(self, cur: Cursor[Any], event: Any) -> None:
        self._set(cur, event, event.position, "done", only=("queued", "running"))
        if event.opens is not None:
            self._queue(cur, event, event.opens, only=("waiting",))

    @handles(Ticket.TaskReopened)
    def reopened(self, cur: Cursor[Any], event: Any) -> None:
        # A person asks for another go: the attempts start again from zero.
        self._queue(cur, event, event.position, only=("failed", "skipped"))

    @handles(Ticket.TaskAssigned)
    def assigned(self, cur: Cursor[Any], event: Any) -> None:
        if event.to["username"] != AUTOMATION_USERNAME:  # a person takes it over by hand
            self._set(cur, event, event.position, "skipped", only=("queued", "failed"))

    @handles(Ticket.ClosedEarly)
    def closed_early(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "UPDATE automation_runs SET status = 'skipped', updated_at = %s"
            " WHERE ticket_id = %s AND status IN ('waiting', 'queued')",
            (event.timestamp, event.originator_id),
        )

    @staticmethod
    def _queue(cur: Cursor[Any], event: Any, position: int, only: tuple[str, ...]) -> None:
        cur.execute(
            "UPDATE automation_runs SET status = 'queued', attempts = 0, due_at = %s,"
            " updated_at = %s WHERE ticket_id = %s AND position = %s AND status = ANY(%s)",
            (event.timestamp, event.timestamp, event.originator_id, position, list(only)),
        )

    @staticmethod
    def _set(
        cur: Cursor[Any], event: Any, position: int, status: str, only: tuple[str, ...]
    ) -> None:
        cur.execute(
            "UPDATE automation_runs SET status = %s, updated_at = %s"
            " WHERE ticket_id = %s AND position = %s AND status = ANY(%s)",
            (status, event.timestamp, event.originator_id, position, list(only)),
        )
