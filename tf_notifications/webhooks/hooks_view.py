"""The webhooks read table the admin pages list (rebuildable; it never holds a secret)."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor, sql

from tf_notifications.webhooks.aggregate import Webhook
from tf_projections.read_model import ReadModel, handles


class WebhooksReadModel(ReadModel):
    name = "webhooks"
    schema_file = "webhooks.sql"
    tables = ("webhooks",)

    @handles(Webhook.Registered)
    def registered(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "INSERT INTO webhooks (id, name, url, ticket_types, event_kinds, allow_private,"
            " enabled, created_by, created_at, updated_at, version)"
            " VALUES (%s, %s, %s, %s, %s, %s, true, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.name,
                event.url,
                list(event.ticket_types),
                list(event.event_kinds),
                event.allow_private,
                event.by,
                event.timestamp,
                event.timestamp,
                event.originator_version,
            ),
        )

    @handles(Webhook.Changed)
    def changed(self, cur: Cursor[Any], event: Any) -> None:
        self._update(
            cur,
            event,
            name=event.name,
            url=event.url,
            ticket_types=list(event.ticket_types),
            event_kinds=list(event.event_kinds),
            allow_private=event.allow_private,
        )

    @handles(Webhook.Disabled)
    def disabled(self, cur: Cursor[Any], event: Any) -> None:
        self._update(cur, event, enabled=False)

    @handles(Webhook.Enabled)
    def enabled(self, cur: Cursor[Any], event: Any) -> None:
        self._update(cur, event, enabled=True)

    @handles(Webhook.SecretRotated)
    def secret_rotated(self, cur: Cursor[Any], event: Any) -> None:
        self._update(cur, event, secret_rotated_at=event.timestamp)

    @staticmethod
    def _update(cur: Cursor[Any], event: Any, **values: Any) -> None:
        columns = sql.SQL(", ").join(
            sql.SQL("{} = %s").format(sql.Identifier(column)) for column in values
        )
        cur.execute(
            sql.SQL("UPDATE webhooks SET {}, updated_at = %s, version = %s WHERE id = %s").format(
                columns
            ),
            (*values.values(), event.timestamp, event.originator_version, event.originator_id),
        )
