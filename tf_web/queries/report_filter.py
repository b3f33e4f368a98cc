"""The reports' range of UTC days and filters, and how they select report rows."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tf_projections.report_grains import spans


@dataclass(frozen=True)
class ReportFilter:
    start: date  # the first day, included
    end: date  # the last day, included
    types: tuple[str, ...] = ()
    workflows: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> ReportFilter:
        """The same number of days just before: what the figures are compared with."""
        return replace(
            self, start=self.start - timedelta(days=self.days), end=self.start - timedelta(1)
        )

    def where(self, column: str, *, on_days: bool = False) -> tuple[str, dict[str, Any]]:
        """The range (on a day or a timestamp column) and the filters, as SQL and values."""
        if on_days:
            clauses = [f"{column} BETWEEN %(start)s AND %(end)s"]
            values: dict[str, Any] = {"start": self.start, "end": self.end}
        else:
            clauses = [f"{column} >= %(start)s AND {column} < %(end)s"]
            values = {"start": _midnight(self.start), "end": _midnight(self.end + timedelta(1))}
        return " AND ".join([*clauses, *self.filters()]), {**values, **self.values()}

    def filters(self) -> list[str]:
        return [
            clause
            for clause, wanted in (
                ("ticket_type_key = ANY(%(types)s)", self.types),
                ("workflow_key = ANY(%(workflows)s)", self.workflows),
            )
            if wanted
        ]

    def values(self) -> dict[str, Any]:
        return {"types": list(self.types), "workflows": list(self.workflows)}

    def scope(self) -> str:
        """The pre-aggregated rows of the filter's scope (report_grains.py)."""
        if self.types:
            return " AND ".join(self.filters())
        if self.workflows:
            return "ticket_type_key = '' AND workflow_key = ANY(%(workflows)s)"
        return "ticket_type_key = '' AND workflow_key = ''"

    def over(self, table: str, columns: str, condition: str) -> tuple[str, dict[str, Any]]:
        """The scope's rows of `table` covering the range, as a few index range scans."""
        values = self.values()
        parts = []
        for i, (grain, first, last) in enumerate(spans(self.start, self.end)):
            parts.append(
                f"SELECT {columns} FROM {table} WHERE {condition} AND {self.scope()}"  # noqa: S608
                f" AND grain = {grain} AND period BETWEEN %(first{i})s AND %(last{i})s"
            )
            values.update({f"first{i}": first, f"last{i}": last})
        return " UNION ALL ".join(parts) or f"SELECT {columns} WHERE false", values


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)
