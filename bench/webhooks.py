"""Webhooks end to end: a ticket is submitted and its `ticket.submitted` delivery reaches a
local HTTP receiver (follower → delivery row → sender → signed POST). Prints the latency
from the submission's commit to the receiver's accept (p50/p95), one ticket at a time,
beside the same signed POST made directly (the HTTP floor), then deliveries per second
for a burst of submissions."""

from __future__ import annotations

import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.common import fresh_system, report, summary
from tf_events.commands import ImportDefinitionSet, SubmitTicket
from tf_events.policy import Actor
from tf_notifications.webhooks.guard import check_target
from tf_notifications.webhooks.posting import post
from tf_notifications.webhooks.process import start_webhooks, wait_for_deliveries
from tf_notifications.webhooks.service import register_webhook
from tf_notifications.webhooks.signing import headers

SAMPLES = int(os.environ.get("TF_BENCH_WEBHOOK_SAMPLES", "100"))
BURST = int(os.environ.get("TF_BENCH_WEBHOOK_BURST", "300"))
DEFINITIONS = {
    "format": "ticketflower.definition-set/1",
    "tasks": [{"key": "look", "name": "Look", "outputs": []}],
    "workflows": [
        {
            "key": "flow",
            "name": "Flow",
            "fields": [{"name": "summary", "type": "text", "label": "Summary"}],
            "tasks": ["look"],
        }
    ],
    "ticket_types": [{"key": "note", "name": "Note", "workflow": "flow", "fields": ["summary"]}],
}


class Receiver(BaseHTTPRequestHandler):
    arrivals: dict[str, float] = {}
    arrived = threading.Condition()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["content-length"]))
        self.send_response(204)
        self.end_headers()
        with self.arrived:
            self.arrivals[self.headers["webhook-id"]] = time.perf_counter()
            self.arrived.notify_all()

    def log_message(self, *_: object) -> None:
        pass


def run() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/hook"
    with fresh_system() as system:
        system.app.handle(ImportDefinitionSet(DEFINITIONS, by="bench"))
        admin = Actor(uuid.uuid4(), frozenset({"admin"}), "bench")
        _, secret = register_webhook(
            system.app,
            admin,
            key="bench",
            name="Bench",
            url=url,
            ticket_types=[],
            event_kinds=["ticket.submitted"],
            allow_private=True,
        )
        submitter = {"id": str(uuid.uuid4()), "username": "sam"}

        def submit() -> None:
            system.app.handle(
                SubmitTicket(
                    submission_key=str(uuid.uuid4()),
                    ticket_type_key="note",
                    data={"summary": "a note"},
                    submitter=submitter,
                    user_roles=frozenset(),
                )
            )

        target = check_target(url, True)
        direct = []
        for i in range(SAMPLES):
            body = b'{"type":"bench"}'
            started = time.perf_counter()
            post(target, headers(secret, f"direct-{i}", int(time.time()), body), body)
            direct.append(time.perf_counter() - started)

        running = start_webhooks(system)
        try:
            latency = []
            for _ in range(SAMPLES):
                seen = len(Receiver.arrivals)
                submit()
                committed = time.perf_counter()
                with Receiver.arrived:
                    Receiver.arrived.wait_for(lambda s=seen: len(Receiver.arrivals) > s, 10)
                latency.append(max(Receiver.arrivals.values()) - committed)
            started = time.perf_counter()
            for _ in range(BURST):
                submit()
            submitted = time.perf_counter() - started
            wait_for_deliveries(system.pool, 300)
            drained = time.perf_counter() - started
        finally:
            running.stop()
    server.shutdown()
    sent = sum(not key.startswith("direct-") for key in Receiver.arrivals)
    report(
        "webhooks: submission committed → receiver accepted (one sender)",
        [
            ("signed POST made directly (floor)", summary(direct)),
            ("submit → delivered, one at a time", summary(latency)),
            (
                f"burst of {BURST} submissions",
                f"submitted in {submitted:.2f} s; all delivered after {drained:.2f} s"
                f" ({BURST / drained:.0f} deliveries/s)",
            ),
            ("deliveries received", f"{sent} of {SAMPLES + BURST}"),
        ],
    )
