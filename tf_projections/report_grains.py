"""How the reports' pre-aggregated rows are cut, so no page reads per-ticket rows.

Every count and duration is added to one row per *grain* (1, 4, 16 and 64 days, aligned on
1970-01-01) and per *scope* (its ticket type and workflow, its workflow alone, everything),
so a range of any length is a handful of aligned periods (`spans`) and a filter picks its
scope's rows. Durations go into log-scale buckets, a quarter of an octave wide, each with
its count and the sum of its durations: a percentile is the mean of the bucket holding the
nearest-rank value, so it is exact when that bucket holds one value (or equal ones) and
never more than 19% off (a bucket's width) in any case.

The SQL fragments and the Python functions here compute the same thing: the projection
writes with the SQL, the agreement check recomputes with the Python, and a difference
between them shows up as a disagreement.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

GRAINS = (1, 4, 16, 64)
EPOCH = date(1970, 1, 1)
ALL = ""  # the scope key standing for every ticket type or workflow
BUCKETS_PER_OCTAVE = 4
UNKNOWN = -1  # the bucket of a duration that cannot be known (a task never claimed)

# SQL: the period of `day` for the grain `g.grain`, and the bucket of `seconds`.
PERIOD_SQL = "({day} - mod({day} - DATE '1970-01-01', g.grain))"
BUCKET_SQL = (
    "CASE WHEN {s} IS NULL THEN -1 WHEN {s} < 1 THEN 0 ELSE 1 + floor(4 * ln({s}) / ln(2))::int END"
)
GRAINS_SQL = "(VALUES (1), (4), (16), (64)) AS g(grain)"
# The three scopes of a row `t` with ticket_type_key and workflow_key.
SCOPES_SQL = (
    "LATERAL (VALUES (t.ticket_type_key, t.workflow_key), ('', t.workflow_key), ('', ''))"
    " AS s(type_key, workflow_key)"
)

Scope = tuple[str, str]  # (ticket type key, workflow key), either may be ALL


def period_of(day: date, grain: int) -> date:
    return day - timedelta((day - EPOCH).days % grain)


def scopes(type_key: str, workflow_key: str) -> tuple[Scope, ...]:
    return ((type_key, workflow_key), (ALL, workflow_key), (ALL, ALL))


def placements(type_key: str, workflow_key: str, day: date) -> Iterator[tuple[str, str, int, date]]:
    """Every (type, workflow, grain, period) row a fact of this day is added to."""
    for scope in scopes(type_key, workflow_key):
        for grain in GRAINS:
            yield (*scope, grain, period_of(day, grain))


def spans(start: date, end: date) -> list[tuple[int, date, date]]:
    """The fewest aligned periods covering start … end, as (grain, first, last period)."""
    found: list[tuple[int, date, date]] = []
    day = start
    while day <= end:
        grain = next(g for g in reversed(GRAINS)
                     if period_of(day, g) == day and day + timedelta(g - 1) <= end)  # fmt: skip
        if found and found[-1][0] == grain:
            found[-1] = (grain, found[-1][1], day)
        else:
            found.append((grain, day, day))
        day += timedelta(grain)
    return found


def bucket(seconds: float | None) -> int:
    """As BUCKET_SQL (the same floating-point steps, so both agree to the last bit)."""
    if seconds is None:
        return UNKNOWN
    if seconds < 1:
        return 0
    return 1 + math.floor(4 * math.log(seconds) / math.log(2))


def percentile(buckets: Iterable[tuple[int, int, float]], share: float) -> float | None:
    """Nearest-rank percentile from (bucket, count, total seconds) rows: the mean of the
    bucket holding the value ranked ceil(share * count)."""
    known = sorted((b, n, total) for b, n, total in buckets if b != UNKNOWN and n)
    count = sum(n for _, n, _ in known)
    if not count:
        return None
    rank = max(1, math.ceil(share * count - 1e-9))
    seen = 0
    for _, n, total in known:
        seen += n
        if seen >= rank:
            return total / n
    raise AssertionError("unreachable: the ranks add up to count")
