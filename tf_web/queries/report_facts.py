"""A range's pre-aggregated report rows, read in two queries: the counts and the duration
histograms of the filter's scope, summed over the range's aligned periods."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg import Connection

from tf_web.queries.report_filter import ReportFilter

MEASURES = ("resolution", "wait", "work", "run")
COUNTS = ("created", "closed", "completed", "failed")
Histogram = list[tuple[int, int, float]]  # (bucket, count, total seconds)


@dataclass
class Facts:
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (what, subject)
    histograms: dict[tuple[str, str], Histogram] = field(default_factory=dict)  # (measure, subject)

    def total(self, what: str) -> int:
        return sum(n for (w, _), n in self.counts.items() if w == what)

    def by_subject(self, what: str) -> dict[str, int]:
        return {subject: n for (w, subject), n in self.counts.items() if w == what}


def read_facts(
    conn: Connection[Any],
    f: ReportFilter,
    measures: tuple[str, ...] = MEASURES,
    counts: tuple[str, ...] = COUNTS,
    subject: str | None = None,  # only this subject's histograms
) -> Facts:
    facts = Facts()
    if counts:
        rows, values = f.over("report_tallies", "what, subject, n", "what = ANY(%(counts)s)")
        for what, about, n in conn.execute(
            f"SELECT what, subject, sum(n) FROM ({rows}) AS r GROUP BY 1, 2",  # noqa: S608
            {**values, "counts": list(counts)},
        ):
            facts.counts[(what, about)] = int(n)
    if measures:
        condition = "measure = ANY(%(measures)s)"
        condition += "" if subject is None else " AND subject = %(subject)s"
        rows, values = f.over("report_durations", "measure, subject, bucket, n, total", condition)
        for measure, about, bucket, n, total in conn.execute(
            f"SELECT measure, subject, bucket, sum(n), sum(total) FROM ({rows}) AS r"  # noqa: S608
            " GROUP BY 1, 2, 3",
            {**values, "measures": list(measures), "subject": subject},
        ):
            facts.histograms.setdefault((measure, about), []).append((bucket, int(n), total))
    return facts
