"""Runners: lease a due software task, run its code in the sandbox, and report the result
through the same commands a person uses (claim, complete, report a problem).

A run is at least once: a runner that dies mid-run loses its lease and another runs the
task again. The ticket still moves on once: the completion carries a key per attempt and
the aggregate refuses a task that is no longer open.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from tf_events import commands as c
from tf_events.application import TicketFlower
from tf_events.definitions.software import LIMITS
from tf_events.errors import DomainError, Refusal
from tf_events.policy import AUTOMATION_ROLE, Actor
from tf_events.tickets.submission import TicketDataInvalid
from tf_events.tickets.workflow import TaskStatus
from tf_events.users import User
from tf_processes.automation.follower import AUTOMATION_USERNAME

log = logging.getLogger(__name__)

# A lease outlives the longest wall limit a task may have, then another runner may retry.
LEASE_SECONDS = LIMITS["wall_seconds"][2] + 30
IDLE_SECONDS = 0.5
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class SandboxResult:
    outputs: dict[str, Any] | None  # None: the run failed, `error` says why
    error: str = ""
    detail: str = ""  # the traceback's last lines, the stderr tail
    seconds: float = 0.0


class Sandbox(Protocol):
    def run(
        self, code: str, inputs: Mapping[str, Any], limits: Mapping[str, float]
    ) -> SandboxResult: ...


AUTOMATION = Actor(
    User.create_id(AUTOMATION_USERNAME), frozenset({AUTOMATION_ROLE}), AUTOMATION_USERNAME
)


@dataclass(frozen=True)
class Lease:
    ticket_id: uuid.UUID
    position: int
    attempts: int  # counting this one


@dataclass(frozen=True)
class Outcome:
    kind: str  # done, failed, skipped
    error: str = ""
    detail: str = ""
    seconds: float = 0.0


class Runner:
    """One runner thread; run several for concurrency, on as many machines as wanted."""

    def __init__(self, app: TicketFlower, pool: ConnectionPool, sandbox: Sandbox) -> None:
        self.app, self.pool, self.sandbox = app, pool, sandbox
        self.name = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name=f"automation-{self.name}")

    def start(self) -> Runner:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()

    def join(self, timeout: float | None = None) -> None:
        self.thread.join(timeout)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                if not self.run_one():
                    self._stopping.wait(IDLE_SECONDS)
            except Exception:
                log.exception("automation runner %s failed; going on", self.name)
                self._stopping.wait(IDLE_SECONDS)

    # -- one run ---------------------------------------------------------------------

    def run_one(self) -> bool:
        """Lease the most overdue run and do it; False when nothing is due."""
        lease = self._lease()
        if lease is None:
            return False
        started = datetime.now(UTC)
        outcome = self._attempt(lease)
        self._record(lease, started, outcome)
        return True

    def _lease(self) -> Lease | None:
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute(
                "UPDATE automation_runs r SET status = 'running', attempts = r.attempts + 1,"
                " runner = %s, lease_until = now() + make_interval(secs => %s), updated_at = now()"
                " WHERE (ticket_id, position) = ("
                "   SELECT ticket_id, position FROM automation_runs"
                "   WHERE status IN ('queued', 'running')"
                "     AND coalesce(lease_until, due_at) <= now() AND due_at <= now()"
                "   ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED"
                " ) RETURNING ticket_id, position, attempts",
                (self.name, LEASE_SECONDS),
            ).fetchone()
        return Lease(row["ticket_id"], row["position"], row["attempts"]) if row else None

    def _attempt(self, lease: Lease) -> Outcome:
        ticket = self.app.get_ticket(lease.ticket_id)
        task = ticket.tasks[lease.position]
        if ticket.is_closed or task.status is not TaskStatus.OPEN:
            return Outcome("skipped", f"'{task.name}' is no longer open.")
        if task.assignee is not None and task.assignee.id != AUTOMATION.id:
            return Outcome("skipped", f"{task.assignee.username} has taken '{task.name}' over.")
        definition = self.app.definitions.at_id(task.definition_id, task.version)
        if definition is None:
            return Outcome("failed", f"The definition of '{task.name}' is missing.")
        content = definition.content
        act = {"ticket_id": lease.ticket_id, "position": lease.position, "actor": AUTOMATION}
        try:
            if task.assignee is None:
                self.app.handle(c.ClaimTask(**act))
            inputs = {
                spec["name"]: ticket.data[spec["name"]]
                for spec in content.get("inputs", [])
                if spec["name"] in ticket.data
            }
            result = self.sandbox.run(content["code"], inputs, content["limits"])
            if result.outputs is None:
                return Outcome("failed", result.error, result.detail, result.seconds)
            try:
                self.app.handle(
                    c.CompleteTask(
                        **act,
                        outputs=result.outputs,
                        key=f"automation:{lease.ticket_id}:{lease.position}:{lease.attempts}",
                    )
                )
            except TicketDataInvalid as invalid:
                said = "; ".join(f"{k}: {' '.join(v)}" for k, v in invalid.errors.items())
                return Outcome("failed", f"The outputs were refused: {said}", "", result.seconds)
            return Outcome("done", seconds=result.seconds)
        except DomainError as refused:
            if refused.refusal is Refusal.INVALID:
                raise
            # Someone moved the ticket meanwhile (cancelled it, took the task): not ours.
            return Outcome("skipped", refused.message)

    def _record(self, lease: Lease, started: datetime, outcome: Outcome) -> None:
        retries = self._retries(lease)
        status = outcome.kind
        due_in = 0.0
        if outcome.kind == "failed" and lease.attempts <= retries["count"]:
            status = "queued"
            due_in = retries["backoff_seconds"] * 2 ** (lease.attempts - 1)
        elif outcome.kind == "failed":
            self._give_up(lease, outcome)
        with self.pool.connection() as conn, conn.transaction():
            conn.execute(
                "INSERT INTO automation_attempts (ticket_id, position, attempt, started_at,"
                " seconds, outcome, error, detail) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                (
                    lease.ticket_id,
                    lease.position,
                    lease.attempts,
                    started,
                    outcome.seconds,
                    outcome.kind,
                    outcome.error[:MAX_ERROR_CHARS] or None,
                    outcome.detail[-MAX_ERROR_CHARS:] or None,
                ),
            )
            conn.execute(
                "UPDATE automation_runs SET status = %s, lease_until = NULL, last_error = %s,"
                " due_at = now() + make_interval(secs => %s), updated_at = now()"
                " WHERE ticket_id = %s AND position = %s AND runner = %s",
                (
                    status,
                    outcome.error[:MAX_ERROR_CHARS] or None,
                    due_in,
                    lease.ticket_id,
                    lease.position,
                    self.name,
                ),
            )

    def _retries(self, lease: Lease) -> Mapping[str, float]:
        task = self.app.get_ticket(lease.ticket_id).tasks[lease.position]
        definition = self.app.definitions.at_id(task.definition_id, task.version)
        return definition.content["retries"] if definition else {"count": 0, "backoff_seconds": 1}

    def _give_up(self, lease: Lease, outcome: Outcome) -> None:
        """Out of attempts: the task stops with a problem a person can see and act on."""
        reason = f"Automation failed after {lease.attempts} attempts: {outcome.error}"
        try:
            self.app.handle(
                c.FailTask(
                    ticket_id=lease.ticket_id,
                    position=lease.position,
                    actor=AUTOMATION,
                    reason=reason[:900],
                )
            )
        except DomainError as refused:
            log.info("could not mark %s as failed: %s", lease.ticket_id, refused.message)


def wait_for_runs(pool: ConnectionPool, timeout: float) -> None:
    """Block until no run is due or running (for tests and the benchmark)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with pool.connection() as conn:
            busy = conn.execute(
                "SELECT count(*) FROM automation_runs WHERE status IN ('queued', 'running')"
            ).fetchone()
        if busy and busy[0] == 0:
            return
        time.sleep(0.05)
    raise TimeoutError("automation runs still pending")
