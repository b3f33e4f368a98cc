"""Which mails are due: ticket events become `notification_deliveries` rows exactly once
(the rows and the tracking position change in one transaction).

A ReadModel by mechanism only: it is not in the registry, so `projections rebuild` never
replays it — a replay would mail everyone again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from eventsourcing.persistence import Mapper
from psycopg import Cursor
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from tf_events.notification_preferences import (
    DEFAULT_CHOICES,
    Delivery,
    NotificationPreferences,
)
from tf_events.public.submission import PublicSubmission, status_token
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.workflow import Person
from tf_events.users import User
from tf_notifications.rules import Notice, TicketFacts, notices, public_receipt
from tf_projections.read_model import SCHEMA_DIR, ReadModel, handles

# Events older than this when first read (a new install following an old log) are kept
# as "stale" instead of mailed: nobody wants last year's news.
STALE_AFTER = timedelta(days=1)


class NotificationFollower(ReadModel):
    name = "notifications"
    schema_file = "notifications.sql"
    tables: ClassVar[tuple[str, ...]] = (
        "notification_staff",
        "notification_tickets",
        "notification_recipients",
        "notification_deliveries",
    )
    # On a busy log, mail waits up to this long to go out in one batch.
    min_read_interval = 0.5

    def __init__(self, mapper: Mapper[Any], base_url: str, secret_key: str = "") -> None:
        super().__init__(mapper)
        self.base_url = base_url.rstrip("/")
        self.secret_key = secret_key  # to make a public submitter's status link again

    @classmethod
    def schema_sql(cls) -> str:
        return (SCHEMA_DIR / cls.schema_file).read_text()

    @handles(Ticket.Submitted)
    def submitted(self, cur: Cursor[Any], event: Any) -> None:
        facts = TicketFacts.of_submitted(event)
        cur.execute(
            "INSERT INTO notification_tickets (ticket_id, reference, summary, submitter_id,"
            " submitter_username, task_names) VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (
                facts.ticket_id,
                facts.reference,
                facts.summary,
                facts.submitter.id,
                facts.submitter.username,
                list(facts.task_names),
            ),
        )

    @handles(User.Registered)
    def user_registered(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "INSERT INTO notification_staff (user_id, username, roles) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (event.originator_id, event.username, list(event.roles)),
        )

    @handles(User.RolesChanged)
    def roles_changed(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "UPDATE notification_staff SET roles = %s WHERE user_id = %s",
            (list(event.roles), event.originator_id),
        )

    @handles(User.Deactivated, User.Reactivated)
    def activity_changed(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "UPDATE notification_staff SET active = %s WHERE user_id = %s",
            (isinstance(event, User.Reactivated), event.originator_id),
        )

    @handles(PublicSubmission.Received)
    def public_received(self, cur: Cursor[Any], event: Any) -> None:
        """Someone without an account, known by the address they gave: every notice to
        them links to their status page, the only page they can open."""
        token = status_token(self.secret_key, event.originator_id)
        cur.execute(
            "INSERT INTO notification_recipients (id, user_id, address, choices, status_path)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (
                event.originator_id,
                event.originator_id,
                event.email,
                Jsonb(DEFAULT_CHOICES),
                f"/public/status/{token}",
            ),
        )
        self._queue(cur, event, public_receipt(event))

    @handles(NotificationPreferences.Started)
    def preferences_started(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "INSERT INTO notification_recipients (id, user_id, choices) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (event.originator_id, event.user_id, Jsonb(DEFAULT_CHOICES)),
        )

    @handles(NotificationPreferences.AddressSet)
    def address_set(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "UPDATE notification_recipients SET address = %s WHERE id = %s",
            (event.address, event.originator_id),
        )

    @handles(NotificationPreferences.Chosen)
    def chosen(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "UPDATE notification_recipients SET choices = %s WHERE id = %s",
            (Jsonb(event.choices), event.originator_id),
        )

    @handles(
        Ticket.TaskAssigned,
        Ticket.TaskCompleted,
        Ticket.ClosedEarly,
        Ticket.CommentAdded,
        Ticket.TaskFailed,
    )
    def ticket_moved(self, cur: Cursor[Any], event: Any) -> None:
        facts = self._facts(cur, event.originator_id)
        if facts is None:
            return  # submitted before the log this process follows began: nothing known
        dispatchers = self._dispatchers(cur) if isinstance(event, Ticket.TaskFailed) else []
        for notice in notices(event, facts, dispatchers):
            self._queue(cur, event, notice)

    def _queue(self, cur: Cursor[Any], event: Any, notice: Notice) -> None:
        found = cur.execute(
            "SELECT choices ->> %s, status_path FROM notification_recipients WHERE user_id = %s",
            (notice.kind.value, notice.to.id),
        ).fetchone()
        choice, status_path = found or (None, None)
        delivery = Delivery(choice or DEFAULT_CHOICES[notice.kind.value])
        status = {
            Delivery.IMMEDIATE: "queued",
            Delivery.DIGEST: "digest",
            Delivery.OFF: "off",
        }[delivery]
        cur.execute(
            "INSERT INTO notification_deliveries (delivery_id, user_id, username, kind, subject,"
            " body, link, status, created_at, digest_day, due_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s,"
            "  CASE WHEN %s < now() - %s AND %s <> 'off' THEN 'stale' ELSE %s END,"
            "  %s, (%s AT TIME ZONE 'UTC')::date, %s)"
            " ON CONFLICT DO NOTHING",
            (
                notice.delivery_id,
                notice.to.id,
                notice.to.username,
                notice.kind.value,
                notice.subject,
                notice.text,
                self.base_url + (status_path or notice.path),
                event.timestamp,
                STALE_AFTER,
                status,
                status,
                event.timestamp,
                event.timestamp,
                event.timestamp,
            ),
        )

    @staticmethod
    def _facts(cur: Cursor[Any], ticket_id: Any) -> TicketFacts | None:
        with cur.connection.cursor(row_factory=dict_row) as rows:
            row = rows.execute(
                "SELECT * FROM notification_tickets WHERE ticket_id = %s", (ticket_id,)
            ).fetchone()
        if row is None:
            return None
        return TicketFacts(
            row["ticket_id"],
            row["reference"],
            row["summary"],
            Person(row["submitter_id"], row["submitter_username"]),
            tuple(row["task_names"]),
        )

    @staticmethod
    def _dispatchers(cur: Cursor[Any]) -> list[Person]:
        rows = cur.execute(
            "SELECT user_id, username FROM notification_staff"
            " WHERE active AND 'dispatcher' = ANY(roles)"
            " ORDER BY username"
        ).fetchall()
        return [Person(row[0], row[1]) for row in rows]
