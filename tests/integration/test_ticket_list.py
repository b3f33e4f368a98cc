"""The ticket list query: every sort, every filter, keyset paging, and the URL whitelist.

Rows are written straight into the read table so that dates, names and statuses can be
chosen; what the projection writes is covered by the projection tests.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest
from marshmallow import ValidationError
from psycopg.types.json import Jsonb
from werkzeug.datastructures import MultiDict

from tf_web.queries.ticket_list import (
    SORTS,
    Cursor,
    Filters,
    ListQuery,
    Scope,
    State,
    list_tickets,
)
from tf_web.tickets.list_args import parse_list_args

ANA = uuid.uuid4()
PEOPLE = {"ana": ANA, "bo": uuid.uuid4(), "cy": uuid.uuid4()}
DAY = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

# reference number, type, summary, status, task, submitter, created day, updated day, data
ROWS = [
    (1001, "Laptop", "Broken screen", "IN_PROCESS", "Triage", "ana", 0, 5, {"model": "X1"}),
    (1002, "Printer", "Out of toner", "IN_PROCESS", None, "bo", 1, 1, {"floor": 3}),
    (1003, "Laptop", "Needs more memory", "COMPLETED", "Approve", "ana", 2, 9, {"model": "T14"}),
    (1004, "Access", "VPN access for Ana", "IN_PROCESS", "Approve", "cy", 3, 3, {"note": "Über"}),
    (1005, "Printer", "Paper jam", "COMPLETED", "Triage", "bo", 4, 4, {"floor": 12}),
]


def insert(conn, number, type_name, summary, status, task, who, created, updated, data):
    conn.execute(
        "INSERT INTO tickets (id, reference, number, ticket_type_key, ticket_type_name,"
        " ticket_type_version, workflow_key, workflow_version, status, current_task,"
        " current_task_status, submitter_id, submitter_username, summary, data, channel,"
        " created_at, updated_at, version)"
        " VALUES (%s, %s, %s, %s, %s, 1, 'wf', 1, %s, %s, 'OPEN', %s, %s, %s, %s, 'web',"
        " %s, %s, 1)",
        (
            uuid.uuid4(),
            f"TF-{number}",
            number,
            type_name.lower(),
            type_name,
            status,
            task,
            PEOPLE[who],
            who,
            summary,
            Jsonb(data),
            DAY + timedelta(days=created),
            DAY + timedelta(days=updated),
        ),
    )


@pytest.fixture
def pool(system):
    with system.pool.connection() as conn:
        for row in ROWS:
            insert(conn, *row)
    return system.pool


def refs(pool, user=ANA, **kwargs) -> list[str]:
    query = ListQuery(**{"scope": Scope.ALL, **kwargs})
    return [row.reference[3:] for row in list_tickets(pool, query, user).rows]


def everything(pool, sort: str) -> list[str]:
    return refs(pool, sort=sort, state=State.ACTIVE) + refs(pool, sort=sort, state=State.CLOSED)


def test_active_and_closed_split_the_tickets(pool):
    assert refs(pool, sort="reference") == ["1001", "1002", "1004"]
    assert refs(pool, sort="reference", state=State.CLOSED) == ["1003", "1005"]


def test_mine_shows_only_the_users_own_tickets(pool):
    assert refs(pool, scope=Scope.MINE, sort="reference") == ["1001"]
    assert refs(pool, scope=Scope.MINE, sort="reference", state=State.CLOSED) == ["1003"]
    assert refs(pool, scope=Scope.MINE, user=uuid.uuid4()) == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("reference", ["1001", "1002", "1004"]),
        ("type", ["1004", "1001", "1002"]),
        ("summary", ["1001", "1002", "1004"]),
        ("task", ["1002", "1004", "1001"]),  # no task sorts first
        ("submitter", ["1001", "1002", "1004"]),
        ("created", ["1001", "1002", "1004"]),
        ("updated", ["1002", "1004", "1001"]),
    ],
)
def test_every_column_sorts_both_ways(pool, sort, expected):
    assert refs(pool, sort=sort) == expected
    assert refs(pool, sort=f"-{sort}") == expected[::-1]


def test_status_sorts_both_ways(pool, system):
    with system.pool.connection() as conn:  # a second active status, as later workflows have
        insert(conn, 1006, "Access", "Waiting", "ON_HOLD", None, "ana", 5, 5, {})
    by_status = refs(pool, sort="status")
    assert by_status[-1] == "1006"
    assert sorted(by_status[:-1]) == ["1001", "1002", "1004"]
    assert refs(pool, sort="-status")[0] == "1006"


def test_every_sortable_column_is_tested():
    tested = {"reference", "type", "summary", "task", "submitter", "created", "updated"}
    assert tested | {"status"} == set(SORTS)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(status=("COMPLETED",)), ["1003", "1005"]),
        (Filters(status=("IN_PROCESS", "COMPLETED")), ["1001", "1002", "1003", "1004", "1005"]),
        (Filters(type=("printer",)), ["1002", "1005"]),
        (Filters(type=("printer", "access")), ["1002", "1004", "1005"]),
        (Filters(reference="TF-1003"), ["1003"]),
        (Filters(reference="1003"), ["1003"]),
        (Filters(reference="nonsense"), []),
        (Filters(task="Approve"), ["1003", "1004"]),
        (Filters(submitter="bo"), ["1002", "1005"]),
        (Filters(created_from=date(2026, 3, 3)), ["1003", "1004", "1005"]),
        (Filters(created_to=date(2026, 3, 2)), ["1001", "1002"]),
        (Filters(created_from=date(2026, 3, 2), created_to=date(2026, 3, 3)), ["1002", "1003"]),
        (Filters(updated_from=date(2026, 3, 6)), ["1001", "1003"]),
        (Filters(updated_to=date(2026, 3, 4)), ["1002", "1004"]),
        (Filters(q="toner"), ["1002"]),  # a word of the summary
        (Filters(q="t14"), ["1003"]),  # a string in the data
        (Filters(q="12"), ["1005"]),  # a number in the data
        (Filters(q="über"), ["1004"]),  # not just ASCII
        (Filters(q="mem"), ["1003"]),  # words match as prefixes
        (Filters(q="paper jam"), ["1005"]),  # every word must match
        (Filters(q="tf-1004"), ["1004"]),  # the reference itself
        (Filters(q="'&|!:*()"), ["1001", "1002", "1003", "1004", "1005"]),  # no words: no filter
        (Filters(type=("laptop",), submitter="ana", task="Triage"), ["1001"]),
    ],
)
def test_every_filter_narrows_the_list(pool, filters, expected):
    found = [
        *refs(pool, sort="reference", filters=filters),
        *refs(pool, sort="reference", filters=filters, state=State.CLOSED),
    ]
    assert sorted(found) == expected


@pytest.mark.parametrize("q", ["toner", "t14", "paper jam", "über", "x"])
def test_a_search_finds_the_same_tickets_whichever_way_it_is_answered(pool, monkeypatch, q):
    from psycopg.errors import QueryCanceled

    from tf_web.queries import ticket_list

    walk = ticket_list._walk

    def walk_too_long(*args):
        if args[-1] is not None:  # a walk with a time limit
            raise QueryCanceled("as if the walk along the sort order took too long")
        return walk(*args)

    shortlisted_at_once = refs(pool, sort="-created", filters=Filters(q=q))  # rare, says ANALYZE
    shortlist = ticket_list._shortlist

    monkeypatch.setattr(ticket_list, "_shortlist", lambda *args, **kwargs: None)
    walked_after_the_probe = refs(pool, sort="-created", filters=Filters(q=q))
    monkeypatch.setattr(ticket_list, "_shortlist", shortlist)
    monkeypatch.setattr(ticket_list, "_estimated_rows", lambda conn, where, params: 1e9)
    walked = refs(pool, sort="-created", filters=Filters(q=q))
    monkeypatch.setattr(ticket_list, "_walk", walk_too_long)
    shortlisted = refs(pool, sort="-created", filters=Filters(q=q))
    monkeypatch.setattr(ticket_list, "SEARCH_SHORTLIST", 0)  # and too many to shortlist
    walked_to_the_end = refs(pool, sort="-created", filters=Filters(q=q))
    assert shortlisted_at_once == walked_after_the_probe == walked
    assert walked == shortlisted == walked_to_the_end


def test_words_common_together_are_walked_before_any_shortlist(pool, monkeypatch):
    """Several words the statistics call common together: walking the sort order finds
    their page at once, and fetching every match first would cost more than the page."""
    from tf_web.queries import ticket_list

    calls: list[str] = []
    walk, shortlist = ticket_list._walk, ticket_list._shortlist
    monkeypatch.setattr(ticket_list, "_estimated_rows", lambda conn, where, params: 1e9)
    monkeypatch.setattr(ticket_list, "_walk", lambda *a: calls.append("walk") or walk(*a))
    monkeypatch.setattr(
        ticket_list, "_shortlist", lambda *a, **k: calls.append("shortlist") or shortlist(*a, **k)
    )
    closed = {"sort": "-created", "state": State.CLOSED}
    assert refs(pool, **closed, filters=Filters(q="paper jam")) == ["1005"]
    assert calls == ["walk"]


def test_list_statements_are_planned_for_their_own_values(pool):
    """Never a prepared statement: PostgreSQL would soon keep one generic plan for every
    search word and filter value (a page of two common words went from 3 to 15 ms)."""
    from tf_web.queries import ticket_list

    query = ListQuery(scope=Scope.ALL, state=State.CLOSED, filters=Filters(q="paper jam"))
    with pool.connection() as conn:
        for _ in range(10):
            ticket_list._rows(conn, query, ANA)
        prepared = conn.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT id,%'"
        ).fetchone()
    assert prepared == (0,)


def paged(pool, **kwargs) -> list[str]:
    """Every page of the query, two rows a page, followed by its cursors."""
    query = ListQuery(**{"scope": Scope.ALL, "limit": 2, **kwargs})
    page = list_tickets(pool, query, ANA)
    found = [row.reference[3:] for row in page.rows]
    while page.next:
        page = list_tickets(pool, ListQuery(**{**query.__dict__, "cursor": page.next}), ANA)
        found += [row.reference[3:] for row in page.rows]
    return found


@pytest.mark.parametrize(
    "filters",
    [
        Filters(updated_from=date(2026, 3, 4)),
        Filters(updated_to=date(2026, 3, 5)),
        Filters(created_from=date(2026, 3, 2), updated_to=date(2026, 3, 6)),
        Filters(updated_from=date(2030, 1, 1)),  # none at all
    ],
)
@pytest.mark.parametrize("sort", ["-created", "reference", "-summary"])
def test_a_date_range_off_the_sort_finds_the_same_pages_either_way(
    pool, monkeypatch, filters, sort
):
    """Its few matches are fetched first and then sorted; walking the sort order, as the
    planner would, gives the same pages."""
    from tf_web.queries import ticket_list

    for state in State:
        shortlisted = paged(pool, sort=sort, filters=filters, state=state)
        with monkeypatch.context() as m:
            m.setattr(ticket_list, "_filtered_ids", lambda conn, query, user_id: None)
            walked = paged(pool, sort=sort, filters=filters, state=state)
        assert shortlisted == walked, (state, sort)


def test_a_walk_cancelled_while_committing_leaves_the_connection_usable(pool, monkeypatch):
    """The walk's time limit can cancel its COMMIT, which leaves the transaction failed
    (seen under load as a 500): the shortlist that follows must still run."""
    from psycopg.errors import QueryCanceled

    from tf_web.queries import ticket_list

    walk = ticket_list._walk

    def cancelled_at_commit(conn, *args):
        if args[-1] is not None:
            conn.execute("BEGIN")
            with contextlib.suppress(psycopg.errors.DivisionByZero):
                conn.execute("SELECT 1 / 0")  # the transaction is now failed, not ended
            raise QueryCanceled("canceling statement due to statement timeout")
        return walk(conn, *args)

    expected = refs(pool, sort="-created", filters=Filters(q="toner"))
    monkeypatch.setattr(ticket_list, "_estimated_rows", lambda conn, where, params: 1e9)
    monkeypatch.setattr(ticket_list, "_walk", cancelled_at_commit)
    assert refs(pool, sort="-created", filters=Filters(q="toner")) == expected == ["1002"]


def test_a_status_of_the_other_tab_finds_nothing(pool):
    assert refs(pool, filters=Filters(status=("COMPLETED",))) == []
    assert refs(pool, state=State.CLOSED, filters=Filters(status=("IN_PROCESS",))) == []


def test_keyset_pages_cover_every_ticket_once_in_both_directions(pool):
    for sort in [*SORTS, *(f"-{key}" for key in SORTS)]:
        whole = everything(pool, sort)
        walked: list[str] = []
        for state in State:
            query = ListQuery(scope=Scope.ALL, state=state, sort=sort, limit=2)
            page = list_tickets(pool, query, ANA)
            pages = [page]
            while page.next:
                page = list_tickets(pool, ListQuery(**{**query.__dict__, "cursor": page.next}), ANA)
                pages.append(page)
            walked += [row.reference[3:] for p in pages for row in p.rows]
            # ...and back again with the "previous" cursors, to the first page.
            while page.previous:
                back = ListQuery(**{**query.__dict__, "cursor": page.previous})
                page = list_tickets(pool, back, ANA)
                pages.pop()
                assert page.rows == pages[-1].rows, sort
            assert page.previous is None
        assert walked == whole, sort


def test_pages_stay_stable_while_tickets_are_added(pool, system):
    query = ListQuery(scope=Scope.ALL, sort="-created", limit=2)
    first = list_tickets(pool, query, ANA)
    with system.pool.connection() as conn:
        for n in range(2000, 2005):
            insert(conn, n, "Laptop", "New", "IN_PROCESS", None, "ana", 10, 10, {})
    second = list_tickets(pool, ListQuery(**{**query.__dict__, "cursor": first.next}), ANA)
    seen = [row.reference for row in first.rows + second.rows]
    assert seen == ["TF-1004", "TF-1002", "TF-1001"]  # nothing repeated, nothing skipped


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"sort": "password"}, "sort"),
        ({"sort": "created; DROP TABLE tickets"}, "sort"),
        ({"status": "OPENED"}, "status"),
        ({"type": "Robert'); --"}, "type"),
        ({"created_from": "yesterday"}, "created_from"),
        ({"created_from": "2026-03-05", "created_to": "2026-03-01"}, "created_to"),
        ({"limit": "100000"}, "limit"),
        ({"state": "deleted"}, "state"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"order_by": "id"}, "order_by"),
        ({"q": ["a", "b"]}, "q"),
        ({"q": "nul\x00byte"}, "q"),
        ({"q": "%"}, "q"),
        ({"updated_from": "2026-03-05", "updated_to": "2026-03-01"}, "updated_from"),
        ({"submitter": "bo\x00"}, "submitter"),
        (
            {"sort": "summary", "cursor": Cursor("summary", "a\x00", uuid.uuid4()).encode()},
            "cursor",
        ),
        (
            {"sort": "summary", "cursor": Cursor("summary", "a\ud800", uuid.uuid4()).encode()},
            "cursor",
        ),
        ({"created_to": "9999-12-31"}, "created_to"),
        ({"updated_to": "9999-12-31"}, "updated_to"),
        ({"task": "\x1b[2J"}, "task"),
    ],
)
def test_anything_outside_the_whitelist_is_refused_by_name(args, field):
    with pytest.raises(ValidationError) as refused:
        parse_list_args(MultiDict(args), scope=Scope.ALL)
    assert field in refused.value.normalized_messages()


def test_a_cursor_made_for_another_sort_is_refused():
    token = Cursor("-created", DAY, uuid.uuid4()).encode()
    assert parse_list_args(MultiDict({"sort": "-created", "cursor": token})).cursor is not None
    with pytest.raises(ValidationError, match="another sort"):
        parse_list_args(MultiDict({"sort": "summary", "cursor": token}))


def test_a_page_fixes_its_scope():
    with pytest.raises(ValidationError):
        parse_list_args(MultiDict({"scope": "all"}), scope=Scope.MINE)


def test_empty_form_boxes_mean_no_filter():
    query = parse_list_args(MultiDict([("q", ""), ("type", ""), ("status", "COMPLETED")]))
    assert query.filters == Filters(status=("COMPLETED",))


@pytest.mark.parametrize("state", list(State))
def test_each_tab_walks_its_own_partial_index(pool, state):
    """The tab's condition is the partial indexes' predicate word for word; otherwise the
    planner cannot use them and a walk steps over the other tab's tickets."""
    from psycopg import sql

    from tf_web.queries.ticket_list import _statement

    query = ListQuery(scope=Scope.ALL, state=state, sort="summary")
    statement, params = _statement(query, None, None)
    with pool.connection() as conn, conn.transaction():
        conn.execute("SET LOCAL enable_seqscan = off")
        conn.execute("SET LOCAL enable_sort = off")
        plan = "\n".join(row[0] for row in conn.execute(sql.SQL("EXPLAIN ") + statement, params))
    assert f"tickets_{state.value}_by_summary" in plan
