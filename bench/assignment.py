"""Assignment rules: what choosing an assignee adds to a submission, against a team of 200
and a tasks table of 1,000,000 rows (100,000 open), beside manual submissions in the same
run. Submissions go through the command handler (the write side), one at a time."""

from __future__ import annotations

import time
import uuid

from bench.common import fresh_system, report, summary
from tests.samples import TRIAGE, definition_set, sample
from tf_events.commands import ImportDefinitionSet, RegisterUser, ReviseDefinition, SubmitTicket
from tf_events.definitions.format import Kind
from tf_events.tickets.assignment import AssignmentRule
from tf_projections.registry import READ_MODELS
from tf_projections.waiting import wait_for
from tf_projections.worker import start_workers

TEAM = 200
TASK_ROWS = 1_000_000
OPEN_ROWS = 100_000
SUBMISSIONS = 300

_FILL_TASKS = """
WITH team AS (
    SELECT array_agg(id ORDER BY username) AS ids, array_agg(username ORDER BY username) AS names
      FROM users WHERE 'ticket_team' = ANY(roles)
)
INSERT INTO ticket_tasks (ticket_id, position, key, name, task_version, ticket_type_key,
                          roles, kind, status, assignee, assignee_id, opened_at, claimed_at)
SELECT gen_random_uuid(), 0, CASE WHEN i %% 20 = 0 THEN 'triage' ELSE 'task-' || (i %% 20) END,
       'Task', 1, 'bench', '{}', 'human',
       CASE WHEN i <= %(open)s THEN 'OPEN' ELSE 'CLOSED' END,
       team.names[1 + i %% %(team)s], team.ids[1 + i %% %(team)s],
       now() - make_interval(secs => i), now() - make_interval(secs => i)
  FROM generate_series(1, %(rows)s) AS i, team
"""


def run() -> None:
    with fresh_system() as system:
        app = system.app
        app.handle(ImportDefinitionSet(definition_set(), by="bench"))
        for i in range(TEAM):
            app.handle(RegisterUser(f"worker{i:03}", "long enough password", roles=["ticket_team"]))
        written = app.handle(RegisterUser("sam", "long enough password"))
        workers = start_workers(
            list(READ_MODELS), app.recorder, app.mapper, system.pool, system.database_url
        )
        try:
            wait_for(system.pool, written, 60)
            with system.pool.connection() as conn:
                conn.execute(_FILL_TASKS, {"open": OPEN_ROWS, "rows": TASK_ROWS, "team": TEAM})
                conn.execute("VACUUM ANALYZE ticket_tasks")  # as autovacuum leaves it
            sam = {"id": str(written.aggregate_id), "username": "sam"}
            rows = []
            for rule in ("manual", "round_robin", "least_busy"):
                app.handle(
                    ReviseDefinition(Kind.TASK, "triage", sample(TRIAGE, assignment=rule), by="b")
                )
                latencies = []
                for i in range(SUBMISSIONS):
                    started = time.perf_counter()
                    app.handle(
                        SubmitTicket(
                            submission_key=str(uuid.uuid4()),
                            ticket_type_key="laptop-request",
                            data={"summary": f"Laptop {i}"},
                            submitter=sam,
                            user_roles=frozenset(),
                        )
                    )
                    latencies.append(time.perf_counter() - started)
                rows.append((f"submission, {rule}", summary(latencies)))
            lookups = []
            for _ in range(SUBMISSIONS):
                started = time.perf_counter()
                app.candidates("triage", AssignmentRule.LEAST_BUSY)
                lookups.append(time.perf_counter() - started)
            rows.append(("candidates query alone, least_busy", summary(lookups)))
        finally:
            for worker in workers:
                worker.stop()
            for worker in workers:
                worker.join(timeout=10)
        report(
            f"Assignment rules ({TEAM} team members, {TASK_ROWS:,} task rows,"
            f" {OPEN_ROWS:,} open; manual is the baseline)",
            rows,
        )
