"""The notification_preferences read table: each user's address and choices."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor
from psycopg.types.json import Jsonb

from tf_events.notification_preferences import DEFAULT_CHOICES, NotificationPreferences
from tf_projections.read_model import ReadModel, handles


class NotificationPreferencesReadModel(ReadModel):
    name = "notification_preferences"
    schema_file = "notification_preferences.sql"
    tables = ("notification_preferences",)

    @handles(NotificationPreferences.Started)
    def started(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "INSERT INTO notification_preferences (id, user_id, choices, updated_at)"
            " VALUES (%s, %s, %s, %s)",
            (event.originator_id, event.user_id, Jsonb(DEFAULT_CHOICES), event.timestamp),
        )

    @handles(NotificationPreferences.AddressSet)
    def address_set(self, cur: Cursor[Any], event: Any) -> None:
        self._update(cur, event, "address", event.address)

    @handles(NotificationPreferences.Chosen)
    def chosen(self, cur: Cursor[Any], event: Any) -> None:
        self._update(cur, event, "choices", Jsonb(event.choices))

    @staticmethod
    def _update(cur: Cursor[Any], event: Any, column: str, value: object) -> None:
        cur.execute(
            f"UPDATE notification_preferences SET {column} = %s, updated_at = %s"  # noqa: S608 - a fixed column name
            " WHERE id = %s",
            (value, event.timestamp, event.originator_id),
        )
