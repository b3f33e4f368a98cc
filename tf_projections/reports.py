"""The reports' read tables: one row per ticket (its current task, for the backlog), per
task completion (the completed actions) and per software run, and the pre-aggregated
counts and duration histograms every figure over a range is read from
(report_aggregates.py, report_grains.py).

Every statement works out its figures inside PostgreSQL from the ticket's row (its type,
pinned tasks, and when its current task opened and was claimed), so no handler reads a
result and the whole batch is pipelined. Nobody's write waits for this read model
(`waits_for_writes`): reports may trail the log by a moment.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from psycopg import Connection, Cursor
from psycopg.types.json import Jsonb

from tf_events.tickets.aggregate import Ticket
from tf_projections.read_model import ReadModel, handles
from tf_projections.report_aggregates import (
    CLOSED,
    COMPLETED,
    CREATED,
    FAILED,
    RESOLUTION,
    RUNS,
    TASK_TIMES,
)

# The automation worker signs its runs with this username (tf_processes.automation).
AUTOMATION_USERNAME = "automation"

# The facts a batch added, aggregated once at its end (grouped): a burst of events adds a
# few rows per day and scope instead of a dozen per event.
_THESE_TICKETS = "t.ticket_id = ANY(%(tickets)s)"
_THESE_EVENTS = (
    "(t.ticket_id, t.version) IN"
    " (SELECT * FROM unnest(%(tickets)s::uuid[], %(versions)s::integer[]))"
)
_ON_SUBMITTED = (CREATED.sql(_THESE_TICKETS, grouped=True),)
_ON_CLOSED = (
    CLOSED.sql(_THESE_TICKETS, grouped=True),
    RESOLUTION.sql(_THESE_TICKETS, grouped=True),
)
_ON_COMPLETED = (
    COMPLETED.sql(_THESE_EVENTS, grouped=True),
    TASK_TIMES.sql(_THESE_EVENTS, grouped=True),
)
_ON_RUN = (RUNS.sql(_THESE_EVENTS, grouped=True), FAILED.sql(_THESE_EVENTS, grouped=True))
_RECORD_RUN = (
    "INSERT INTO report_software_runs (ticket_id, version, position, finished_at,"
    " ticket_type_key, workflow_key, task_key, task_name, failed, seconds)"
    " SELECT ticket_id, %(version)s, %(position)s, %(at)s::timestamptz, ticket_type_key,"
    "  workflow_key,"
    "  tasks->%(position)s::int->>'key', tasks->%(position)s::int->>'name', %(failed)s,"
    "  extract(epoch FROM %(at)s::timestamptz - current_claimed_at)"
    " FROM report_tickets WHERE ticket_id = %(ticket)s"
    "  AND tasks->%(position)s::int->>'kind' = 'software'"
)
_RECORD_COMPLETION = (
    "INSERT INTO report_completions (ticket_id, version, position, completed_at, reference,"
    " ticket_type_key, workflow_key, task_key, task_name, kind, by_id, by_username,"
    " opened_at, claimed_at, wait_seconds, work_seconds)"
    " SELECT ticket_id, %(version)s, %(position)s, %(at)s::timestamptz, reference, ticket_type_key,"
    "  workflow_key, tasks->%(position)s::int->>'key', tasks->%(position)s::int->>'name',"
    "  tasks->%(position)s::int->>'kind', %(by_id)s, %(by)s, current_opened_at,"
    "  current_claimed_at, extract(epoch FROM current_claimed_at - current_opened_at),"
    "  extract(epoch FROM %(at)s::timestamptz - current_claimed_at)"
    " FROM report_tickets WHERE ticket_id = %(ticket)s"
)


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


@dataclass
class _BatchFacts:
    """What this batch's handlers recorded, for the aggregates to add at its end."""

    submitted: list[UUID] = field(default_factory=list)
    closed: list[UUID] = field(default_factory=list)
    completed: list[tuple[UUID, int]] = field(default_factory=list)
    runs: list[tuple[UUID, int]] = field(default_factory=list)

    def statements(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for statements, tickets in ((_ON_SUBMITTED, self.submitted), (_ON_CLOSED, self.closed)):
            if tickets:
                yield from ((sql, {"tickets": tickets}) for sql in statements)
        for statements, events in ((_ON_COMPLETED, self.completed), (_ON_RUN, self.runs)):
            if events:
                params = {"tickets": [e[0] for e in events], "versions": [e[1] for e in events]}
                yield from ((sql, params) for sql in statements)


class ReportsReadModel(ReadModel):
    name = "reports"
    schema_file = "reports.sql"
    tables = (
        "report_tickets",
        "report_tallies",
        "report_durations",
        "report_completions",
        "report_software_runs",
        "report_types",
    )
    waits_for_writes = False
    min_read_interval = 1.0

    def apply_events(
        self, conn: Connection[Any], cur: Cursor[Any], events: Sequence[tuple[str, Any]]
    ) -> None:
        """The handlers write the per-ticket rows; the batch's facts are then added to the
        pre-aggregated rows in one statement per aggregate (they read the rows as the
        batch left them, and each fact's row is final once written)."""
        self._facts_of_batch = _BatchFacts()
        with conn.pipeline():
            for attr, event in events:
                getattr(self, attr)(cur, event)
            for statement, params in self._facts_of_batch.statements():
                cur.execute(statement, params)

    @handles(Ticket.Submitted)
    def submitted(self, cur: Cursor[Any], event: Any) -> None:
        tasks = [{"key": t["key"], "name": t["name"], "kind": t["kind"]} for t in event.tasks]
        current = next((i for i, t in enumerate(event.tasks) if t["status"] == "OPEN"), None)
        cur.execute(
            "INSERT INTO report_tickets (ticket_id, reference, ticket_type_key,"
            " ticket_type_name, workflow_key, tasks, created_at, current_position,"
            " current_task, current_status, current_opened_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.reference,
                event.ticket_type["key"],
                event.ticket_type["name"],
                event.workflow["key"],
                Jsonb(tasks),
                event.timestamp,
                current,
                None if current is None else tasks[current]["name"],
                None if current is None else "OPEN",
                None if current is None else event.timestamp,
            ),
        )
        self._facts_of_batch.submitted.append(event.originator_id)
        cur.execute(
            "INSERT INTO report_types AS t (ticket_type_key, workflow_key, ticket_type_name,"
            " workflow_name) VALUES (%s, %s, %s, %s) ON CONFLICT (ticket_type_key, workflow_key)"
            " DO UPDATE SET ticket_type_name = EXCLUDED.ticket_type_name,"
            " workflow_name = EXCLUDED.workflow_name"
            " WHERE (t.ticket_type_name, t.workflow_name)"
            " IS DISTINCT FROM (EXCLUDED.ticket_type_name, EXCLUDED.workflow_name)",
            (
                event.ticket_type["key"],
                event.workflow["key"],
                event.ticket_type["name"],
                event.workflow["name"],
            ),
        )

    @handles(Ticket.TaskClaimed)
    def claimed(self, cur: Cursor[Any], event: Any) -> None:
        self._current(cur, event, assignee=event.by["username"], claimed_at=event.timestamp)

    @handles(Ticket.TaskAssigned)
    def assigned(self, cur: Cursor[Any], event: Any) -> None:
        self._current(
            cur, event, status="OPEN", assignee=event.to["username"], claimed_at=event.timestamp
        )

    @handles(Ticket.TaskReleased)
    def released(self, cur: Cursor[Any], event: Any) -> None:
        self._current(cur, event, assignee=None, claimed_at=None)

    @handles(Ticket.TaskReopened)
    def reopened(self, cur: Cursor[Any], event: Any) -> None:
        self._current(cur, event, status="OPEN", assignee=None, claimed_at=None)

    @handles(Ticket.TaskFailed)
    def failed(self, cur: Cursor[Any], event: Any) -> None:
        if event.by["username"] == AUTOMATION_USERNAME:
            self._record_run(cur, self._facts(event, failed=True))
        self._current(cur, event, status="ERROR")

    @handles(Ticket.TaskCompleted)
    def completed(self, cur: Cursor[Any], event: Any) -> None:
        facts = self._facts(event, failed=False)
        cur.execute(_RECORD_COMPLETION, facts)
        self._facts_of_batch.completed.append((event.originator_id, event.originator_version))
        if event.by["username"] == AUTOMATION_USERNAME:
            self._record_run(cur, facts)
        if event.opens is not None:
            cur.execute(
                "UPDATE report_tickets SET current_position = %(opens)s,"
                " current_task = tasks->%(opens)s::int->>'name', current_status = 'OPEN',"
                " current_assignee = NULL, current_opened_at = %(at)s,"
                " current_claimed_at = NULL WHERE ticket_id = %(ticket)s",
                {"opens": event.opens, "at": event.timestamp, "ticket": event.originator_id},
            )
        if event.status == "COMPLETED":
            self._closed(cur, event, "done")

    @handles(Ticket.ClosedEarly)
    def closed_early(self, cur: Cursor[Any], event: Any) -> None:
        self._closed(cur, event, event.resolution)

    # -- helpers ---------------------------------------------------------------------

    @staticmethod
    def _facts(event: Any, *, failed: bool) -> dict[str, Any]:
        return {
            "ticket": event.originator_id,
            "version": event.originator_version,
            "position": event.position,
            "at": event.timestamp,
            "by_id": event.by["id"],
            "by": event.by["username"],
            "failed": failed,
        }

    def _record_run(self, cur: Cursor[Any], facts: dict[str, Any]) -> None:
        cur.execute(_RECORD_RUN, facts)
        self._facts_of_batch.runs.append((facts["ticket"], facts["version"]))

    @staticmethod
    def _current(cur: Cursor[Any], event: Any, **changes: Any) -> None:
        assignments = ", ".join(f"current_{column} = %s" for column in changes)
        cur.execute(
            f"UPDATE report_tickets SET {assignments}"  # noqa: S608 - column names are ours
            " WHERE ticket_id = %s",
            (*changes.values(), event.originator_id),
        )

    def _closed(self, cur: Cursor[Any], event: Any, resolution: str) -> None:
        cur.execute(
            "UPDATE report_tickets SET closed_at = %(at)s, resolution = %(resolution)s,"
            " resolution_seconds = CASE WHEN %(resolution)s::text = 'done'"
            "  THEN extract(epoch FROM %(at)s::timestamptz - created_at) END,"
            " current_position = NULL, current_task = NULL, current_status = NULL,"
            " current_assignee = NULL, current_opened_at = NULL, current_claimed_at = NULL"
            " WHERE ticket_id = %(ticket)s",
            {"at": event.timestamp, "resolution": resolution, "ticket": event.originator_id},
        )
        self._facts_of_batch.closed.append(event.originator_id)
