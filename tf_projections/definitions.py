"""The definitions read tables: current versions, every version, and their links."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor
from psycopg.types.json import Jsonb

from tf_events.definitions.aggregate import Definition
from tf_projections.read_model import ReadModel, handles


def _links(kind: str, content: dict[str, Any]) -> list[tuple[str, str]]:
    if kind == "workflow":
        return [("task", key) for key in dict.fromkeys(content.get("tasks", []))]
    if kind == "ticket_type":
        return [("workflow", content["workflow"])]
    return []


class DefinitionsReadModel(ReadModel):
    name = "definitions"
    schema_file = "definitions.sql"
    tables = ("definitions", "definition_versions", "definition_links")

    @handles(Definition.Created)
    def definition_created(self, cur: Cursor[Any], event: Definition.Created) -> None:
        content = event.content
        cur.execute(
            "INSERT INTO definitions (id, kind, key, name, description, roles, version,"
            " archived, content, created_by, created_at, updated_by, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, false, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.kind,
                event.key,
                content["name"],
                content.get("description", ""),
                content.get("roles", []),
                event.originator_version,
                Jsonb(content),
                event.by,
                event.timestamp,
                event.by,
                event.timestamp,
            ),
        )
        self._version(cur, event, "created", event.kind, event.key, False, content)
        self._relink(cur, event.originator_id, event.kind, content)

    @handles(Definition.Revised)
    def definition_revised(self, cur: Cursor[Any], event: Definition.Revised) -> None:
        content = event.content
        row = cur.execute(
            "UPDATE definitions SET name = %s, description = %s, roles = %s, version = %s,"
            " content = %s, updated_by = %s, updated_at = %s WHERE id = %s"
            " RETURNING kind, key, archived",
            (
                content["name"],
                content.get("description", ""),
                content.get("roles", []),
                event.originator_version,
                Jsonb(content),
                event.by,
                event.timestamp,
                event.originator_id,
            ),
        ).fetchone()
        if row is None:
            raise LookupError(f"definition {event.originator_id} is not in the read table")
        self._version(cur, event, "revised", row[0], row[1], row[2], content)
        self._relink(cur, event.originator_id, row[0], content)

    @handles(Definition.Archived, Definition.Restored)
    def definition_archived_or_restored(self, cur: Cursor[Any], event: Any) -> None:
        archived = isinstance(event, Definition.Archived)
        row = cur.execute(
            "UPDATE definitions SET archived = %s, version = %s, updated_by = %s,"
            " updated_at = %s WHERE id = %s RETURNING kind, key, content",
            (archived, event.originator_version, event.by, event.timestamp, event.originator_id),
        ).fetchone()
        if row is None:
            raise LookupError(f"definition {event.originator_id} is not in the read table")
        change = "archived" if archived else "restored"
        self._version(cur, event, change, row[0], row[1], archived, row[2])

    @staticmethod
    def _version(
        cur: Cursor[Any],
        event: Any,
        change: str,
        kind: str,
        key: str,
        archived: bool,
        content: dict[str, Any],
    ) -> None:
        cur.execute(
            "INSERT INTO definition_versions (id, version, kind, key, change, archived,"
            " content, changed_by, changed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.originator_version,
                kind,
                key,
                change,
                archived,
                Jsonb(content),
                event.by,
                event.timestamp,
            ),
        )

    @staticmethod
    def _relink(cur: Cursor[Any], definition_id: Any, kind: str, content: dict[str, Any]) -> None:
        cur.execute("DELETE FROM definition_links WHERE from_id = %s", (definition_id,))
        for to_kind, to_key in _links(kind, content):
            cur.execute(
                "INSERT INTO definition_links (from_id, to_kind, to_key) VALUES (%s, %s, %s)",
                (definition_id, to_kind, to_key),
            )
