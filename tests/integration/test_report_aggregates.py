"""The reports benchmark fills the pre-aggregated rows in bulk from seeded per-ticket rows
(`Aggregate.sql(grouped=True)`); here that path is proved to give exactly the rows the
projection builds one event at a time."""

from __future__ import annotations

from tests.report_history import record_history
from tf_projections.rebuild import rebuild
from tf_projections.report_aggregate_agreement import read_aggregates
from tf_projections.report_aggregates import EVERY_AGGREGATE
from tf_projections.reports import ReportsReadModel


def test_bulk_aggregation_gives_the_rows_the_projection_builds_event_by_event(system):
    record_history(system.app)
    rebuild(ReportsReadModel, system.app, system.pool)
    with system.pool.connection() as conn:
        built = read_aggregates(conn)
        conn.execute("TRUNCATE report_tallies, report_durations")
        for aggregate in EVERY_AGGREGATE:
            conn.execute(aggregate.sql(grouped=True))
        bulk = read_aggregates(conn)
    assert sum(built.tallies.values()) > 50 and sum(built.counts.values()) > 50
    assert bulk.tallies == built.tallies
    assert bulk.counts == built.counts
    assert bulk.totals == built.totals
