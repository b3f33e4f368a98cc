"""The ticket list's URL parameters: one whitelist shared by the pages and the API.

Anything not named here, or a value outside its whitelist, is refused with a message that
says what is allowed; nothing from the URL is ever spliced into SQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from werkzeug.datastructures import MultiDict

from tf_events.tickets.workflow import TicketStatus
from tf_web.queries.ticket_list import (
    DEFAULT_SORT,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    SORTS,
    TASK_STATUSES,
    Cursor,
    Filters,
    ListQuery,
    Scope,
    State,
    search_terms,
)

SORT_CHOICES = [*SORTS, *(f"-{key}" for key in SORTS)]
# No ticket is older than 1900; the query ends a range at the next midnight, so the last
# day is the one before the last day Python can name.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date.max - timedelta(days=1)
PRINTABLE = validate.Regexp(
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$", error="Control characters are not allowed."
)


def _text(max_length: int, description: str) -> fields.String:
    return fields.String(
        validate=[validate.Length(max=max_length), PRINTABLE],
        metadata={"description": description},
    )


def _day(description: str) -> fields.Date:
    return fields.Date(
        error_messages={"invalid": "Give a date like 2026-11-25."},
        validate=validate.Range(
            FIRST_DAY, LAST_DAY, error=f"Give a day from {FIRST_DAY} to {LAST_DAY}."
        ),
        metadata={"description": f"{description} (a UTC day, included)."},
    )


KEY = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,63}$", error="Not a ticket type key.")


class ListArgs(Schema):
    class Meta:
        unknown = RAISE

    scope = fields.Enum(
        Scope,
        by_value=True,
        load_default=Scope.MINE,
        metadata={"description": "Your tickets, or all (ticket team and auditors)."},
    )
    state = fields.Enum(
        State, by_value=True, load_default=State.ACTIVE, metadata={"description": "Which tab."}
    )
    sort = fields.String(
        load_default=DEFAULT_SORT,
        validate=validate.OneOf(SORT_CHOICES, error="Sort by one of: {choices}."),
        metadata={"description": "A column; '-' first for descending."},
    )
    cursor = _text(1000, "Where a page starts: from a `next` or `previous` link.")
    limit = fields.Integer(
        load_default=PAGE_SIZE,
        validate=validate.Range(1, MAX_PAGE_SIZE),
        metadata={"description": "Tickets per page."},
    )
    status = fields.List(
        fields.String(
            validate=validate.OneOf(
                [s.value for s in TicketStatus], error="Status is one of: {choices}."
            )
        ),
        metadata={"description": "Any of these statuses (repeat the parameter)."},
    )
    type = fields.List(
        fields.String(validate=KEY),
        metadata={"description": "Any of these ticket type keys (repeat the parameter)."},
    )
    reference = _text(40, "One ticket: TF-1042 or 1042.")
    task = _text(200, "The current task's name.")
    task_status = fields.String(
        validate=validate.OneOf(list(TASK_STATUSES), error="Task status is one of: {choices}."),
        metadata={"description": "The current task: waiting for someone, assigned, or failed."},
    )
    assignee = _text(64, "Who holds the current task (a username).")
    submitter = _text(64, "The submitter's username (scope=all only).")
    created_from = _day("Created on or after")
    created_to = _day("Created on or before")
    updated_from = _day("Last updated on or after")
    updated_to = _day("Last updated on or before")
    closed_from = _day("Closed on or after")
    closed_to = _day("Closed on or before")
    q = _text(200, "Words in the reference, summary or data; each matches as a prefix.")

    @validates_schema
    def submitter_only_across_submitters(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("submitter") and data.get("scope") is Scope.MINE:
            raise ValidationError(
                "Your own tickets are all yours; filter by submitter in All tickets.",
                "submitter",
            )

    @validates_schema
    def ranges_run_forwards(self, data: dict[str, Any], **_: Any) -> None:
        for name in ("created", "updated", "closed"):
            start, end = data.get(f"{name}_from"), data.get(f"{name}_to")
            if start and end and start > end:
                message = "This range ends before it starts."
                raise ValidationError({f"{name}_from": [message], f"{name}_to": [message]})

    @validates_schema
    def search_has_a_word(self, data: dict[str, Any], **_: Any) -> None:
        if "q" in data and search_terms(data["q"]) is None:
            raise ValidationError("Search for a word or a number.", "q")


LIST_PARAMS = ("status", "type")
# How the list page names each parameter when it has to refuse one.
LABELS = {
    "q": "Search",
    "type": "Type",
    "status": "Status",
    "task": "Current task",
    "task_status": "Task status",
    "assignee": "Assignee",
    "sort": "Sort by",
    "reference": "Reference",
    "submitter": "Submitter",
    "created_from": "Created from",
    "created_to": "Created to",
    "updated_from": "Updated from",
    "updated_to": "Updated to",
    "closed_from": "Closed from",
    "closed_to": "Closed to",
    "cursor": "Page link",
    "limit": "Tickets per page",
    "state": "Tab",
    "scope": "Whose tickets",
}
FILTER_PARAMS = tuple(name for name in Filters.__dataclass_fields__)


def given_args(
    args: MultiDict[str, str], list_params: tuple[str, ...], fixed: dict[str, Any]
) -> dict[str, Any]:
    """A list page's URL parameters, as the filter form sends them: empty boxes dropped,
    `list_params` as lists, any other given once, none of the page's own `fixed` ones."""
    given: dict[str, Any] = {}
    for name in args:
        values = [value.strip() for value in args.getlist(name) if value.strip()]
        if not values:
            continue  # an empty box of the filter form means "no filter"
        if name in list_params:
            given[name] = values
        elif len(values) > 1:
            raise ValidationError({name: ["Give this parameter once."]})
        else:
            given[name] = values[0]
    for name in fixed:
        if name in given:
            raise ValidationError({name: ["This page sets this parameter itself."]})
    return given


def parse_list_args(args: MultiDict[str, str], **fixed: Any) -> ListQuery:
    """Read the URL's parameters into a ListQuery; ValidationError names what is wrong.

    `fixed` values (the page's scope) are not taken from the URL.
    """
    given = given_args(args, LIST_PARAMS, fixed)
    loaded = ListArgs().load({**given, **{k: v.value for k, v in fixed.items()}})
    filters = Filters(
        **{
            name: tuple(loaded[name]) if name in LIST_PARAMS else loaded[name]
            for name in FILTER_PARAMS
            if name in loaded
        }
    )
    cursor = None
    if "cursor" in loaded:
        try:
            cursor = Cursor.decode(loaded["cursor"], loaded["sort"])
        except ValueError as error:
            raise ValidationError({"cursor": [str(error)]}) from error
    return ListQuery(
        scope=loaded["scope"],
        state=loaded["state"],
        sort=loaded["sort"],
        filters=filters,
        cursor=cursor,
        limit=loaded["limit"],
    )


def query_args(query: ListQuery, **changes: Any) -> dict[str, Any]:
    """The URL parameters that reproduce this query (without its cursor), with changes."""
    f = query.filters
    args: dict[str, Any] = {}
    if query.state is not State.ACTIVE:
        args["state"] = query.state.value
    if query.sort != DEFAULT_SORT:
        args["sort"] = query.sort
    if query.limit != PAGE_SIZE:
        args["limit"] = query.limit
    for name in FILTER_PARAMS:
        value = getattr(f, name)
        if value:
            args[name] = list(value) if name in LIST_PARAMS else str(value)
    args.update(changes)
    return {k: v for k, v in args.items() if v not in (None, "", [])}
