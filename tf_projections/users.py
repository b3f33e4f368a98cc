"""The users read table: who exists, their roles, whether they may sign in."""

from __future__ import annotations

from typing import Any

from psycopg import Cursor, sql

from tf_events.users import User
from tf_projections.read_model import ReadModel, handles


class UsersReadModel(ReadModel):
    name = "users"
    schema_file = "users.sql"
    tables = ("users", "api_tokens")

    @handles(User.Registered)
    def user_registered(self, cur: Cursor[Any], event: User.Registered) -> None:
        cur.execute(
            "INSERT INTO users (id, username, display_name, roles, active, registered_by,"
            " registered_at, updated_at, version)"
            " VALUES (%s, %s, %s, %s, true, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.username,
                event.display_name,
                list(event.roles),
                event.registered_by,
                event.timestamp,
                event.timestamp,
                event.originator_version,
            ),
        )

    @handles(User.RolesChanged)
    def roles_changed(self, cur: Cursor[Any], event: User.RolesChanged) -> None:
        self._update(cur, event, roles=list(event.roles))

    @handles(User.Deactivated)
    def user_deactivated(self, cur: Cursor[Any], event: User.Deactivated) -> None:
        self._update(cur, event, active=False)

    @handles(User.Reactivated)
    def user_reactivated(self, cur: Cursor[Any], event: User.Reactivated) -> None:
        self._update(cur, event, active=True)

    @handles(User.MarkedAway)
    def marked_away(self, cur: Cursor[Any], event: User.MarkedAway) -> None:
        self._update(cur, event, away=True)

    @handles(User.MarkedBack)
    def marked_back(self, cur: Cursor[Any], event: User.MarkedBack) -> None:
        self._update(cur, event, away=False)

    @handles(User.PasswordChanged)
    def password_changed(self, cur: Cursor[Any], event: User.PasswordChanged) -> None:
        self._update(cur, event, must_change_password=False)

    @handles(User.TemporaryPasswordSet)
    def temporary_password_set(self, cur: Cursor[Any], event: User.TemporaryPasswordSet) -> None:
        self._update(cur, event, must_change_password=True)

    @handles(User.SessionsEnded)
    def sessions_ended(self, cur: Cursor[Any], event: User.SessionsEnded) -> None:
        self._update(cur, event, session_generation=event.generation)

    @handles(User.ApiTokenCreated)
    def api_token_created(self, cur: Cursor[Any], event: User.ApiTokenCreated) -> None:
        cur.execute(
            "INSERT INTO api_tokens (id, user_id, name, prefix, token_hash, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (
                event.token_id,
                event.originator_id,
                event.name,
                event.prefix,
                event.token_hash,
                event.timestamp,
            ),
        )
        self._update(cur, event)

    @handles(User.ApiTokenRevoked)
    def api_token_revoked(self, cur: Cursor[Any], event: User.ApiTokenRevoked) -> None:
        cur.execute(
            "UPDATE api_tokens SET revoked_at = %s WHERE id = %s AND user_id = %s",
            (event.timestamp, event.token_id, event.originator_id),
        )
        self._update(cur, event)

    @staticmethod
    def _update(cur: Cursor[Any], event: Any, **columns: object) -> None:
        values = {**columns, "updated_at": event.timestamp, "version": event.originator_version}
        assignments = sql.SQL(", ").join(
            sql.SQL("{} = %s").format(sql.Identifier(column)) for column in values
        )
        cur.execute(
            sql.SQL("UPDATE users SET {} WHERE id = %s").format(assignments),
            (*values.values(), event.originator_id),
        )
        if cur.rowcount != 1:
            raise LookupError(f"user {event.originator_id} is not in the read table")
