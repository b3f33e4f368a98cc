"""Where each read model stands: position, lag behind the log, and poison events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import Cursor
from psycopg_pool import ConnectionPool

from tf_projections.read_model import EVENTS_TABLE, ReadModel
from tf_projections.registry import READ_MODELS


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    position: int
    head: int
    lag: int
    failures: int
    last_failure: str | None

    def as_dict(self) -> dict[str, object]:
        return self.__dict__.copy()


def count_events(
    cur: Cursor[Any], topics: Sequence[str], after: int = 0, limit: int | None = None
) -> int:
    """Events of these topics after `after`; with a limit, counting stops there, so the
    cost stays bounded however far behind a read model is."""
    query = (
        f"SELECT count(*) FROM (SELECT 1 FROM {EVENTS_TABLE}"  # noqa: S608 - a constant name
        " WHERE notification_id > %s AND topic = ANY(%s) LIMIT %s) AS counted"
    )
    row = cur.execute(query, (after, list(topics), limit)).fetchone()
    return int(row[0]) if row else 0


def last_event_id(cur: Cursor[Any], topics: Sequence[str]) -> int:
    """The id of the log's last event of these topics (0 if none)."""
    row = cur.execute(
        f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}"  # noqa: S608
        " WHERE topic = ANY(%s)",
        (list(topics),),
    ).fetchone()
    return int(row[0]) if row else 0


def projection_status(pool: ConnectionPool, model_class: type[ReadModel]) -> ProjectionStatus:
    with pool.connection() as conn, conn.cursor() as cur:
        return _status(cur, model_class, lag_limit=None)


def _status(
    cur: Cursor[Any], model_class: type[ReadModel], lag_limit: int | None
) -> ProjectionStatus:
    position = model_class.position(cur) or 0
    topics = list(model_class.topics())
    failures = cur.execute(
        "SELECT count(*), max(notification_id) FROM projection_failures WHERE projection = %s",
        (model_class.name,),
    ).fetchone()
    assert failures is not None
    last = None
    if failures[0]:
        topic = cur.execute(
            "SELECT topic FROM projection_failures WHERE projection = %s AND notification_id = %s",
            (model_class.name, failures[1]),
        ).fetchone()
        last = f"event #{failures[1]} ({topic[0] if topic else '?'})"
    return ProjectionStatus(
        name=model_class.name,
        position=position,
        head=last_event_id(cur, topics),
        lag=count_events(cur, topics, after=position, limit=lag_limit),
        failures=int(failures[0]),
        last_failure=last,
    )


def all_statuses(
    pool: ConnectionPool, *, lag_limit: int | None = None, timeout: float | None = None
) -> list[ProjectionStatus]:
    """Every read model's status, on one connection. With a timeout, neither waiting for a
    connection nor any statement takes longer (psycopg raises an OperationalError)."""
    with pool.connection(timeout=timeout) as conn, conn.transaction(), conn.cursor() as cur:
        if timeout is not None:
            cur.execute(f"SET LOCAL statement_timeout = {int(timeout * 1000)}")
        return [_status(cur, model, lag_limit) for model in READ_MODELS]
