"""The automation worker's runners: lease a due software task, run its code in the
sandbox, and report the result through the commands a person uses (claim, complete,
report a problem).

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
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from tf_automation.follower import AUTOMATION_USERNAME, AutomationFollower
from tf_automation.limits import Limits
from tf_automation.sandbox import CodeRunner
from tf_events import commands as c
from tf_events.application import TicketFlower
from tf_events.definitions.software import LIMITS
from tf_events.errors import DomainError, Refusal
from tf_events.policy import AUTOMATION_ROLE, Actor
from tf_events.tickets.submission import TicketDataInvalid
from tf_events.tickets.workflow import TaskStatus
from tf_events.users import User
from tf_processes.process import wait_until_read
from tf_projections.read_model import EVENTS_TABLE, listen_to, wait_for_news

log = logging.getLogger(__name__)

# A lease outlives the longest wall limit a task may have, then another runner may retry.
LEASE_SECONDS = LIMITS["wall_seconds"][2] + 30
IDLE_SECONDS = 0.5
# Whose new positions wake this sender: the automation follower: it notifies as it queues runs.
NEWS_FROM = ("automation",)
MAX_ERROR_CHARS = 2000


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

    def __init__(
        self,
        app: TicketFlower,
        pool: ConnectionPool,
        sandbox: CodeRunner,
        database_url: str | None = None,
    ) -> None:
        self.app, self.pool, self.sandbox = app, pool, sandbox
        self.database_url = database_url  # to hear of new work at once (LISTEN)
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
                with self._listener() as listener:
                    while not self._stopping.is_set():
                        if not self.run_one():
                            self._idle(listener)
            except Exception:
                log.exception("automation runner %s failed; going on", self.name)
                self._stopping.wait(IDLE_SECONDS)

    def _listener(self) -> AbstractContextManager[psycopg.Connection[Any] | None]:
        if self.database_url is None:
            return nullcontext()
        listener = psycopg.connect(self.database_url, autocommit=True, connect_timeout=5)
        listen_to(listener, NEWS_FROM)
        return listener

    def _idle(self, listener: psycopg.Connection[Any] | None) -> None:
        """Wait for the follower to queue work (it notifies as its position moves), or
        re-check now and then: a retry falls due, a lease runs out."""
        if listener is None:
            self._stopping.wait(IDLE_SECONDS)
            return
        wait_for_news(listener, NEWS_FROM, IDLE_SECONDS)

    # -- one run ---------------------------------------------------------------------

    def run_one(self) -> bool:
        """Lease the most overdue run and do it; False when nothing is due."""
        lease = self._lease()
        if lease is None:
            return False
        started = datetime.now(UTC)
        outcome = attempt(self.app, self.sandbox, lease)
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
        tries = f"{lease.attempts} attempt{'s' if lease.attempts != 1 else ''}"
        reason = f"Automation failed after {tries}: {outcome.error}"
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


def attempt(app: TicketFlower, sandbox: CodeRunner, lease: Lease) -> Outcome:
    """One attempt at a software task: claim it as the automation, run its code in the
    sandbox on the ticket's inputs, complete it with the outputs (what a runner does with
    a lease; the demo's past weeks do it too)."""
    ticket = app.get_ticket(lease.ticket_id)
    task = ticket.tasks[lease.position]
    if ticket.is_closed or task.status is not TaskStatus.OPEN:
        return Outcome("skipped", f"'{task.name}' is no longer open.")
    if task.assignee is not None and task.assignee.id != AUTOMATION.id:
        return Outcome("skipped", f"{task.assignee.username} has taken '{task.name}' over.")
    definition = app.definitions.at_id(task.definition_id, task.version)
    if definition is None:
        return Outcome("failed", f"The definition of '{task.name}' is missing.")
    content = definition.content
    act = {"ticket_id": lease.ticket_id, "position": lease.position, "actor": AUTOMATION}
    try:
        if task.assignee is None:
            app.handle(c.ClaimTask(**act))
        inputs = {
            spec["name"]: ticket.data[spec["name"]]
            for spec in content.get("inputs", [])
            if spec["name"] in ticket.data
        }
        result = sandbox.run(content["code"], inputs, sandbox_limits(content["limits"]))
        if not result.ok:
            detail = "\n".join(part for part in (result.traceback, result.stderr) if part)
            return Outcome("failed", result.reason, detail, result.seconds)
        if not isinstance(result.outputs, dict):
            return Outcome("failed", "run must return a dict of outputs.", "", result.seconds)
        try:
            app.handle(
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


def sandbox_limits(given: Mapping[str, float]) -> Limits:
    """A task definition's limits, as the sandbox takes them."""
    return Limits(
        cpu_seconds=given["cpu_seconds"],
        wall_seconds=given["wall_seconds"],
        memory_mb=int(given["memory_mb"]),
        output_kb=int(given["output_kb"]),
    )


def wait_for_runs(pool: ConnectionPool, timeout: float) -> None:
    """Block until the follower has read every event written so far and no run is due
    or running (for tests, the benchmark and the demo's seeding)."""
    deadline = time.monotonic() + timeout
    with pool.connection() as conn, conn.cursor() as cur:
        end = cur.execute(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}")  # noqa: S608 - a constant name
        wait_until_read(cur, AutomationFollower, end.fetchone()[0] + 1, timeout)
    while time.monotonic() < deadline:
        with pool.connection() as conn:
            busy = conn.execute(
                "SELECT count(*) FROM automation_runs WHERE status IN ('queued', 'running')"
            ).fetchone()
        if busy and busy[0] == 0:
            return
        time.sleep(0.05)
    raise TimeoutError("automation runs still pending")
