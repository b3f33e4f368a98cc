"""What the webhook integration tests share: definitions with two ticket types, an admin,
and helpers to register a hook, submit and work tickets, and wait for deliveries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid

from tf_events import commands as c
from tf_events.policy import Actor
from tf_notifications.webhooks.process import wait_for_deliveries
from tf_notifications.webhooks.service import register_webhook

ADMIN = Actor(uuid.uuid4(), frozenset({"admin"}), "ada")
TEAM = Actor(uuid.uuid4(), frozenset({"ticket_team"}), "tess")
SAM = {"id": str(uuid.uuid4()), "username": "sam"}

DEFINITIONS = {
    "format": "ticketflower.definition-set/1",
    "tasks": [
        {
            "key": "check",
            "name": "Check",
            "outputs": [{"name": "ok", "type": "boolean", "label": "OK"}],
        },
        {"key": "ship", "name": "Ship", "outputs": []},
    ],
    "workflows": [
        {
            "key": "order",
            "name": "Order",
            "fields": [
                {"name": "summary", "type": "text", "label": "Summary", "required": True},
                {"name": "ok", "type": "boolean", "label": "OK"},
            ],
            "tasks": ["check", "ship"],
        }
    ],
    "ticket_types": [
        {"key": "laptop", "name": "Laptop", "workflow": "order", "fields": ["summary"]},
        {"key": "chair", "name": "Chair", "workflow": "order", "fields": ["summary"]},
    ],
}


def hook(system, url: str, **settings) -> tuple[uuid.UUID, str]:
    written, secret = register_webhook(
        system.app,
        ADMIN,
        key=str(uuid.uuid4()),
        name=settings.pop("name", "Shop"),
        url=url,
        ticket_types=settings.pop("ticket_types", []),
        event_kinds=settings.pop("event_kinds", ["ticket.submitted"]),
        allow_private=settings.pop("allow_private", True),
        **settings,
    )
    return written.aggregate_id, secret


def submit(system, ticket_type: str = "laptop", summary: str = "A new laptop") -> uuid.UUID:
    return system.app.handle(
        c.SubmitTicket(
            submission_key=str(uuid.uuid4()),
            ticket_type_key=ticket_type,
            data={"summary": summary},
            submitter=SAM,
            user_roles=frozenset(),
        )
    ).ticket.id


def work_to_closed(system, ticket_id: uuid.UUID) -> None:
    for position, outputs in ((0, {"ok": True}), (1, {})):
        act = {"ticket_id": ticket_id, "position": position, "actor": TEAM}
        system.app.handle(c.ClaimTask(**act))
        system.app.handle(c.CompleteTask(**act, outputs=outputs))


def rows(system, sql: str, *args) -> list[tuple]:
    with system.pool.connection() as conn:
        return conn.execute(sql, args).fetchall()


def settle(system, count: int, timeout: float = 20) -> None:
    """Wait until `count` deliveries exist and none is due."""
    deadline = time.monotonic() + timeout
    while len(rows(system, "SELECT id FROM webhook_deliveries")) < count:
        assert time.monotonic() < deadline, "the follower made too few deliveries"
        time.sleep(0.05)
    wait_for_deliveries(system.pool, timeout)


def verify(secret: str, request) -> None:
    """The receiver's side, written from the spec: HMAC-SHA256 over id.timestamp.body."""
    msg_id = request.headers["webhook-id"]
    stamp = request.headers["webhook-timestamp"]
    key = base64.b64decode(secret.split("_", 1)[1])
    mac = hmac.new(key, f"{msg_id}.{stamp}.".encode() + request.get_data(), hashlib.sha256)
    expected = "v1," + base64.b64encode(mac.digest()).decode()
    assert hmac.compare_digest(request.headers["webhook-signature"], expected)
    assert abs(int(stamp) - time.time()) < 60
