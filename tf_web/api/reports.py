"""The reports in the API: every table of the Reports page as JSON, with the same numbers
(durations in seconds, times in ISO 8601), for the ticket team, auditors and admins."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for
from marshmallow import Schema, ValidationError, fields
from werkzeug.exceptions import BadRequest

from tf_events.errors import errors_by_field
from tf_events.policy import Action
from tf_web.api import bp, fails_with, token_required
from tf_web.extensions import system
from tf_web.queries.completions import completions
from tf_web.queries.reports import ReportFilter, report
from tf_web.reports import tables
from tf_web.reports.args import ReportArgs, parse_report_args, report_args


class ColumnOut(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)


class ReportTableOut(Schema):
    name = fields.String(required=True)
    title = fields.String(required=True)
    start = fields.Date(required=True, metadata={"description": "The first day (UTC)."})
    end = fields.Date(required=True, metadata={"description": "The last day (UTC)."})
    types = fields.List(fields.String(), required=True)
    workflows = fields.List(fields.String(), required=True)
    columns = fields.List(fields.Nested(ColumnOut), required=True)
    rows = fields.List(
        fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True)),
        required=True,
        metadata={"description": "One object per row, keyed by the columns' keys. Durations"
                  " are seconds; days and times ISO 8601."},
    )  # fmt: skip
    next = fields.String(
        allow_none=True,
        metadata={"description": "Completed actions: the next (older) page's address."},
    )


class ReportOut(Schema):
    tables = fields.List(fields.Nested(ReportTableOut), required=True)


def _table_out(table: tables.Table, f: ReportFilter, next_url: str | None = None) -> dict[str, Any]:
    return {
        "name": table.name,
        "title": table.title,
        "start": f.start,
        "end": f.end,
        "types": list(f.types),
        "workflows": list(f.workflows),
        "columns": [{"key": c.key, "label": c.label} for c in table.columns],
        "rows": table.as_dicts(),
        "next": next_url,
    }


def _filter() -> tuple[ReportFilter, str | None]:
    try:
        return parse_report_args(request.args)
    except ValidationError as invalid:
        refused = BadRequest("Some report parameters are not allowed.")
        refused.errors = errors_by_field(invalid.normalized_messages())  # type: ignore[attr-defined]
        raise refused from None


@bp.route("/reports")
@bp.response(200, ReportOut)
@bp.doc(parameters=[{"in": "query", "schema": ReportArgs}])
@fails_with(400)
@token_required(Action.SEE_REPORTS)
def all_reports() -> tuple[Response, int]:
    """Every table of the Reports page for a range of days (the last 30 by default);
    completed actions: the newest page."""
    f, after = _filter()
    pool = system().pool
    made = tables.all_tables(report(pool, f, after))
    body = ReportOut().dump({"tables": [_table_out(t, f) for t in made.values()]})
    return jsonify(body), 200


def _one(name: str) -> Any:
    def view() -> tuple[Response, int]:
        f, after = _filter()
        pool = system().pool
        if name == "completions":
            with pool.connection() as conn:
                page = completions(conn, f, after)
            table = tables.completions(page.rows)
            next_url = page.next and url_for(
                "api.report_completions", _external=True, **report_args(f, after=page.next)
            )
            return jsonify(ReportTableOut().dump(_table_out(table, f, next_url))), 200
        made = tables.all_tables(report(pool, f))
        return jsonify(ReportTableOut().dump(_table_out(made[name], f))), 200

    view.__name__ = f"report_{name.replace('-', '_')}"
    view.__doc__ = f"The table “{name}” of the Reports page, for a range of days."
    return view


for _name in tables.NAMES:
    bp.route(f"/reports/{_name}", endpoint=f"report_{_name.replace('-', '_')}")(
        bp.response(200, ReportTableOut)(
            bp.doc(parameters=[{"in": "query", "schema": ReportArgs}])(
                fails_with(400)(token_required(Action.SEE_REPORTS)(_one(_name)))
            )
        )
    )
