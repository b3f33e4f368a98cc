"""Queries over the definitions read tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.rows import class_row
from psycopg_pool import ConnectionPool


@dataclass(frozen=True)
class DefinitionRow:
    id: UUID
    kind: str
    key: str
    name: str
    description: str
    roles: list[str]
    version: int
    archived: bool
    content: dict[str, Any]
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True)
class VersionRow:
    id: UUID
    version: int
    kind: str
    key: str
    change: str
    archived: bool
    content: dict[str, Any]
    changed_by: str
    changed_at: datetime


_COLUMNS = (
    "id, kind, key, name, description, roles, version, archived, content,"
    " created_by, created_at, updated_by, updated_at"
)
_VERSION_COLUMNS = "id, version, kind, key, change, archived, content, changed_by, changed_at"


def list_definitions(
    pool: ConnectionPool, kind: str, *, include_archived: bool = True
) -> list[DefinitionRow]:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(DefinitionRow)) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM definitions WHERE kind = %s"  # noqa: S608 - constant columns
            " AND (%s OR NOT archived) ORDER BY archived, lower(name)",
            (kind, include_archived),
        ).fetchall()


def names_by_key(pool: ConnectionPool, kind: str) -> dict[str, str]:
    """Each definition's current name, to show people names rather than keys."""
    with pool.connection() as conn:
        rows = conn.execute("SELECT key, name FROM definitions WHERE kind = %s", (kind,))
        return dict(rows.fetchall())


def get_definition(pool: ConnectionPool, kind: str, key: str) -> DefinitionRow | None:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(DefinitionRow)) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM definitions WHERE kind = %s AND key = %s",  # noqa: S608
            (kind, key),
        ).fetchone()


def get_version(pool: ConnectionPool, kind: str, key: str, version: int) -> VersionRow | None:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(VersionRow)) as cur:
        return cur.execute(
            f"SELECT {_VERSION_COLUMNS} FROM definition_versions"  # noqa: S608
            " WHERE kind = %s AND key = %s AND version = %s",
            (kind, key, version),
        ).fetchone()


def list_versions(pool: ConnectionPool, kind: str, key: str) -> list[VersionRow]:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(VersionRow)) as cur:
        return cur.execute(
            f"SELECT {_VERSION_COLUMNS} FROM definition_versions"  # noqa: S608
            " WHERE kind = %s AND key = %s ORDER BY version DESC",
            (kind, key),
        ).fetchall()


def recent_changes(pool: ConnectionPool, limit: int = 10) -> list[VersionRow]:
    with pool.connection() as conn, conn.cursor(row_factory=class_row(VersionRow)) as cur:
        return cur.execute(
            f"SELECT {_VERSION_COLUMNS} FROM definition_versions"  # noqa: S608
            " ORDER BY changed_at DESC, version DESC LIMIT %s",
            (limit,),
        ).fetchall()


def counts_by_kind(pool: ConnectionPool) -> dict[str, dict[str, int]]:
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT kind, count(*) FILTER (WHERE NOT archived), count(*) FILTER (WHERE archived)"
            " FROM definitions GROUP BY kind"
        ).fetchall()
    return {kind: {"active": active, "archived": archived} for kind, active, archived in rows}


def used_by(pool: ConnectionPool, kind: str, key: str) -> list[tuple[str, str, str]]:
    """(kind, key, name) of the definitions that refer to this one."""
    with pool.connection() as conn:
        return conn.execute(
            "SELECT d.kind, d.key, d.name FROM definition_links l"
            " JOIN definitions d ON d.id = l.from_id"
            " WHERE l.to_kind = %s AND l.to_key = %s ORDER BY d.kind, d.name",
            (kind, key),
        ).fetchall()


def definition_set_for(pool: ConnectionPool, workflow_key: str) -> dict[str, Any] | None:
    """The export format: a workflow, its tasks, and the ticket types that start it."""
    workflow = get_definition(pool, "workflow", workflow_key)
    if workflow is None:
        return None
    tasks = [get_definition(pool, "task", key) for key in workflow.content["tasks"]]
    ticket_types = [
        get_definition(pool, kind, key)
        for kind, key, _ in used_by(pool, "workflow", workflow_key)
        if kind == "ticket_type"
    ]
    return {
        "format": "ticketflower.definition-set/1",
        "tasks": [_exported(t.content) for t in tasks if t is not None],
        "workflows": [_exported(workflow.content)],
        "ticket_types": [_exported(t.content) for t in ticket_types if t is not None],
    }


def _exported(content: dict[str, Any]) -> dict[str, Any]:
    """The definition as an import takes it: sources only, their stored files' hashes left
    out (an import recomputes them)."""
    layouts = {slot: {"source": layout["source"]} for slot, layout in content["layouts"].items()}
    return {k: v for k, v in content.items() if k != "code_sha256"} | {"layouts": layouts}
