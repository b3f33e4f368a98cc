"""Connection pools that recover at once when PostgreSQL drops their connections.

After a restart, a failover or `pg_terminate_backend`, every idle connection in a pool is
dead. psycopg_pool's `check` callback (and the library's POSTGRES_PRE_PING, which is that
callback) finds them one by one with a round trip each, backing off 0, 1, 2, 4, 8… s
between failures: a full pool stalled requests for 30 s. These pools never back off:

- an idle connection whose server has spoken is dead (a terminated backend sends its
  FATAL message and closes), which one `poll()` tells without a round trip;
- one dead connection means its siblings died with it, so the whole pool is drained and
  refilled with fresh connections in the background;
- a connection that comes back broken from a query (the server died mid-request) drains
  the pool the same way, so only the requests that were in flight see the failure.
"""

from __future__ import annotations

import select
from time import monotonic
from typing import Any

import psycopg
import psycopg_pool
from eventsourcing import postgres as es_postgres


def server_hung_up(conn: Any) -> bool:
    """True if the server has closed (or is closing) this idle connection.

    An idle connection hears from its server only to say goodbye, or to deliver a NOTIFY
    on a channel it listened to (scripts wait that way), which is read and let be."""
    if conn.closed:
        return True
    poller = select.poll()
    poller.register(conn.fileno(), select.POLLIN)
    if not poller.poll(0):
        return False
    try:
        conn.pgconn.consume_input()
    except psycopg.OperationalError:
        return True
    return conn.pgconn.notifies() is None


def _recovering(base: type[psycopg_pool.ConnectionPool]) -> Any:  # type: ignore[type-arg]
    """`base` handing out only live connections. (A subclass made per base rather than a
    mixin: a mixin changes the object layout, and the event store's pool needs the same.)"""

    class Recovering(base):  # type: ignore[valid-type,misc]
        def getconn(self, timeout: float | None = None) -> Any:
            deadline = monotonic() + (self.timeout if timeout is None else timeout)
            conn = super().getconn(timeout)
            while server_hung_up(conn):
                self.drain()
                conn.close()  # a closed connection is discarded, not put back, by putconn
                super().putconn(conn)
                conn = super().getconn(max(deadline - monotonic(), 0.001))
            return conn

        def putconn(self, conn: Any) -> None:
            if conn.broken:
                self.drain()
            super().putconn(conn)

    Recovering.__name__ = Recovering.__qualname__ = f"Recovering{base.__name__}"
    return Recovering


# The read side's pool, and the event store's (the library's own class, recovering alike).
RecoveringPool = _recovering(psycopg_pool.ConnectionPool)
RecoveringEventStorePool = _recovering(es_postgres.ConnectionPool)


def make_recovering(datastore: es_postgres.PostgresDatastore) -> None:
    """Give the event store's pool the read pool's recovery.

    The library builds its pool inside PostgresDatastore.__init__, with no hook; the pool
    is not open yet, so changing its class to a subclass that only adds the two methods
    above keeps every setting the library chose. The class adds methods only, no state."""
    datastore.pool.__class__ = RecoveringEventStorePool
