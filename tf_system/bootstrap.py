"""Wires the application, the database and the read side. Every entry point starts here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import psycopg
from eventsourcing.utils import get_topic
from psycopg_pool import ConnectionPool

from tf_automation.sandbox import BubblewrapSandbox
from tf_events.application import TicketFlower
from tf_events.components.compiler import Compiler
from tf_events.components.store import ComponentStore
from tf_events.definitions.aggregate import Definition
from tf_events.recorder import Announcement
from tf_events.tickets.references import SEQUENCE_SQL, SequenceReferences
from tf_events.tickets.uploads import UploadStore
from tf_events.users import Role
from tf_projections.read_model import SCHEMA_DIR, advisory_key, schema_files
from tf_projections.rebuild import rebuild_on
from tf_projections.registry import READ_MODELS
from tf_projections.waiting import PositionWatcher
from tf_system.candidates import candidates_in
from tf_system.database import eventsourcing_env, read_pool, resolve_database_url
from tf_system.latest_versions import (
    DEFINITIONS_CHANNEL,
    RememberedLatestVersions,
    latest_versions_in,
)
from tf_system.pools import make_recovering
from tf_system.settings import Settings


@dataclass
class System:
    settings: Settings
    database_url: str
    app: TicketFlower
    pool: ConnectionPool

    @property
    def components(self) -> ComponentStore:
        return self.app.components

    @cached_property
    def uploads(self) -> UploadStore:
        return UploadStore(self.settings.data_dir / "uploads")

    @cached_property
    def sandbox(self) -> BubblewrapSandbox:
        """Where software tasks' code runs: the automation worker and the designer's Test
        run use it; nothing runs it elsewhere."""
        return BubblewrapSandbox()

    @cached_property
    def positions(self) -> PositionWatcher:
        return PositionWatcher(self.database_url)

    def close(self) -> None:
        if "positions" in self.__dict__:
            self.positions.close()
        if isinstance(latest := self.app.definitions.latest_versions, RememberedLatestVersions):
            latest.close()
        self.pool.close()
        self.app.close()
        self.app.components.compiler.close()


def build_system(settings: Settings | None = None, *, app_pool_size: int = 2) -> System:
    """Connect to the configured (or embedded) database and make sure its tables exist."""
    settings = settings or Settings.from_env()
    url = resolve_database_url(settings)
    env = {**eventsourcing_env(url, pool_size=app_pool_size), "CREATE_TABLE": "n"}
    components = ComponentStore(settings.components_dir, Compiler())
    app = TicketFlower(
        env=env,
        components=components,
        default_roles=(Role.TICKET_TEAM.value,) if settings.demo_mode else (),
    )
    # The event store's database is known only once the app is built.
    datastore = app.recorder.datastore  # type: ignore[attr-defined]
    make_recovering(datastore)
    app.references = SequenceReferences(datastore)
    latest = RememberedLatestVersions(latest_versions_in(datastore), url)
    app.definitions.latest_versions = latest
    app.recorder.announcements = (  # type: ignore[attr-defined]
        Announcement(f"{get_topic(Definition)}.", DEFINITIONS_CHANNEL, latest.forget),
    )
    ensure_schema(url, app)
    pool = read_pool(url)
    app.candidates = candidates_in(pool)
    return System(settings=settings, database_url=url, app=app, pool=pool)


def ensure_schema(database_url: str, app: TicketFlower) -> None:
    """Create the event table and every read table if missing.

    Idempotent and serialised by an advisory lock, so every process may call it at start.
    """
    with psycopg.connect(database_url, autocommit=True) as conn:
        key = advisory_key("ticketflower:schema")
        conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            app.recorder.create_table()
            conn.execute(SEQUENCE_SQL)
            with conn.transaction(), conn.cursor() as cur:
                owned = {model.schema_file for model in READ_MODELS}
                for path in schema_files():
                    if path.name not in owned:
                        cur.execute(path.read_text())
                for path in sorted(SCHEMA_DIR.glob("*.sql")):  # operational tables
                    cur.execute(path.read_text())
                stale = [model for model in READ_MODELS if not model.schema_is_current(cur)]
            # A read model whose schema changed is rebuilt from the log, not migrated.
            for model in stale:
                rebuild_on(conn, model, app)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
