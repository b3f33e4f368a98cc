"""The read side's answer to the assignment rules' question: who could get a task now."""

from __future__ import annotations

from collections.abc import Sequence

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from tf_events.tickets.assignment import Candidate, Candidates
from tf_events.users import Role

# Each user's load and last turn come from the partial indexes on ticket_tasks
# (ticket_tasks_of_assignee, ticket_tasks_given): a few index probes per team member.
_CANDIDATES_SQL = """
SELECT u.id, u.username, u.roles,
       (SELECT count(*) FROM ticket_tasks t
         WHERE t.assignee_id = u.id AND t.status IN ('OPEN', 'ERROR')) AS open_tasks,
       (SELECT max(t.claimed_at) FROM ticket_tasks t
         WHERE t.assignee_id = u.id AND t.key = %(key)s) AS last_given
  FROM users u
 WHERE u.active AND NOT u.away AND %(team)s = ANY(u.roles)
"""


def candidates_in(pool: ConnectionPool) -> Candidates:
    def candidates(task_key: str) -> Sequence[Candidate]:
        with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(
                _CANDIDATES_SQL, {"key": task_key, "team": Role.TICKET_TEAM.value}
            ).fetchall()
        return [
            Candidate(
                id=row["id"],
                username=row["username"],
                roles=frozenset(row["roles"]),
                open_tasks=row["open_tasks"],
                last_given=row["last_given"],
            )
            for row in rows
        ]

    return candidates
