"""Notification latency: from a comment's event being saved to the SMTP server accepting
the mail it makes (p50/p95), through the Procfile's `notifications` process and a real
SMTP server (aiosmtpd), beside a bare smtplib send to the same server in the same run.
Then a burst: mails accepted per second when many events land at once.
TF_BENCH_NOTIFICATIONS sets the number of mails timed one by one (default 50)."""

from __future__ import annotations

import os
import re
import smtplib
import threading
import time
import uuid
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller

from bench.common import (
    free_port,
    fresh_system,
    procfile_env,
    report,
    start_process,
    stop_process,
    summary,
)
from tf_events.commands import (
    CommentOnTicket,
    ImportDefinitionSet,
    RegisterUser,
    SetNotificationPreferences,
    SubmitTicket,
)
from tf_projections.waiting import wait_for
from tf_system.bootstrap import System

MARK = re.compile(r"bench-(\d+)-(\d+)")
BURST = 100
WORK = {
    "format": "ticketflower.definition-set/1",
    "tasks": [{"key": "look", "name": "Look at it", "outputs": []}],
    "workflows": [
        {
            "key": "repair",
            "name": "Repair",
            "fields": [{"name": "summary", "type": "text", "label": "Summary", "required": True}],
            "tasks": ["look"],
        }
    ],
    "ticket_types": [
        {"key": "broken", "name": "Something broke", "workflow": "repair", "fields": ["summary"]}
    ],
}


class Receiver:
    """Notes when each marked mail was accepted."""

    def __init__(self) -> None:
        self.accepted: dict[tuple[int, int], float] = {}
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        at = time.perf_counter()
        message = message_from_bytes(envelope.content, policy=default)
        found = MARK.search(message.get_body(("plain",)).get_content())
        if found:
            with self.arrived:
                self.accepted[(int(found[1]), int(found[2]))] = at
                self.arrived.notify_all()
        return "250 OK"

    def wait(self, keys: list[tuple[int, int]], timeout: float = 60) -> None:
        with self.arrived:
            if not self.arrived.wait_for(lambda: all(k in self.accepted for k in keys), timeout):
                raise TimeoutError(f"{sum(k not in self.accepted for k in keys)} mails missing")


def _setup(system: System) -> tuple[uuid.UUID, dict[str, str]]:
    app = system.app
    for name, roles in (("sam", ()), ("tess", ("ticket_team",))):
        written = app.handle(RegisterUser(name, "bench password 1", roles=roles))
        app.handle(SetNotificationPreferences(written.aggregate_id, f"{name}@example.com", {}))
    wait_for(system.pool, app.handle(ImportDefinitionSet(WORK, by="bench")), 60)
    ticket = app.handle(
        SubmitTicket(
            submission_key=str(uuid.uuid4()),
            ticket_type_key="broken",
            data={"summary": "the printer jams"},
            submitter={"id": str(app.user_id_for("sam")), "username": "sam"},
            user_roles=frozenset(),
        )
    ).ticket
    return ticket.id, {"id": str(app.user_id_for("tess")), "username": "tess"}


def run() -> None:
    count = int(os.environ.get("TF_BENCH_NOTIFICATIONS", "50"))
    receiver = Receiver()
    controller = Controller(receiver, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp_url = f"smtp://127.0.0.1:{controller.port}"
    try:
        with fresh_system() as system:
            env = procfile_env(system.database_url, free_port())
            env["TF_SMTP_URL"] = smtp_url
            processes = [start_process(name, env) for name in ("projections", "notifications")]
            try:
                ticket_id, tess = _setup(system)
                _measure(system, receiver, controller.port, ticket_id, tess, count)
            finally:
                for process in processes:
                    stop_process(process)
    finally:
        controller.stop()


def _measure(
    system: System,
    receiver: Receiver,
    port: int,
    ticket_id: uuid.UUID,
    tess: dict[str, str],
    count: int,
) -> None:
    def comment(round_: int, i: int) -> None:
        text = f"Update bench-{round_}-{i}."
        system.app.handle(CommentOnTicket(ticket_id, by=tess, text=text))

    comment(0, 0)  # the process starts, connects and catches up
    receiver.wait([(0, 0)], timeout=120)

    notified, bare = [], []
    for i in range(count):  # interleaved, so a busy moment of the machine hits both alike
        started = time.perf_counter()
        comment(1, i)
        receiver.wait([(1, i)])
        notified.append(receiver.accepted[(1, i)] - started)

        message = EmailMessage()
        message["Subject"], message["From"], message["To"] = "bare", "a@example.com", "b@x.org"
        message.set_content(f"bench-2-{i}")
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            smtp.send_message(message)
        receiver.wait([(2, i)])
        bare.append(receiver.accepted[(2, i)] - started)

    started = time.perf_counter()
    for i in range(BURST):
        comment(3, i)
    receiver.wait([(3, i) for i in range(BURST)], timeout=300)
    burst = time.perf_counter() - started

    report(
        "notifications: event saved → SMTP server accepts the mail",
        [
            ("through the notifications process", summary(notified)),
            ("baseline: bare smtplib send", summary(bare)),
            (
                f"burst of {BURST} comments",
                f"{burst:.2f} s until all accepted ({BURST / burst:.0f} mails/s)",
            ),
        ],
    )
