"""The database URL, and how the eventsourcing library and the read side connect to it."""

from __future__ import annotations

import math

from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

from tf_system.pools import RecoveringPool
from tf_system.settings import Settings

# How long a request waits for a connection before giving up with a 503: a dead database
# answers fast, and a live one hands out a connection in microseconds.
POOL_TIMEOUT = 2.0


def resolve_database_url(settings: Settings) -> str:
    """The configured URL, or the embedded server's when none is configured."""
    if settings.database_url:
        return settings.database_url
    from tf_system.embedded_postgres import start_embedded

    return start_embedded(settings.data_dir)


def eventsourcing_env(
    database_url: str, *, pool_size: int = 2, pool_timeout: float = POOL_TIMEOUT
) -> dict[str, str]:
    """Translate a libpq URL into the library's POSTGRES_* keys.

    No POSTGRES_PRE_PING: its check backs off between dead connections; the pool is made
    recovering instead (tf_system.pools.make_recovering)."""
    info = conninfo_to_dict(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "APPLICATION_RECORDER_TOPIC": "tf_events.recorder:UnpipelinedApplicationRecorder",
        "POSTGRES_DBNAME": str(info.get("dbname", "")),
        "POSTGRES_HOST": str(info.get("host", "localhost")),
        "POSTGRES_PORT": str(info.get("port", "5432")),
        "POSTGRES_USER": str(info.get("user", "")),
        "POSTGRES_PASSWORD": str(info.get("password", "")),
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": "10",
        # The library's name for its pool timeout; whole seconds only.
        "POSTGRES_CONNECT_TIMEOUT": str(max(1, math.ceil(pool_timeout))),
    }


def read_pool(
    database_url: str,
    *,
    max_size: int = 10,
    name: str = "read",
    timeout: float = POOL_TIMEOUT,
) -> ConnectionPool:
    """A pool for the read side: autocommit, so a query never holds a transaction open,
    and UTC, so every time the pages show (and label UTC) is UTC whatever the server's zone."""
    return RecoveringPool(
        database_url,
        min_size=1,
        max_size=max_size,
        kwargs={"autocommit": True, "options": "-c TimeZone=UTC", "connect_timeout": 5},
        name=name,
        open=True,
        timeout=timeout,
    )
