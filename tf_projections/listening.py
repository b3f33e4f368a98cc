"""A connection that LISTENs to PostgreSQL channels for as long as a process needs it,
reconnecting by itself: the loop behind the long-lived watchers (the log watcher, the
web's position watcher, the remembered definition versions)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)

# A dropped connection is retried at once; a database that stays down, less and less often.
RECONNECT_SECONDS = 0.1
MAX_RECONNECT_SECONDS = 2.0
CONNECT_TIMEOUT = 5

Session = Callable[[psycopg.Connection[Any]], None]


def listen(conn: psycopg.Connection[Any], channels: Iterable[str]) -> None:
    for channel in channels:
        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))


def keep_listening(
    database_url: str,
    channels: Iterable[str],
    session: Session,
    stopping: threading.Event,
    *,
    who: str,
    deaf: Callable[[], None] | None = None,
) -> None:
    """Until `stopping` is set: connect, LISTEN to `channels`, and run `session` on the
    connection (it returns once `stopping` is set). A lost connection is logged as `who`'s
    and made again; `deaf` runs whenever a connection ends or could not be made."""
    channels = list(channels)
    delay = RECONNECT_SECONDS
    while not stopping.is_set():
        try:
            with psycopg.connect(
                database_url, autocommit=True, connect_timeout=CONNECT_TIMEOUT
            ) as conn:
                listen(conn, channels)
                delay = RECONNECT_SECONDS
                session(conn)  # after LISTEN: nothing it reads first can slip by
        except psycopg.Error as exc:
            if not stopping.is_set():
                log.warning("%s lost its connection (%s); reconnecting", who, exc)
        finally:
            if deaf is not None:
                deaf()
        stopping.wait(delay)
        delay = min(delay * 2, MAX_RECONNECT_SECONDS)
