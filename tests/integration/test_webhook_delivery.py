"""Webhooks against real PostgreSQL and a real HTTP receiver (pytest-httpserver): what is
sent and how it is signed (checked here with our own HMAC), retries after a 500, exactly
once across a restart, and the SSRF guard again at delivery time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid

import pytest
from werkzeug import Response

from tf_events import commands as c
from tf_events.policy import Actor
from tf_notifications.webhooks.follower import WebhookFollower
from tf_notifications.webhooks.process import start_webhooks, wait_for_deliveries
from tf_notifications.webhooks.sender import Sender
from tf_notifications.webhooks.service import register_webhook, set_webhook_enabled
from tf_projections.worker import ProjectionWorker

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


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


@pytest.fixture
def world(system):
    system.app.handle(c.ImportDefinitionSet(DEFINITIONS, by="dana"))
    started: list = []

    def start(**options):
        running = start_webhooks(system, first_backoff=options.pop("first_backoff", 0.2), **options)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


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


def test_a_submitted_ticket_reaches_the_receiver_with_a_body_signed_as_the_spec_says(
    system, world, httpserver
):
    httpserver.expect_request("/hook", method="POST").respond_with_data("thanks", status=200)
    hook_id, secret = hook(system, httpserver.url_for("/hook"))
    world()
    ticket_id = submit(system, summary="Two laptops for the new office")
    settle(system, 1)

    ((request, _response),) = httpserver.log
    verify(secret, request)
    assert request.headers["content-type"] == "application/json"
    body = json.loads(request.get_data())
    assert body["type"] == "ticket.submitted"
    assert body["data"]["ticket_id"] == str(ticket_id)
    assert body["data"]["ticket_type"] == "laptop"
    assert body["data"]["summary"] == "Two laptops for the new office"
    assert body["data"]["submitter"]["username"] == "sam"
    assert body["data"]["first_task"] == "Check"
    assert body["data"]["reference"].startswith("TF-")
    ((delivery_id, status),) = rows(system, "SELECT id, status FROM webhook_deliveries")
    assert request.headers["webhook-id"] == str(delivery_id)
    assert status == "delivered"
    assert rows(system, "SELECT attempt, status_code, response FROM webhook_attempts") == [
        (1, 200, "thanks")
    ]
    assert rows(system, "SELECT hook_id FROM webhook_deliveries") == [(hook_id,)]


def test_a_500_is_retried_with_the_same_id_until_the_receiver_takes_it(system, world, httpserver):
    httpserver.expect_ordered_request("/hook").respond_with_data("down", status=500)
    httpserver.expect_ordered_request("/hook").respond_with_data("ok", status=204)
    _, secret = hook(system, httpserver.url_for("/hook"))
    world(first_backoff=0.3)
    submit(system)
    settle(system, 1)

    first, second = (request for request, _ in httpserver.log)
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.get_data() == second.get_data()
    verify(secret, first)
    verify(secret, second)
    attempts = rows(
        system, "SELECT attempt, status_code, error FROM webhook_attempts ORDER BY attempt"
    )
    assert [(a, code) for a, code, _ in attempts] == [(1, 500), (2, 204)]
    assert "500" in attempts[0][2]
    assert rows(system, "SELECT status, attempts FROM webhook_deliveries") == [("delivered", 2)]


def test_a_receiver_that_keeps_failing_is_tried_five_times_then_given_up(system, world, httpserver):
    httpserver.expect_request("/hook").respond_with_data("nope", status=503)
    hook(system, httpserver.url_for("/hook"))
    world(first_backoff=0.01)
    submit(system)
    settle(system, 1)
    assert len(httpserver.log) == 5
    assert rows(system, "SELECT status, attempts FROM webhook_deliveries") == [("failed", 5)]


def test_only_the_kinds_and_ticket_types_a_hook_chose_are_sent(system, world, httpserver):
    httpserver.expect_request("/hook").respond_with_data("ok")
    hook(
        system,
        httpserver.url_for("/hook"),
        ticket_types=["chair"],
        event_kinds=["task.completed", "ticket.closed", "ticket.commented"],
    )
    world()
    laptop, chair = submit(system, "laptop"), submit(system, "chair")
    work_to_closed(system, laptop)
    work_to_closed(system, chair)
    system.app.handle(c.CommentOnTicket(ticket_id=chair, by=SAM, text="Thank you!"))
    settle(system, 4)

    sent = [json.loads(request.get_data()) for request, _ in httpserver.log]
    assert sorted(body["type"] for body in sent) == [
        "task.completed",
        "task.completed",
        "ticket.closed",
        "ticket.commented",
    ]
    assert {body["data"]["ticket_id"] for body in sent} == {str(chair)}
    done = [b["data"] for b in sent if b["type"] == "task.completed"]
    assert sorted((d["task"]["number"], d["task"]["name"]) for d in done) == [
        (1, "Check"),
        (2, "Ship"),
    ]
    assert next(b for b in sent if b["type"] == "ticket.commented")["data"]["text"] == "Thank you!"


def test_a_hook_gets_no_events_from_before_it_was_registered_and_none_while_disabled(
    system, world, httpserver
):
    httpserver.expect_request("/hook").respond_with_data("ok")
    submit(system, summary="before the hook")
    hook_id, _ = hook(system, httpserver.url_for("/hook"))
    world()
    submit(system, summary="after the hook")
    settle(system, 1)
    set_webhook_enabled(system.app, ADMIN, hook_id, False)
    submit(system, summary="while disabled")
    set_webhook_enabled(system.app, ADMIN, hook_id, True)
    submit(system, summary="enabled again")
    settle(system, 2)
    summaries = [json.loads(r.get_data())["data"]["summary"] for r, _ in httpserver.log]
    assert summaries == ["after the hook", "enabled again"]


def test_a_restarted_follower_neither_loses_nor_repeats_a_delivery(system, world, httpserver):
    hook(system, httpserver.url_for("/hook"))

    def follow() -> ProjectionWorker:
        return ProjectionWorker(
            WebhookFollower(system.app.mapper),
            system.app.recorder,
            system.pool,
            system.database_url,
        ).start()

    def deliveries(count: int) -> list[uuid.UUID]:
        deadline = time.monotonic() + 20
        while len(found := rows(system, "SELECT id FROM webhook_deliveries ORDER BY id")) < count:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        return [row[0] for row in found]

    follower = follow()
    for _ in range(3):
        submit(system)
    first = deliveries(3)
    follower.stop()
    follower.join(10)
    for _ in range(2):
        submit(system)  # while nothing follows the log
    # A crash after the commit and before the position was seen: the same batch again.
    model = WebhookFollower(system.app.mapper)
    batch = system.app.recorder.select_notifications(0, 100, topics=model.topics())
    with system.pool.connection() as conn, conn.transaction():
        assert model.apply_batch(conn, batch[:3]).applied == 0
    follower = follow()
    try:
        after = deliveries(5)
        time.sleep(0.5)
        assert len(rows(system, "SELECT id FROM webhook_deliveries")) == 5
    finally:
        follower.stop()
        follower.join(10)
    assert set(first) <= set(after)
    assert httpserver.log == []  # no sender ran: the rows wait, nothing is lost

    httpserver.expect_request("/hook").respond_with_data("ok")
    world()
    wait_for_deliveries(system.pool, 20)
    ids = sorted(request.headers["webhook-id"] for request, _ in httpserver.log)
    assert ids == sorted(str(i) for i in after)


def test_a_host_that_resolves_to_a_private_address_at_delivery_time_is_refused(
    system, world, httpserver
):
    port = httpserver.port
    answers = {"hooks.example": ["93.184.216.34"]}
    hook(
        system,
        f"http://hooks.example:{port}/hook",
        allow_private=False,
        resolve=lambda host, _port: answers[host],
    )
    answers["hooks.example"] = ["127.0.0.1"]  # DNS changed since registration
    world(resolve=lambda host, _port: answers[host], first_backoff=30)
    submit(system)
    deadline = time.monotonic() + 20
    while not (attempts := rows(system, "SELECT error FROM webhook_attempts")):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    (error,) = attempts[0]
    assert "Refused" in error and "loopback" in error
    assert httpserver.log == []


def test_the_sender_connects_to_the_address_it_checked_and_names_the_host(
    system, world, httpserver
):
    httpserver.expect_request("/hook").respond_with_data("ok")
    resolve = lambda host, _port: ["127.0.0.1"] if host == "receiver.test" else []  # noqa: E731
    hook(system, f"http://receiver.test:{httpserver.port}/hook", resolve=resolve)
    world(resolve=resolve)
    submit(system)
    settle(system, 1)
    ((request, _),) = httpserver.log
    assert request.headers["host"] == f"receiver.test:{httpserver.port}"


def test_redirects_are_not_followed_and_slow_receivers_time_out(system, httpserver):
    system.app.handle(c.ImportDefinitionSet(DEFINITIONS, by="dana"))
    httpserver.expect_ordered_request("/hook").respond_with_response(
        Response("", status=302, headers={"Location": "http://127.0.0.1:1/elsewhere"})
    )

    def slow(_request):
        time.sleep(1.5)
        return Response("late")

    httpserver.expect_ordered_request("/hook").respond_with_handler(slow)
    hook(system, httpserver.url_for("/hook"))
    follower = ProjectionWorker(
        WebhookFollower(system.app.mapper), system.app.recorder, system.pool, system.database_url
    ).start()
    sender = Sender(system.app, system.pool, first_backoff=0.01, timeout=0.5)
    try:
        submit(system)
        deadline = time.monotonic() + 20
        while not rows(system, "SELECT id FROM webhook_deliveries"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert sender.send_one()
        time.sleep(0.05)
        assert sender.send_one()
    finally:
        follower.stop()
        follower.join(10)
    (_, redirect), (_, late) = rows(
        system, "SELECT status_code, error FROM webhook_attempts ORDER BY attempt"
    )
    assert "not followed" in redirect
    assert "No answer within 0.5 seconds" in late
