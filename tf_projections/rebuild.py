"""Rebuild read tables from the event log, in one transaction per read model."""

from __future__ import annotations

from typing import Any

from psycopg import Connection, sql
from psycopg_pool import ConnectionPool
from tqdm import tqdm

from tf_events.application import TicketFlower
from tf_projections.read_model import ReadModel, advisory_key
from tf_projections.status import count_events

PAGE_SIZE = 2000


def rebuild(
    model_class: type[ReadModel], app: TicketFlower, pool: ConnectionPool, *, progress: bool = False
) -> int:
    """Drop the model's tables, re-create them from schema/, and replay every event.

    Readers wait on the dropped tables' lock until the rebuild commits, so they never see
    a half-built table; a live worker waits on the same advisory lock and then skips what
    the rebuild applied. Returns the events replayed.
    """
    with pool.connection() as conn:
        return rebuild_on(conn, model_class, app, progress=progress)


def rebuild_on(
    conn: Connection[Any],
    model_class: type[ReadModel],
    app: TicketFlower,
    *,
    progress: bool = False,
) -> int:
    """`rebuild` on the caller's connection, in a transaction of its own."""
    model = model_class(app.mapper)
    topics = model.topics()
    replayed = 0
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (advisory_key(f"apply:{model.name}"),))
        for table in (*model.tables, model.tracking_table()):
            cur.execute(sql.SQL("DROP TABLE IF EXISTS {t}").format(t=sql.Identifier(table)))
        cur.execute("DELETE FROM projection_failures WHERE projection = %s", (model.name,))
        model.create_tables(cur)
        total = count_events(cur, topics)
        bar: Any = tqdm(total=total, desc=model.name, unit="ev", disable=not progress)
        with bar:
            start = 0
            while page := app.recorder.select_notifications(
                start, PAGE_SIZE, topics=topics, inclusive_of_start=False
            ):
                model.apply_batch(conn, page)
                start = page[-1].id
                replayed += len(page)
                bar.update(len(page))
    return replayed
