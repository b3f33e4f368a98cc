"""Read-your-writes: wait until the read models that care about a write have applied it.

Workers NOTIFY after each commit, so a waiter wakes within a millisecond or two instead of
polling on the library's 100 ms floor.
"""

from __future__ import annotations

import logging
from time import monotonic

from psycopg_pool import ConnectionPool

from tf_events.application import Written
from tf_projections.read_model import NOTIFY_CHANNEL, ReadModel
from tf_projections.registry import READ_MODELS

log = logging.getLogger(__name__)


class ProjectionsLagging(TimeoutError):
    pass


def targets_of(
    written: Written, models: tuple[type[ReadModel], ...] = READ_MODELS
) -> dict[type[ReadModel], int]:
    """For each read model that handles one of the written events, the id to reach."""
    targets: dict[type[ReadModel], int] = {}
    for model in models:
        topics = set(model.topics())
        ids = [nid for nid, topic in written.positions if topic in topics]
        if ids:
            targets[model] = max(ids)
    return targets


def wait_for(pool: ConnectionPool, written: Written, timeout: float) -> None:
    """Block until every concerned read model shows `written`, or raise ProjectionsLagging."""
    targets = targets_of(written)
    if not targets:
        return
    deadline = monotonic() + timeout
    with pool.connection() as conn:
        # LISTEN before the first check, so no NOTIFY between check and wait is missed.
        conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        try:
            while True:
                with conn.cursor() as cur:
                    behind = [
                        m.name for m, target in targets.items() if (m.position(cur) or 0) < target
                    ]
                if not behind:
                    return
                remaining = deadline - monotonic()
                if remaining <= 0:
                    raise ProjectionsLagging(f"read models still behind: {', '.join(behind)}")
                for _ in conn.notifies(timeout=remaining, stop_after=1):
                    pass
        finally:
            conn.execute(f"UNLISTEN {NOTIFY_CHANNEL}")
