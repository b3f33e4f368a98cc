"""Rebuild a read model from the event log beside the live tables, then swap it in.

The new tables are built in a schema of their own while readers and the live worker go on
using the old ones. Secondary indexes are made after the replay (faster than keeping them
up to date row by row). The swap, under the projection's lock, applies the events that
arrived meanwhile and moves the new tables into place in one short transaction, so readers
wait only for the swap and never see a half-built table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from eventsourcing.persistence import Notification
from psycopg import Connection, Cursor, sql
from psycopg_pool import ConnectionPool
from tqdm import tqdm

from tf_events.application import TicketFlower
from tf_projections.read_model import ReadModel, advisory_key
from tf_projections.status import count_events

# Events applied per transaction. A read model that applies a batch at once (tickets) reads
# and rewrites a ticket once per page whatever number of its events the page holds: a
# larger page finishes more tickets' lives in one go.
PAGE_SIZE = 10_000
LIVE_SCHEMA = "public"


def rebuild(
    model_class: type[ReadModel],
    app: TicketFlower,
    pool: ConnectionPool,
    *,
    progress: bool = False,
    on_page: Callable[[int], None] = lambda _: None,
) -> int:
    """Rebuild the model's tables from every event; returns the events replayed."""
    with pool.connection() as conn:
        return rebuild_on(conn, model_class, app, progress=progress, on_page=on_page)


def rebuild_on(
    conn: Connection[Any],
    model_class: type[ReadModel],
    app: TicketFlower,
    *,
    progress: bool = False,
    on_page: Callable[[int], None] = lambda _: None,
) -> int:
    """`rebuild` on the caller's autocommit connection.

    One rebuild of a read model at a time: a second waits for the first, then rebuilds
    again from the log."""
    model = model_class(app.mapper)
    shadow = f"rebuild_{model.name}"
    lock = advisory_key(f"rebuild:{model.name}")
    conn.execute("SELECT pg_advisory_lock(%s)", (lock,))
    try:
        deferred = _create_shadow(conn, model, shadow)
        try:
            replayed = _replay(conn, model, app, shadow, progress, on_page)
            with conn.transaction(), conn.cursor() as cur:
                _use(cur, shadow)
                for statement in deferred:
                    cur.execute(statement)
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(
                    "SELECT pg_advisory_xact_lock(%s)", (advisory_key(f"apply:{model.name}"),)
                )
                _use(cur, shadow)
                replayed += _catch_up(conn, model, app)
                _swap(cur, model, shadow)
            return replayed
        finally:
            conn.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {s} CASCADE").format(s=sql.Identifier(shadow))
            )
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (lock,))


def _create_shadow(conn: Connection[Any], model: ReadModel, shadow: str) -> list[str]:
    """Empty tables for the model in a schema of their own, without their secondary
    indexes; returns the statements that make those indexes."""
    with conn.transaction(), conn.cursor() as cur:
        _use(cur, shadow)
        cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {s} CASCADE").format(s=sql.Identifier(shadow)))
        cur.execute(sql.SQL("CREATE SCHEMA {s}").format(s=sql.Identifier(shadow)))
        # Poison events found during the replay are set aside here until the swap.
        cur.execute(
            sql.SQL(
                "CREATE TABLE {s}.projection_failures"
                " (LIKE public.projection_failures INCLUDING ALL)"
            ).format(s=sql.Identifier(shadow))
        )
        model.create_tables(cur)
        return _drop_secondary_indexes(cur, shadow)


def _use(cur: Cursor[Any], shadow: str) -> None:
    """Until the transaction ends, unqualified names in the model's SQL mean the shadow
    tables (SET LOCAL: a pooled connection never keeps it)."""
    cur.execute(
        sql.SQL("SET LOCAL search_path = {s}, {live}").format(
            s=sql.Identifier(shadow), live=sql.Identifier(LIVE_SCHEMA)
        )
    )


def _drop_secondary_indexes(cur: Cursor[Any], shadow: str) -> list[str]:
    """Drop the indexes no constraint needs; returns the statements that re-create them."""
    rows = cur.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
        " JOIN pg_class i ON i.oid = x.indexrelid"
        " JOIN pg_namespace n ON n.oid = i.relnamespace"
        " WHERE n.nspname = %s AND NOT EXISTS"
        " (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        (shadow,),
    ).fetchall()
    for name, _ in rows:
        cur.execute(
            sql.SQL("DROP INDEX {s}.{i}").format(s=sql.Identifier(shadow), i=sql.Identifier(name))
        )
    return [definition for _, definition in rows]


def _replay(
    conn: Connection[Any],
    model: ReadModel,
    app: TicketFlower,
    shadow: str,
    progress: bool,
    on_page: Callable[[int], None],
) -> int:
    topics = model.topics()
    with conn.cursor() as cur:
        total = count_events(cur, topics)
    replayed = 0
    bar: Any = tqdm(total=total, desc=model.name, unit="ev", disable=not progress)
    with bar:
        for page in _pages(app, topics):
            with conn.transaction(), conn.cursor() as cur:
                _use(cur, shadow)
                model.apply_batch(conn, page, live=False)
            replayed += len(page)
            bar.update(len(page))
            on_page(replayed)
    return replayed


def _pages(
    app: TicketFlower, topics: Sequence[str], after: int = 0
) -> Iterator[Sequence[Notification]]:
    """The log's events of these topics after `after`, a page at a time. The next page is
    read (by PostgreSQL, on its own connection) while the caller applies this one."""
    with ThreadPoolExecutor(1, thread_name_prefix="rebuild-read") as reader:

        def read(after: int) -> Sequence[Notification]:
            return app.recorder.select_notifications(
                after, PAGE_SIZE, topics=topics, inclusive_of_start=False
            )

        pending = reader.submit(read, after)
        while page := pending.result():
            pending = reader.submit(read, page[-1].id)
            yield page


def _catch_up(conn: Connection[Any], model: ReadModel, app: TicketFlower) -> int:
    """Apply what was recorded during the replay (inside the swap's transaction)."""
    applied = 0
    with conn.cursor() as cur:
        start = model.position(cur) or 0
    for page in _pages(app, model.topics(), start):
        model.apply_batch(conn, page, live=False)
        applied += len(page)
    return applied


def _swap(cur: Cursor[Any], model: ReadModel, shadow: str) -> None:
    s = sql.Identifier(shadow)
    for table in (*model.tables, model.tracking_table()):
        t = sql.Identifier(table)
        cur.execute(sql.SQL("DROP TABLE IF EXISTS public.{t}").format(t=t))
        cur.execute(sql.SQL("ALTER TABLE {s}.{t} SET SCHEMA public").format(s=s, t=t))
    cur.execute("DELETE FROM public.projection_failures WHERE projection = %s", (model.name,))
    cur.execute(
        sql.SQL(
            "INSERT INTO public.projection_failures SELECT * FROM {s}.projection_failures"
        ).format(s=s)
    )
    model.record_schema(cur)
    cur.execute(sql.SQL("SET LOCAL search_path = {live}").format(live=sql.Identifier(LIVE_SCHEMA)))
    position = model.position(cur)
    if position is not None:
        model.record_position(cur, position)  # tells waiting readers where the tables are
