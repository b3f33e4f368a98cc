"""The ticket list: whitelisted sorts and filters over the tickets read table, paged by keyset.

Every column name and SQL fragment here is a constant chosen by a whitelisted key; values
from the request only ever travel as query parameters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from psycopg import Connection, sql
from psycopg import Cursor as PgCursor
from psycopg.errors import QueryCanceled
from psycopg.pq import TransactionStatus
from psycopg.rows import class_row
from psycopg_pool import ConnectionPool

from tf_events.tickets.workflow import CLOSED_TICKET_STATUSES
from tf_web.queries.page_token import DAMAGED, pack, unpack
from tf_web.queries.tickets import COLUMNS, TicketRow

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Scope(StrEnum):
    MINE = "mine"
    ALL = "all"


class State(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


@dataclass(frozen=True)
class SortColumn:
    label: str
    expression: str  # a constant SQL expression, indexed together with id
    attribute: str  # where the value sits on a TicketRow
    parse: Callable[[Any], Any]  # turns a cursor's JSON value back into a typed value
    directions: tuple[str, str] = ("A to Z", "Z to A")  # ascending, descending in words


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _integer(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("not an integer")
    return value


def _timestamp(value: Any) -> datetime:
    return datetime.fromisoformat(_text(value))


_OLDEST_NEWEST = ("oldest first", "newest first")
SORTS: dict[str, SortColumn] = {
    "reference": SortColumn(
        "Reference", "number", "number", _integer, ("lowest first", "highest first")
    ),
    "type": SortColumn("Type", "ticket_type_name", "ticket_type_name", _text),
    "summary": SortColumn("Summary", "summary", "summary", _text),
    "status": SortColumn("Status", "status", "status", _text),
    "task": SortColumn("Current task", "coalesce(current_task, '')", "current_task", _text),
    "submitter": SortColumn("Submitter", "submitter_username", "submitter_username", _text),
    "created": SortColumn("Created", "created_at", "created_at", _timestamp, _OLDEST_NEWEST),
    "updated": SortColumn("Last updated", "updated_at", "updated_at", _timestamp, _OLDEST_NEWEST),
}
DEFAULT_SORT = "-created"


# The current task's status, as the filter offers it: each a constant condition.
TASK_STATUSES = {
    "pending": (
        "Pending assignment",
        "current_task_status = 'OPEN' AND current_assignee IS NULL",
    ),
    "assigned": ("Assigned", "current_task_status = 'OPEN' AND current_assignee IS NOT NULL"),
    "error": ("Problem reported", "current_task_status = 'ERROR'"),
}


@dataclass(frozen=True)
class Filters:
    status: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    reference: str | None = None
    task: str | None = None
    task_status: str | None = None
    assignee: str | None = None
    submitter: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    updated_from: date | None = None
    updated_to: date | None = None
    closed_from: date | None = None
    closed_to: date | None = None
    q: str | None = None

    def any(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: the sort value and id of the row just outside it."""

    sort: str
    value: Any
    id: UUID
    backwards: bool = False  # True: the rows before this one (the previous page)

    def encode(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, datetime) else self.value
        return pack([self.sort, value, str(self.id), self.backwards])

    @classmethod
    def decode(cls, token: str, sort: str) -> Cursor:
        """Read a cursor made for this sort; ValueError for anything else."""
        made_for, value, ident, backwards = unpack(token, 4)
        if made_for != sort:
            raise ValueError("This page link belongs to another sort order.")
        column = SORTS[sort.lstrip("-")]
        try:
            return cls(sort, column.parse(value), UUID(str(ident)), bool(backwards))
        except (ValueError, TypeError) as error:
            raise ValueError(DAMAGED) from error


@dataclass(frozen=True)
class ListQuery:
    scope: Scope = Scope.MINE
    state: State = State.ACTIVE
    sort: str = DEFAULT_SORT
    filters: Filters = field(default_factory=Filters)
    cursor: Cursor | None = None
    limit: int = PAGE_SIZE

    @property
    def sort_key(self) -> str:
        return self.sort.lstrip("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")


@dataclass(frozen=True)
class Page:
    rows: list[TicketRow]
    query: ListQuery
    next: Cursor | None
    previous: Cursor | None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


_REFERENCE = re.compile(r"^(?:[A-Za-z]+-)?(\d{1,18})$")
_WORD = re.compile(r"\w+")


def search_terms(text: str, *, prefixes: bool = True) -> str | None:
    """A tsquery matching every word typed, each as a prefix (or as itself); None when no
    word is left."""
    words = _WORD.findall(text.lower())
    suffix = ":*" if prefixes else ""
    return " & ".join(f"{word}{suffix}" for word in words[:12]) or None


SEARCH_SHORTLIST = 5000
SEARCH_WALK_MS = 25


def _estimated_rows(conn: Connection[Any], where: sql.Composable, params: list[Any]) -> float:
    """How many tickets the planner expects to match `where`, from the statistics."""
    row = conn.execute(
        sql.SQL("EXPLAIN (FORMAT JSON) SELECT 1 FROM tickets WHERE {w}").format(w=where), params
    ).fetchone()
    assert row is not None
    return float(row[0][0]["Plan"]["Plan Rows"])


def _shortlist(
    conn: Connection[Any],
    where: sql.Composable,
    params: list[Any],
    *,
    search_index: bool = False,
    timeout_ms: int | None = None,
) -> list[UUID] | None:
    """The ids of every ticket matching `where`, when there are at most SEARCH_SHORTLIST
    (found within `timeout_ms` if not None); else None. With `search_index`, through the
    search index only: the one index that finds a few matches of words quickly."""
    settings = {"enable_seqscan": "off", "enable_indexscan": "off"} if search_index else {}
    try:
        with conn.transaction(), conn.cursor() as cur:
            _set_locally(cur, settings, timeout_ms)
            rows = cur.execute(
                sql.SQL("SELECT id FROM tickets WHERE {w} LIMIT %s").format(w=where),
                [*params, SEARCH_SHORTLIST + 1],
                prepare=False,  # see _fetch
            ).fetchall()
    except QueryCanceled:
        _end_cancelled(conn)
        return None
    return None if len(rows) > SEARCH_SHORTLIST else [row[0] for row in rows]


def _end_cancelled(conn: Connection[Any]) -> None:
    # A timeout can also cancel the COMMIT, which leaves the transaction failed rather
    # than rolled back (seen under load): end it before going on.
    if conn.info.transaction_status is not TransactionStatus.IDLE:
        conn.rollback()


def _walk(
    conn: Connection[Any],
    cur: PgCursor[TicketRow],
    statement: sql.Composed,
    params: list[Any],
    timeout_ms: int | None,
) -> list[TicketRow]:
    """The query answered by walking the sort order's index and filtering as it goes
    (no bitmap of every match first), given `timeout_ms` to answer if not None."""
    with conn.transaction():
        # The search index is bitmap-only.
        _set_locally(cur, {"enable_bitmapscan": "off", "enable_seqscan": "off"}, timeout_ms)
        return _fetch(cur, statement, params)


def _set_locally(cur: PgCursor[Any], settings: dict[str, str], timeout_ms: int | None) -> None:
    """SET LOCAL each setting (and the statement timeout, if any), in one round trip
    rather than one each."""
    if timeout_ms is not None:
        settings = {**settings, "statement_timeout": str(int(timeout_ms))}
    if settings:
        calls = sql.SQL(", ").join(
            sql.SQL("set_config({}, {}, true)").format(sql.Literal(name), sql.Literal(value))
            for name, value in settings.items()
        )
        cur.execute(sql.SQL("SELECT {}").format(calls), prepare=False)


def _fetch(cur: PgCursor[TicketRow], statement: sql.Composed, params: list[Any]) -> list[TicketRow]:
    # A search or a shortlist is never prepared: after a few runs PostgreSQL would keep
    # one generic plan for every word and id list, blind to how many match (a page of two
    # common words went from 3 ms to 15 ms). A plain sort keeps its prepared plan.
    return cur.execute(statement, params, prepare=False).fetchall()


def _rows(conn: Connection[Any], query: ListQuery, user_id: UUID | None) -> list[TicketRow]:
    statement, params = _statement(query, user_id, None)
    terms = search_terms(query.filters.q or "")
    with conn.cursor(row_factory=class_row(TicketRow)) as cur:
        if not terms:
            few = _filtered_ids(conn, query, user_id) if _range_off_the_sort(query) else None
            if few is None:
                return cur.execute(statement, params).fetchall()
            return _fetch(cur, *_statement(query, user_id, few))
        # Walking the sort order finds a page of common words at once but reads most of
        # the table for rare ones; a bitmap of every match is the reverse. Words the
        # statistics call common together are walked for a moment; if that is not enough,
        # the matches are few after all (the statistics take words to be independent, and
        # typed together they may be rare): fetch them through the search index and sort
        # those. Either way, past a moment, walk to the end.
        words = search_terms(query.filters.q or "", prefixes=False) or terms
        search = sql.SQL("search @@ to_tsquery('simple', %s)")
        if _estimated_rows(conn, search, [words]) > SEARCH_SHORTLIST:
            rows = _walk_briefly(conn, cur, statement, params)
            if rows is not None:
                return rows
        tab = sql.SQL(TABS[query.state])
        shortlist = _shortlist(
            conn,
            sql.SQL("{tab} AND {search}").format(tab=tab, search=search),
            [terms],
            search_index=True,
            timeout_ms=SEARCH_WALK_MS,
        )
        if shortlist is None:  # many matches after all, spread thinly: walk to the end
            return _walk(conn, cur, statement, params, None)
        statement, params = _statement(query, user_id, shortlist)
        return _fetch(cur, statement, params)


# The date filters, by the sort whose column they range over.
_RANGES = {
    "created": ("created_from", "created_to"),
    "updated": ("updated_from", "updated_to"),
    "closed": ("closed_from", "closed_to"),
}


def _range_off_the_sort(query: ListQuery) -> bool:
    """A date range on another column than the sort's: its matches may all sit at the far
    end of the sort order (updated two years ago, newest created first), where a walk
    along it finds them last, though the planner expects them spread evenly."""
    f = query.filters
    return any(
        key != query.sort_key and (getattr(f, start) or getattr(f, end))
        for key, (start, end) in _RANGES.items()
    )


def _filtered_ids(
    conn: Connection[Any], query: ListQuery, user_id: UUID | None
) -> list[UUID] | None:
    """The ids of every ticket the filters match, when the statistics say they are few
    (and they are); else None."""
    clauses, params = _where(query, user_id, None)
    where = sql.SQL(" AND ").join(clauses)
    if _estimated_rows(conn, where, params) > SEARCH_SHORTLIST:
        return None
    return _shortlist(conn, where, params)


def _walk_briefly(
    conn: Connection[Any], cur: PgCursor[TicketRow], statement: sql.Composed, params: list[Any]
) -> list[TicketRow] | None:
    """The walk, or None when it found no page within SEARCH_WALK_MS."""
    try:
        return _walk(conn, cur, statement, params, SEARCH_WALK_MS)
    except QueryCanceled:
        _end_cancelled(conn)
        return None


# Each tab's condition as a constant, so the planner can use the tab's partial indexes
# (schema/read/tickets.sql repeats these predicates word for word).
_CLOSED = ", ".join(f"'{status}'" for status in CLOSED_TICKET_STATUSES)
TABS = {State.ACTIVE: f"status NOT IN ({_CLOSED})", State.CLOSED: f"status IN ({_CLOSED})"}


def _statuses(query: ListQuery) -> list[tuple[str, list[str]] | tuple[str]]:
    """The conditions of the query's tab and status filter, as SQL and value."""
    tab: tuple[str] = (TABS[query.state],)
    if not query.filters.status:
        return [tab]
    closed = query.state is State.CLOSED
    wanted = [s for s in query.filters.status if (s in CLOSED_TICKET_STATUSES) == closed]
    # A closed status on the Active tab (or the reverse) matches nothing: say so to the
    # planner rather than let it scan for it.
    return [tab, ("status = ANY(%s)", wanted) if wanted else ("false",)]


def _where(
    query: ListQuery, user_id: UUID | None, search_ids: list[UUID] | None
) -> tuple[list[sql.Composable], list[Any]]:
    f = query.filters
    clauses: list[sql.Composable] = []
    params: list[Any] = []

    def add(clause: str, *values: Any) -> None:
        clauses.append(sql.SQL(clause))
        params.extend(values)

    if query.scope is Scope.MINE:
        add("submitter_id = %s", user_id)
    for condition in _statuses(query):
        add(*condition)
    if len(f.type) == 1:  # so an index on (type, created) gives the rows in order
        add("ticket_type_key = %s", f.type[0])
    elif f.type:
        add("ticket_type_key = ANY(%s)", list(f.type))
    if f.reference:
        match = _REFERENCE.match(f.reference.strip())
        add("number = %s", int(match.group(1)) if match else -1)
    if f.task:
        add("coalesce(current_task, '') = %s", f.task)  # as indexed
    if f.task_status:
        add(TASK_STATUSES[f.task_status][1])
    if f.assignee:
        add("current_assignee = %s", f.assignee)
    if f.submitter:
        add("submitter_username = %s", f.submitter)
    if f.created_from:
        add("created_at >= %s", _day_start(f.created_from))
    if f.created_to:
        add("created_at < %s", _day_start(f.created_to + timedelta(days=1)))
    if f.updated_from:
        add("updated_at >= %s", _day_start(f.updated_from))
    if f.updated_to:
        add("updated_at < %s", _day_start(f.updated_to + timedelta(days=1)))
    if f.closed_from:
        add("closed_at >= %s", _day_start(f.closed_from))
    if f.closed_to:
        add("closed_at < %s", _day_start(f.closed_to + timedelta(days=1)))
    # A ticket is created before it is closed or last updated. Said to the planner, an end
    # of those ranges lets a walk along the created order start near its matches instead
    # of walking past every newer ticket (a day's margin: clocks of two hosts may differ).
    if ends := [d for d in (f.updated_to, f.closed_to) if d]:
        end = _day_start(min(ends) + timedelta(days=1))
        add("created_at < %s::timestamptz + interval '1 day'", end)  # no overflow at 9999
    if search_ids is not None:
        add("id = ANY(%s)", search_ids)
    elif f.q and (terms := search_terms(f.q)):
        add("search @@ to_tsquery('simple', %s)", terms)
    return clauses, params


def list_tickets(pool: ConnectionPool, query: ListQuery, user_id: UUID | None) -> Page:
    """One page of tickets in the query's order, and cursors to the pages either side."""
    with pool.connection() as conn:
        rows = _rows(conn, query, user_id)
    return _page(query, rows)


def _statement(
    query: ListQuery, user_id: UUID | None, search_ids: list[UUID] | None
) -> tuple[sql.Composed, list[Any]]:
    expression = sql.SQL(SORTS[query.sort_key].expression)
    clauses, params = _where(query, user_id, search_ids)
    cursor = query.cursor
    backwards = cursor is not None and cursor.backwards
    # Walking backwards reads the reversed order and flips the rows afterwards.
    descending = query.descending != backwards
    if cursor is not None:
        comparison = "<" if descending else ">"
        clauses.append(
            sql.SQL("({e}, id) {op} (%s, %s)").format(e=expression, op=sql.SQL(comparison))
        )
        params.extend([cursor.value, cursor.id])
    direction = sql.SQL("DESC" if descending else "ASC")
    statement = sql.SQL(
        "SELECT {columns} FROM tickets WHERE {where} ORDER BY {e} {d}, id {d} LIMIT %s"
    ).format(
        columns=sql.SQL(COLUMNS),
        where=sql.SQL(" AND ").join(clauses) if clauses else sql.SQL("true"),
        e=expression,
        d=direction,
    )
    params.append(query.limit + 1)  # one more than a page: is there a next one?
    return statement, params


def _page(query: ListQuery, rows: list[TicketRow]) -> Page:
    column = SORTS[query.sort_key]
    cursor = query.cursor
    backwards = cursor is not None and cursor.backwards
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    if backwards:
        rows.reverse()
    if not rows:
        return Page(rows, query, None, None)

    def at(row: TicketRow, before: bool) -> Cursor:
        value = getattr(row, column.attribute)
        return Cursor(query.sort, "" if value is None else value, row.id, before)

    has_next = more if not backwards else True
    has_previous = more if backwards else cursor is not None
    return Page(
        rows,
        query,
        next=at(rows[-1], False) if has_next else None,
        previous=at(rows[0], True) if has_previous else None,
    )
