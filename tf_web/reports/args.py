"""The reports' URL parameters, one whitelist for the page, the CSV files and the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from werkzeug.datastructures import MultiDict

from tf_web.queries.completions import decode_cursor
from tf_web.queries.reports import ReportFilter
from tf_web.tickets.list_args import KEY, PRINTABLE, _day

DEFAULT_DAYS = 30
# A year and a day: every figure of a range this long still comes back in well under a
# second at a million tickets (see bench/reports.py).
MAX_DAYS = 366
LIST_PARAMS = ("type", "workflow")


class ReportArgs(Schema):
    class Meta:
        unknown = RAISE

    start = _day("The first day")
    end = _day("The last day")
    type = fields.List(
        fields.String(validate=KEY),
        metadata={"description": "Only these ticket type keys (repeat the parameter)."},
    )
    workflow = fields.List(
        fields.String(validate=KEY),
        metadata={"description": "Only these workflow keys (repeat the parameter)."},
    )
    after = fields.String(
        validate=[validate.Length(max=300), PRINTABLE],
        metadata={"description": "Completed actions: the page after this one (a `next` link)."},
    )

    @validates_schema
    def range_runs_forwards_within_a_year(self, data: dict[str, Any], **_: Any) -> None:
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            message = "This range ends before it starts."
            raise ValidationError({"start": [message], "end": [message]})
        if start and end and (end - start).days + 1 > MAX_DAYS:
            raise ValidationError(f"Choose at most {MAX_DAYS} days.", "start")

    @validates_schema
    def cursor_is_ours(self, data: dict[str, Any], **_: Any) -> None:
        if "after" in data:
            try:
                decode_cursor(data["after"])
            except ValueError as error:
                raise ValidationError(str(error), "after") from error


def parse_report_args(args: MultiDict[str, str]) -> tuple[ReportFilter, str | None]:
    """The filter (the last 30 days by default) and the completions cursor; raises
    ValidationError with messages by parameter."""
    given: dict[str, Any] = {}
    for name in args:
        values = [value.strip() for value in args.getlist(name) if value.strip()]
        if not values:
            continue  # an empty box of the form means "no filter"
        if name in LIST_PARAMS:
            given[name] = values
        elif len(values) > 1:
            raise ValidationError({name: ["Give this parameter once."]})
        else:
            given[name] = values[0]
    loaded = ReportArgs().load(given)
    end = loaded.get("end") or datetime.now(UTC).date()
    start = loaded.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
    # One side given, the other the default: the range rules hold for the pair too.
    if errors := ReportArgs().validate({"start": start.isoformat(), "end": end.isoformat()}):
        raise ValidationError(errors)
    return (
        ReportFilter(start, end, tuple(loaded.get("type", ())), tuple(loaded.get("workflow", ()))),
        loaded.get("after"),
    )


def report_args(f: ReportFilter, **changes: Any) -> dict[str, Any]:
    """The URL parameters that reproduce this filter, with changes."""
    args: dict[str, Any] = {"start": f.start.isoformat(), "end": f.end.isoformat()}
    if f.types:
        args["type"] = list(f.types)
    if f.workflows:
        args["workflow"] = list(f.workflows)
    args.update(changes)
    return {k: v for k, v in args.items() if v not in (None, "", [])}
