"""Every process of the system, in one list: `ticketflower projections run` runs them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from psycopg_pool import ConnectionPool

from tf_processes.deactivated_users import TasksOfDeactivatedUsers
from tf_processes.process import Process
from tf_projections.worker import ProjectionWorker

if TYPE_CHECKING:
    from tf_events.application import TicketFlower

PROCESSES: tuple[type[Process], ...] = (TasksOfDeactivatedUsers,)


def start_processes(
    app: TicketFlower, pool: ConnectionPool, database_url: str
) -> list[ProjectionWorker]:
    """One worker per process; the workers that follow the read models run them too."""
    return [
        ProjectionWorker(process(app), app.recorder, pool, database_url).start()  # type: ignore[arg-type]
        for process in PROCESSES
    ]
