"""The `notifications` process runs every kind of delivery: a ticket's events reach a
webhook's receiver, and its email notices are made, from the one process."""

from __future__ import annotations

import time

from tests.webhooks_world import DEFINITIONS, hook, rows, settle, submit, work_to_closed
from tf_events import commands as c
from tf_notifications.process import start_notifications


def test_the_notifications_process_delivers_webhooks_beside_email(system, httpserver):
    system.app.handle(c.ImportDefinitionSet(DEFINITIONS, by="dana"))
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok", status=200)
    hook(system, httpserver.url_for("/hook"), event_kinds=["ticket.closed"])
    running = start_notifications(system)
    try:
        work_to_closed(system, submit(system, summary="A chair for the front desk"))
        settle(system, 1)
        deadline = time.monotonic() + 20
        sql = "SELECT username, kind, status FROM notification_deliveries"
        while not rows(system, sql) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        running.stop()
    assert len(httpserver.log) == 1  # the webhook, told of the closing
    # The submitter's notice of the closing, kept though sam gave no address to mail it to.
    assert rows(system, sql) == [("sam", "closed", "no_address")]
