"""Webhooks against real PostgreSQL and a real HTTP receiver (pytest-httpserver): what is
sent and how it is signed (checked here with our own HMAC), retries after a 500, which
hooks get what, and exactly once across a restart of the follower."""

from __future__ import annotations

import json
import time
import uuid

from tests.webhooks_world import (
    ADMIN,
    SAM,
    hook,
    rows,
    settle,
    submit,
    verify,
    work_to_closed,
)
from tf_events import commands as c
from tf_notifications.webhooks.follower import WebhookFollower
from tf_notifications.webhooks.process import wait_for_deliveries
from tf_notifications.webhooks.service import set_webhook_enabled
from tf_projections.worker import ProjectionWorker


def test_a_submitted_ticket_reaches_the_receiver_with_a_body_signed_as_the_spec_says(
    system, webhooks, httpserver
):
    httpserver.expect_request("/hook", method="POST").respond_with_data("thanks", status=200)
    hook_id, secret = hook(system, httpserver.url_for("/hook"))
    webhooks()
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


def test_a_500_is_retried_with_the_same_id_until_the_receiver_takes_it(
    system, webhooks, httpserver
):
    httpserver.expect_ordered_request("/hook").respond_with_data("down", status=500)
    httpserver.expect_ordered_request("/hook").respond_with_data("ok", status=204)
    _, secret = hook(system, httpserver.url_for("/hook"))
    webhooks(first_backoff=0.3)
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


def test_a_receiver_that_keeps_failing_is_tried_five_times_then_given_up(
    system, webhooks, httpserver
):
    httpserver.expect_request("/hook").respond_with_data("nope", status=503)
    hook(system, httpserver.url_for("/hook"))
    webhooks(first_backoff=0.01)
    submit(system)
    settle(system, 1)
    assert len(httpserver.log) == 5
    assert rows(system, "SELECT status, attempts FROM webhook_deliveries") == [("failed", 5)]


def test_only_the_kinds_and_ticket_types_a_hook_chose_are_sent(system, webhooks, httpserver):
    httpserver.expect_request("/hook").respond_with_data("ok")
    hook(
        system,
        httpserver.url_for("/hook"),
        ticket_types=["chair"],
        event_kinds=["task.completed", "ticket.closed", "ticket.commented"],
    )
    webhooks()
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
    system, webhooks, httpserver
):
    httpserver.expect_request("/hook").respond_with_data("ok")
    submit(system, summary="before the hook")
    hook_id, _ = hook(system, httpserver.url_for("/hook"))
    webhooks()
    submit(system, summary="after the hook")
    settle(system, 1)
    set_webhook_enabled(system.app, ADMIN, hook_id, False)
    submit(system, summary="while disabled")
    set_webhook_enabled(system.app, ADMIN, hook_id, True)
    submit(system, summary="enabled again")
    settle(system, 2)
    summaries = [json.loads(r.get_data())["data"]["summary"] for r, _ in httpserver.log]
    assert summaries == ["after the hook", "enabled again"]


def test_a_restarted_follower_neither_loses_nor_repeats_a_delivery(system, webhooks, httpserver):
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
    webhooks()
    wait_for_deliveries(system.pool, 20)
    ids = sorted(request.headers["webhook-id"] for request, _ in httpserver.log)
    assert ids == sorted(str(i) for i in after)
