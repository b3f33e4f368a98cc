"""Which deliveries are due: one `webhook_deliveries` row per event and hook that wants it,
made from the log exactly once (the rows and the tracking position change in one
transaction).

It is a ReadModel by mechanism only: it is not in the registry, so `projections rebuild`
never replays it — a replay would send every webhook again. It follows the hooks' own
events too, so an event is matched against the hooks as they were at that point of the
log: a hook registered today is not sent last year's tickets.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, ClassVar

from psycopg import Cursor

from tf_events.tickets.aggregate import Ticket
from tf_notifications.webhooks.aggregate import Webhook
from tf_projections.read_model import SCHEMA_DIR, ReadModel, handles

_DELIVERY_NAMESPACE = uuid.UUID("5b8e0c1e-8a43-4f7e-9d0e-2c6a1f3b7d24")


def delivery_id(hook_id: uuid.UUID, event: Any, kind: str) -> uuid.UUID:
    """Stable: the same hook, event and kind give the same id however often it is made."""
    return uuid.uuid5(
        _DELIVERY_NAMESPACE, f"{hook_id}:{event.originator_id}:{event.originator_version}:{kind}"
    )


def person(raw: dict[str, str]) -> dict[str, str]:
    return {"id": raw["id"], "username": raw["username"]}


class WebhookFollower(ReadModel):
    name = "webhook_deliveries"
    schema_file = "webhooks.sql"
    tables: ClassVar[tuple[str, ...]] = (
        "webhook_routes",
        "webhook_tickets",
        "webhook_deliveries",
        "webhook_attempts",
    )
    # On a busy log, deliveries wait up to this long to be queued in one batch.
    min_read_interval = 0.5

    @classmethod
    def schema_sql(cls) -> str:
        return (SCHEMA_DIR / cls.schema_file).read_text()

    # -- the hooks, as of this point of the log --------------------------------------

    @handles(Webhook.Registered, Webhook.Changed)
    def routed(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "INSERT INTO webhook_routes (hook_id, ticket_types, event_kinds, enabled)"
            " VALUES (%s, %s, %s, true) ON CONFLICT (hook_id) DO UPDATE"
            " SET ticket_types = EXCLUDED.ticket_types, event_kinds = EXCLUDED.event_kinds",
            (event.originator_id, list(event.ticket_types), list(event.event_kinds)),
        )

    @handles(Webhook.Disabled, Webhook.Enabled)
    def switched(self, cur: Cursor[Any], event: Any) -> None:
        cur.execute(
            "UPDATE webhook_routes SET enabled = %s WHERE hook_id = %s",
            (isinstance(event, Webhook.Enabled), event.originator_id),
        )

    # -- ticket events --------------------------------------------------------------------

    @handles(Ticket.Submitted)
    def submitted(self, cur: Cursor[Any], event: Any) -> None:
        ticket_type = event.ticket_type["key"]
        cur.execute(
            "INSERT INTO webhook_tickets (ticket_id, ticket_type, reference, task_names)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (event.originator_id, ticket_type, event.reference, [t["name"] for t in event.tasks]),
        )
        ticket = {"ticket_type": ticket_type, "reference": event.reference, "tasks": []}
        self._deliver(
            cur,
            event,
            "ticket.submitted",
            ticket,
            {
                "summary": event.summary,
                "submitter": person(event.submitter),
                "channel": event.channel,
                "first_task": event.tasks[0]["name"] if event.tasks else None,
            },
        )

    @handles(Ticket.TaskAssigned)
    def assigned(self, cur: Cursor[Any], event: Any) -> None:
        if ticket := self._ticket(cur, event):
            extra = {"to": person(event.to), "by": person(event.by)}
            self._deliver(cur, event, "task.assigned", ticket, self._task(ticket, event) | extra)

    @handles(Ticket.TaskCompleted)
    def completed(self, cur: Cursor[Any], event: Any) -> None:
        if ticket := self._ticket(cur, event):
            task = self._task(ticket, event) | {"by": person(event.by)}
            self._deliver(cur, event, "task.completed", ticket, task)
            if event.opens is None:
                self._deliver(cur, event, "ticket.closed", ticket, {"resolution": "done"})

    @handles(Ticket.TaskFailed)
    def failed(self, cur: Cursor[Any], event: Any) -> None:
        if ticket := self._ticket(cur, event):
            extra = {"reason": event.reason, "by": person(event.by)}
            self._deliver(cur, event, "task.failed", ticket, self._task(ticket, event) | extra)

    @handles(Ticket.ClosedEarly)
    def closed_early(self, cur: Cursor[Any], event: Any) -> None:
        if ticket := self._ticket(cur, event):
            extra = {"resolution": event.resolution, "reason": event.reason, "by": person(event.by)}
            self._deliver(cur, event, "ticket.closed", ticket, extra)

    @handles(Ticket.CommentAdded)
    def commented(self, cur: Cursor[Any], event: Any) -> None:
        if ticket := self._ticket(cur, event):
            extra = {"by": person(event.by), "text": event.text}
            self._deliver(cur, event, "ticket.commented", ticket, extra)

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def _ticket(cur: Cursor[Any], event: Any) -> dict[str, Any] | None:
        row = cur.execute(
            "SELECT ticket_type, reference, task_names FROM webhook_tickets WHERE ticket_id = %s",
            (event.originator_id,),
        ).fetchone()
        return (
            None if row is None else {"ticket_type": row[0], "reference": row[1], "tasks": row[2]}
        )

    @staticmethod
    def _task(ticket: dict[str, Any], event: Any) -> dict[str, Any]:
        names = ticket["tasks"]
        name = names[event.position] if event.position < len(names) else None
        return {"task": {"number": event.position + 1, "name": name}}

    @staticmethod
    def _deliver(
        cur: Cursor[Any], event: Any, kind: str, ticket: dict[str, Any], data: dict[str, Any]
    ) -> None:
        hooks = cur.execute(
            "SELECT hook_id FROM webhook_routes WHERE enabled AND %s = ANY(event_kinds)"
            " AND (cardinality(ticket_types) = 0 OR %s = ANY(ticket_types))",
            (kind, ticket["ticket_type"]),
        ).fetchall()
        if not hooks:
            return
        body = json.dumps(
            {
                "type": kind,
                "timestamp": event.timestamp.isoformat(),
                "data": {
                    "ticket_id": str(event.originator_id),
                    "reference": ticket["reference"],
                    "ticket_type": ticket["ticket_type"],
                    "ticket_version": event.originator_version,
                    **data,
                },
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        cur.executemany(
            "INSERT INTO webhook_deliveries (id, hook_id, kind, reference, body, status,"
            " due_at, created_at) VALUES (%s, %s, %s, %s, %s, 'pending', now(), %s)"
            " ON CONFLICT (id) DO NOTHING",
            [
                (
                    delivery_id(hook_id, event, kind),
                    hook_id,
                    kind,
                    ticket["reference"],
                    body,
                    event.timestamp,
                )
                for (hook_id,) in hooks
            ],
        )
