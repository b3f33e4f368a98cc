"""The Reports page and its CSV files (ticket team, auditors and admins)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup
from marshmallow import ValidationError

from tf_events.errors import errors_by_field
from tf_events.policy import Action
from tf_web.extensions import system
from tf_web.queries.completions import all_completions
from tf_web.queries.reports import Report, ReportFilter, report
from tf_web.reports import charts, tables
from tf_web.reports.args import parse_report_args, report_args

bp = Blueprint("reports", __name__, url_prefix="/reports")

LABELS = {"start": "From", "end": "To", "type": "Ticket type", "workflow": "Workflow",
          "after": "Page link"}  # fmt: skip


@bp.route("/")
@login_required
def index() -> tuple[str, int] | Response:
    """Show the figures of a range of days (the last 30 by default)."""
    current_user.check(Action.SEE_REPORTS)
    errors: dict[str, list[str]] = {}
    try:
        f, after = parse_report_args(request.args)
        if any(value == "" for value in request.args.values()):
            # The form sends every box; the address keeps what was chosen, to bookmark.
            return redirect(url_for("reports.index", **report_args(f, after=after)))
    except ValidationError as invalid:
        errors = errors_by_field(invalid.normalized_messages())
        f, after = parse_report_args(request.args.__class__())
    made = report(system().pool, f, after)
    shown = tables.all_tables(made)
    return render_template(
        "reports/index.html",
        report=made,
        tables=shown,
        charts=_charts(made, shown),
        args=report_args(f),
        raw=request.args,
        errors=errors,
        labels=LABELS,
        say=tables.say,
    ), 400 if errors else 200


def _charts(made: Report, shown: dict[str, tables.Table]) -> dict[str, Markup]:
    def bars(name: str, value: int, label: int = 0) -> list[charts.Bar]:
        return [
            charts.Bar(str(row[label]), float(row[value] or 0), tables.say(row[value]))
            for row in shown[name].rows
        ]

    days = made.days
    return {
        "daily": charts.daily_chart(days),
        "backlog": charts.backlog_chart(days),
        "resolution": charts.bar_chart("Median resolution time per ticket type",
                                       bars("resolution", 2)),
        "tasks": charts.bar_chart("Median time from claim to done per task", bars("tasks", 4)),
        "backlog-by-task": charts.bar_chart(
            "Open tickets by current task",
            [charts.Bar(str(r[0]), sum(r[1:]), f"{sum(r[1:]):,}")
             for r in shown["backlog-by-task"].rows],
        ),
        "people": charts.bar_chart("Tasks completed per person", bars("people", 1)),
        "software": charts.bar_chart("Runs per software task", bars("software", 1)),
    }  # fmt: skip


@bp.route("/<name>.csv")
@login_required
def download(name: str) -> Response:
    """One of the page's tables as CSV, for the same range and filters (every completion
    of the range, not only a page of them)."""
    current_user.check(Action.SEE_REPORTS)
    if name not in tables.NAMES:
        abort(404)
    try:
        f, _ = parse_report_args(request.args)
    except ValidationError as invalid:
        messages = errors_by_field(invalid.normalized_messages())
        abort(400, "; ".join(f"{LABELS.get(k, k)}: {' '.join(v)}" for k, v in messages.items()))
    filename = f"{name}-{f.start}-{f.end}.csv"
    return Response(
        stream_with_context(_csv(name, f)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv(name: str, f: ReportFilter) -> Iterator[str]:
    pool = system().pool
    if name == "completions":
        columns = tables.COMPLETION_COLUMNS
        rows: Iterator[tuple[object, ...]] = map(tables.completion_row, all_completions(pool, f))
    else:
        table = tables.all_tables(report(pool, f))[name]
        columns, rows = table.columns, iter(table.rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.key for c in columns])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _cell(value: object) -> object:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with a '."""
    value = tables.plain(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
