"""Where each read model stands: position, lag behind the log, and poison events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import Cursor
from psycopg_pool import ConnectionPool

from tf_projections.read_model import APPLICATION_NAME, ReadModel
from tf_projections.registry import READ_MODELS

EVENTS_TABLE = f"{APPLICATION_NAME}_events"


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


def count_events(cur: Cursor[Any], topics: Sequence[str], after: int = 0) -> int:
    row = cur.execute(
        f"SELECT count(*) FROM {EVENTS_TABLE}"  # noqa: S608 - a constant table name
        " WHERE notification_id > %s AND topic = ANY(%s)",
        (after, list(topics)),
    ).fetchone()
    return int(row[0]) if row else 0


def projection_status(pool: ConnectionPool, model_class: type[ReadModel]) -> ProjectionStatus:
    with pool.connection() as conn, conn.cursor() as cur:
        position = model_class.position(cur) or 0
        topics = list(model_class.topics())
        head_row = cur.execute(
            f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}"  # noqa: S608
            " WHERE topic = ANY(%s)",
            (topics,),
        ).fetchone()
        failures = cur.execute(
            "SELECT count(*), max(notification_id) FROM projection_failures WHERE projection = %s",
            (model_class.name,),
        ).fetchone()
        assert head_row is not None and failures is not None
        last = None
        if failures[0]:
            topic = cur.execute(
                "SELECT topic FROM projection_failures"
                " WHERE projection = %s AND notification_id = %s",
                (model_class.name, failures[1]),
            ).fetchone()
            last = f"event #{failures[1]} ({topic[0] if topic else '?'})"
        return ProjectionStatus(
            name=model_class.name,
            position=position,
            head=int(head_row[0]),
            lag=count_events(cur, topics, after=position),
            failures=int(failures[0]),
            last_failure=last,
        )


def all_statuses(pool: ConnectionPool) -> list[ProjectionStatus]:
    return [projection_status(pool, model) for model in READ_MODELS]
