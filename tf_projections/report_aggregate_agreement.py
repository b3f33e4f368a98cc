"""The pre-aggregated report rows a replay gives, worked out in Python (report_grains.py)
from the replayed per-ticket rows, and their differences with the read tables."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from psycopg import Connection

from tf_projections.report_grains import ALL, bucket, placements

TallyKey = tuple[str, str, str, int, Any, str]  # what, type, workflow, grain, period, subject
DurationKey = tuple[str, str, str, int, Any, str, int]  # … and the bucket


class Aggregates:
    """Counts and histogram rows, keyed as the read tables are."""

    def __init__(self) -> None:
        self.tallies: Counter[TallyKey] = Counter()
        self.counts: Counter[DurationKey] = Counter()
        self.totals: Counter[DurationKey] = Counter()

    def tally(self, what: str, row: dict[str, Any], at: datetime, subject: str) -> None:
        for place in placements(row["ticket_type_key"], row["workflow_key"], _day(at)):
            self.tallies[(what, *place, subject)] += 1

    def duration(self, measure: str, row: dict[str, Any], at: datetime, subject: str,
                 seconds: float | None) -> None:  # fmt: skip
        for place in placements(row["ticket_type_key"], row["workflow_key"], _day(at)):
            key = (measure, *place, subject, bucket(seconds))
            self.counts[key] += 1
            self.totals[key] += seconds or 0.0

    def add_ticket(self, ticket: dict[str, Any], completions: list[dict[str, Any]],
                   runs: list[dict[str, Any]]) -> None:  # fmt: skip
        """As the projection's CREATED … RUNS statements (report_aggregates.py)."""
        self.tally("created", ticket, ticket["created_at"], ALL)
        if ticket["closed_at"] is not None:
            self.tally("closed", ticket, ticket["closed_at"], ALL)
        if ticket["resolution"] == "done":
            for subject in (ticket["ticket_type_key"], ALL):
                self.duration("resolution", ticket, ticket["closed_at"], subject,
                              ticket["resolution_seconds"])  # fmt: skip
        for c in completions:
            self.tally("completed", c, c["completed_at"], c["by_username"])
            self.duration("wait", c, c["completed_at"], c["task_name"], c["wait_seconds"])
            self.duration("work", c, c["completed_at"], c["task_name"], c["work_seconds"])
        for r in runs:
            if r["failed"]:
                self.tally("failed", r, r["finished_at"], r["task_name"])
            self.duration("run", r, r["finished_at"], r["task_name"], r["seconds"])


def _day(at: datetime) -> Any:
    return at.astimezone(UTC).date()


def read_aggregates(conn: Connection[Any]) -> Aggregates:
    found = Aggregates()
    for *key, n in conn.execute(
        "SELECT what, ticket_type_key, workflow_key, grain, period, subject, n FROM report_tallies"
    ):
        found.tallies[tuple(key)] += n  # type: ignore[index]
    for *key, n, total in conn.execute(
        "SELECT measure, ticket_type_key, workflow_key, grain, period, subject, bucket, n,"
        " total FROM report_durations"
    ):
        found.counts[tuple(key)] += n  # type: ignore[index]
        found.totals[tuple(key)] += total  # type: ignore[index]
    return found


def differences(found: Aggregates, wanted: Aggregates) -> dict[str, list[str]]:
    """Per table, each row whose figures differ (sums of seconds to the millisecond)."""
    tallies = [
        f"report_tallies {key}: read table has {found.tallies[key]},"
        f" replay gives {wanted.tallies[key]}"
        for key in sorted(set(found.tallies) | set(wanted.tallies), key=str)
        if found.tallies[key] != wanted.tallies[key]
    ]
    durations = [
        f"report_durations {key}: read table has {found.counts[key]} ({found.totals[key]:.3f} s),"
        f" replay gives {wanted.counts[key]} ({wanted.totals[key]:.3f} s)"
        for key in sorted(set(found.counts) | set(wanted.counts), key=str)
        if found.counts[key] != wanted.counts[key]
        or abs(found.totals[key] - wanted.totals[key]) > 0.001
    ]
    return {
        table: rows
        for table, rows in (("report_tallies", tallies), ("report_durations", durations))
        if rows
    }
