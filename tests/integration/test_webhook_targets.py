"""Where a webhook delivery goes, against real PostgreSQL and a real HTTP receiver: the SSRF
guard again at delivery time, the connection pinned to the address checked, no redirect
followed, a slow receiver timed out."""

from __future__ import annotations

import time

from werkzeug import Response

from tests.webhooks_world import DEFINITIONS, hook, rows, settle, submit
from tf_events import commands as c
from tf_notifications.webhooks.follower import WebhookFollower
from tf_notifications.webhooks.sender import Sender
from tf_projections.worker import ProjectionWorker


def test_a_host_that_resolves_to_a_private_address_at_delivery_time_is_refused(
    system, webhooks, httpserver
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
    webhooks(resolve=lambda host, _port: answers[host], first_backoff=30)
    submit(system)
    deadline = time.monotonic() + 20
    while not (attempts := rows(system, "SELECT error FROM webhook_attempts")):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    (error,) = attempts[0]
    assert "Refused" in error and "loopback" in error
    assert httpserver.log == []


def test_the_sender_connects_to_the_address_it_checked_and_names_the_host(
    system, webhooks, httpserver
):
    httpserver.expect_request("/hook").respond_with_data("ok")
    resolve = lambda host, _port: ["127.0.0.1"] if host == "receiver.test" else []  # noqa: E731
    hook(system, f"http://receiver.test:{httpserver.port}/hook", resolve=resolve)
    webhooks(resolve=resolve)
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
