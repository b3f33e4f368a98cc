"""How the reports' pre-aggregated rows are cut: aligned periods and log-scale buckets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tf_projections.report_grains import GRAINS, bucket, percentile, period_of, placements, spans


def covered(found: list[tuple[int, date, date]]) -> list[date]:
    days = []
    for grain, first, last in found:
        period = first
        while period <= last:
            days += [period + timedelta(i) for i in range(grain)]
            period += timedelta(grain)
    return days


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 11, 1), date(2026, 11, 7)),
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2025, 11, 30), date(2026, 11, 30)),
        (date(2026, 3, 3), date(2026, 3, 3)),
    ],
)
def test_a_range_is_covered_by_a_few_aligned_periods_each_day_once(start, end):
    found = spans(start, end)
    assert covered(found) == [start + timedelta(i) for i in range((end - start).days + 1)]
    assert all(period_of(first, grain) == first for grain, first, _ in found)
    assert len(found) <= 2 * len(GRAINS) - 1


def test_a_year_reads_about_fifteen_periods_not_366_days():
    # 2025-11-30 is day 20422 since 1970-01-01: 2 days to 20424 (a multiple of 4), 2
    # fours to 20432 (of 16), 3 sixteens to 20480 (of 64), four 64-day periods to 20736,
    # then 3 sixteens to 20784 and one four to 20787 (2026-11-30).
    found = spans(date(2025, 11, 30), date(2026, 11, 30))
    assert [grain for grain, _, _ in found] == [1, 4, 16, 64, 16, 4]
    periods = sum((last - first).days // grain + 1 for grain, first, last in found)
    assert periods == 2 + 2 + 3 + 4 + 3 + 1


def test_a_fact_is_added_to_each_grain_of_each_scope():
    rows = list(placements("repair", "repairs", date(2026, 11, 5)))
    assert len(rows) == 12
    # 2026-11-05 is day 20762 = 64 * 324 + 26 = 16 * 1297 + 10 = 4 * 5190 + 2.
    assert ("", "", 64, date(2026, 10, 10)) in rows
    assert ("", "repairs", 16, date(2026, 10, 26)) in rows
    assert ("repair", "", 4, date(2026, 11, 3)) not in rows  # no type-without-workflow scope
    assert ("repair", "repairs", 4, date(2026, 11, 3)) in rows
    assert ("repair", "repairs", 1, date(2026, 11, 5)) in rows


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(None, -1), (0, 0), (0.99, 0), (1, 1), (1.18, 1), (1.19, 2), (2, 5), (60, 24),
     (3600, 48), (14400, 56), (15600, 56), (16384, 57)],
)  # fmt: skip
def test_durations_fall_into_quarter_octave_buckets(seconds, expected):
    # 60 s: log2 60 = 5.907, * 4 = 23.6 → 1 + 23; 14400 s: log2 = 13.81, * 4 = 55.3 → 56.
    assert bucket(seconds) == expected


def test_a_percentile_is_the_mean_of_the_bucket_holding_the_nearest_rank_value():
    # 60, 60, 120: the median (rank 2) is in the bucket of the two 60s; p90 (rank 3) is 120.
    runs = [(bucket(60), 2, 120.0), (bucket(120), 1, 120.0)]
    assert percentile(runs, 0.5) == 60
    assert percentile(runs, 0.9) == 120
    # Unknown durations are counted but have no rank; nothing known gives None.
    assert percentile([(-1, 3, 0.0)], 0.5) is None
    # 4 h and 4 h 20 min share a bucket: both percentiles read as their mean.
    resolutions = [(bucket(14400), 2, 30000.0)]
    assert percentile(resolutions, 0.5) == percentile(resolutions, 0.9) == 15000
