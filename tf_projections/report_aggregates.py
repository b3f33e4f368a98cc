"""The statements that add a fact to the pre-aggregated report rows (report_grains.py).

Each Aggregate reads one row of a per-ticket report table (`t`) and adds it to its rows in
every grain and scope. The projection runs it for the row an event just wrote; the
reports benchmark runs the same statement `grouped` over tables it seeded in bulk, and
tests/integration/test_report_aggregates.py proves both give the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from tf_projections.report_grains import BUCKET_SQL, GRAINS_SQL, PERIOD_SQL, SCOPES_SQL

_DAY = "({} AT TIME ZONE 'UTC')::date"


@dataclass(frozen=True)
class Aggregate:
    label: str  # SQL: what is counted, or which duration is measured
    source: str  # SQL: FROM items, the per-ticket row as `t`
    day: str  # SQL: when it happened
    subject: str  # SQL: whom or what it is about
    seconds: str | None = None  # SQL: the duration (None: a count)
    condition: str = "true"

    def sql(self, where: str = "true", *, grouped: bool = False) -> str:
        """INSERT … ON CONFLICT adding the rows `where` selects (grouped: many at once)."""
        day = _DAY.format(self.day)
        keys = [self.label, "s.type_key", "s.workflow_key", "g.grain",
                PERIOD_SQL.format(day=day), self.subject]  # fmt: skip
        if self.seconds is None:
            table, label = "report_tallies", "what"
            values = ["count(*)" if grouped else "1"]
            sums = ["n"]
        else:
            table, label = "report_durations", "measure"
            keys.append(BUCKET_SQL.format(s=self.seconds))
            total = f"coalesce({self.seconds}, 0)"
            values = ["count(*)", f"sum({total})"] if grouped else ["1", total]
            sums = ["n", "total"]
        names = [label, "ticket_type_key", "workflow_key", "grain", "period", "subject"]
        names += ["bucket"] if self.seconds is not None else []
        group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(keys)))}" if grouped else ""
        return (
            f"INSERT INTO {table} ({', '.join(names)}, {', '.join(sums)})"  # noqa: S608
            f" SELECT {', '.join(keys + values)} FROM {self.source}, {SCOPES_SQL}, {GRAINS_SQL}"
            f" WHERE ({self.condition}) AND ({where}){group}"
            f" ON CONFLICT ({', '.join(names)}) DO UPDATE SET "
            + ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in sums)
        )


CREATED = Aggregate("'created'", "report_tickets AS t", "t.created_at", "''")
CLOSED = Aggregate("'closed'", "report_tickets AS t", "t.closed_at", "''",
                   condition="t.closed_at IS NOT NULL")  # fmt: skip
RESOLUTION = Aggregate(
    "'resolution'",
    # Per ticket type, and '' for every type together (the period's overall figure).
    "report_tickets AS t, LATERAL (VALUES (t.ticket_type_key), ('')) AS r(subject)",
    "t.closed_at",
    "r.subject",
    seconds="t.resolution_seconds",
    condition="t.resolution = 'done'",
)
COMPLETED = Aggregate("'completed'", "report_completions AS t", "t.completed_at",
                      "t.by_username")  # fmt: skip
TASK_TIMES = Aggregate(
    "m.measure",
    "report_completions AS t,"
    " LATERAL (VALUES ('wait', t.wait_seconds), ('work', t.work_seconds)) AS m(measure, seconds)",
    "t.completed_at",
    "t.task_name",
    seconds="m.seconds",
)
FAILED = Aggregate("'failed'", "report_software_runs AS t", "t.finished_at", "t.task_name",
                   condition="t.failed")  # fmt: skip
RUNS = Aggregate("'run'", "report_software_runs AS t", "t.finished_at", "t.task_name",
                 seconds="t.seconds")  # fmt: skip

EVERY_AGGREGATE = (CREATED, CLOSED, RESOLUTION, COMPLETED, TASK_TIMES, FAILED, RUNS)
