"""Rules of the reports that need no database: who waits for them, ranges, and how
figures are said."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from eventsourcing.utils import get_topic
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from tf_events.tickets.aggregate import Ticket
from tf_events.written import Written
from tf_projections.reports import ReportsReadModel
from tf_projections.tickets import TicketsReadModel
from tf_projections.waiting import targets_of
from tf_web.queries.reports import ReportFilter
from tf_web.reports.args import parse_report_args
from tf_web.reports.charts import nice_ceiling
from tf_web.reports.tables import Change, Duration, say, say_duration


def test_a_write_waits_for_the_tickets_tables_but_never_for_the_reports():
    topic = get_topic(Ticket.Submitted)
    assert topic in ReportsReadModel.topics()
    targets = targets_of(Written(uuid.uuid4(), ((42, topic),)))
    assert targets.get(TicketsReadModel) == 42
    assert ReportsReadModel not in targets


def test_a_range_is_compared_with_as_many_days_just_before():
    f = ReportFilter(date(2026, 3, 1), date(2026, 3, 31), types=("a",))
    assert f.previous == ReportFilter(date(2026, 1, 29), date(2026, 2, 28), types=("a",))


def test_the_default_range_is_the_last_30_days_and_one_given_day_keeps_the_rules():
    f, after = parse_report_args(MultiDict({"end": "2026-11-30"}))
    assert (f.start, f.end, after) == (date(2026, 11, 1), date(2026, 11, 30), None)
    with pytest.raises(ValidationError, match="at most 366 days"):
        parse_report_args(MultiDict({"start": "2020-01-01", "end": "2026-01-01"}))
    with pytest.raises(ValidationError, match="once"):
        parse_report_args(MultiDict([("start", "2026-01-01"), ("start", "2026-01-02")]))


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(42, "42 s"), (60, "1 min"), (3599, "1 h"), (15000, "4 h 10 min"), (7200, "2 h"),
     (90000, "1 d 1 h"), (172800, "2 d")],
)  # fmt: skip
def test_durations_are_said_in_the_largest_units_that_fit(seconds, said):
    assert say_duration(seconds) == said


def test_cells_are_said_for_people_and_kept_as_numbers_elsewhere():
    assert say(Duration(15000)) == "4 h 10 min"
    assert say(Change(2.0)) == "+200%"
    assert say(1234) == "1,234"
    assert say(None) == "—"


@pytest.mark.parametrize(("top", "axis"), [(0, 1), (1, 1), (3, 4), (5, 6), (9, 10), (237, 400)])
def test_a_count_axis_ends_on_an_even_round_number(top, axis):
    assert nice_ceiling(top) == axis
