"""Email notifications end to end against real PostgreSQL and a real SMTP server
(aiosmtpd): who gets which mail, what it says and links to, preferences off and digest,
retry after a temporary failure, and exactly once across a restart."""

from __future__ import annotations

import email
import socket
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from psycopg.rows import dict_row

from tf_events import commands as c
from tf_events.commands import ImportDefinitionSet, SetNotificationPreferences, SubmitTicket
from tf_events.policy import Actor
from tf_notifications.email import start_email
from tf_notifications.mailer import SmtpMailer
from tf_projections.waiting import wait_for

BASE = "https://tf.example"

WORK = {
    "format": "ticketflower.definition-set/1",
    "tasks": [
        {"key": "look", "name": "Look at it", "outputs": []},
        {"key": "fix", "name": "Fix it", "outputs": []},
    ],
    "workflows": [
        {
            "key": "repair",
            "name": "Repair",
            "fields": [{"name": "summary", "type": "text", "label": "Summary", "required": True}],
            "tasks": ["look", "fix"],
        }
    ],
    "ticket_types": [
        {"key": "broken", "name": "Something broke", "workflow": "repair", "fields": ["summary"]}
    ],
}


class Receiver:
    """An SMTP server's DATA handler: keeps each message; can say 451 or 550 first."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse_next: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_next:
            return self.refuse_next.pop(0)
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def wait(self, count: int, timeout: float = 20) -> list[email.message.EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.messages) >= count, [m["Subject"] for m in self.messages]
        return self.messages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    receiver = Receiver()
    controller = Controller(receiver, hostname="127.0.0.1", port=free_port())
    controller.start()
    receiver.url = f"smtp://127.0.0.1:{controller.port}"
    yield receiver
    controller.stop()


@pytest.fixture
def settings(settings, smtp):
    return replace(settings, smtp_url=smtp.url, base_url=BASE, mail_from="TF <tf@tf.example>")


class Team:
    def __init__(self, system, make_user) -> None:
        self.system = system
        self.ids = {
            "sam": make_user("sam"),
            "tess": make_user("tess", ("ticket_team",)),
            "dora": make_user("dora", ("dispatcher", "ticket_team")),
        }
        self.roles = {"sam": (), "tess": ("ticket_team",), "dora": ("dispatcher", "ticket_team")}
        for name in self.ids:
            self.prefer(name, {})
        wait_for(system.pool, system.app.handle(ImportDefinitionSet(WORK, by="dana")), 5)

    def actor(self, name: str) -> Actor:
        return Actor(self.ids[name], frozenset(self.roles[name]), name)

    def prefer(self, name: str, choices: dict, address: str | None = None) -> None:
        written = self.system.app.handle(
            SetNotificationPreferences(self.ids[name], address or f"{name}@example.com", choices)
        )
        wait_for(self.system.pool, written, 5)

    def submit(self, summary: str = "the printer jams") -> uuid.UUID:
        return self.system.app.handle(
            SubmitTicket(
                submission_key=str(uuid.uuid4()),
                ticket_type_key="broken",
                data={"summary": summary},
                submitter={"id": str(self.ids["sam"]), "username": "sam"},
                user_roles=frozenset(),
            )
        ).ticket.id

    def do(self, command_class, name: str, ticket_id: uuid.UUID, **more):
        return self.system.app.handle(
            command_class(ticket_id=ticket_id, actor=self.actor(name), **more)
        )

    def assign(self, ticket_id, position=0, to="tess", by="dora"):
        self.do(c.AssignTask, by, ticket_id, position=position, assignee_id=self.ids[to])

    def comment(self, ticket_id, name="tess", text="We are on it."):
        self.system.app.handle(
            c.CommentOnTicket(ticket_id, {"id": str(self.ids[name]), "username": name}, text)
        )

    def work_to_close(self, ticket_id):
        for position in (0, 1):
            self.assign(ticket_id, position)
            self.do(c.CompleteTask, "tess", ticket_id, position=position, outputs={})

    def recorded(self, timeout: float = 10) -> list[dict]:
        """The deliveries once none is being sent: the server accepts a mail a moment
        before the sender records it."""
        deadline = time.monotonic() + timeout
        rows = self.deliveries()
        while any(row["status"] in ("queued", "sending") for row in rows):
            assert time.monotonic() < deadline, rows
            time.sleep(0.05)
            rows = self.deliveries()
        return rows

    def deliveries(self) -> list[dict]:
        with self.system.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            return cur.execute(
                "SELECT * FROM notification_deliveries ORDER BY created_at"
            ).fetchall()


@pytest.fixture
def team(system, workers, make_user):
    return Team(system, make_user)


@pytest.fixture
def mail(system):
    started = []

    def start(**options):
        running = start_email(system, **options)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


def bodies(message) -> tuple[str, str]:
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def test_each_person_gets_the_mail_meant_for_them_with_a_link_to_the_page(team, smtp, mail):
    mail()
    ticket_id = team.submit()
    team.assign(ticket_id)  # → tess
    team.comment(ticket_id)  # → sam
    team.comment(ticket_id, "sam", "Thanks!")  # sam's own: nobody
    team.do(c.FailTask, "tess", ticket_id, position=0, reason="No toner")  # → dora
    messages = smtp.wait(3)
    time.sleep(0.5)
    assert len(smtp.messages) == 3
    by_to = {m["To"]: m for m in messages}
    assert set(by_to) == {"tess@example.com", "sam@example.com", "dora@example.com"}

    assigned = by_to["tess@example.com"]
    assert assigned["From"] == "TF <tf@tf.example>"
    assert "'Look at it' is assigned to you" in assigned["Subject"]
    text, html = bodies(assigned)
    task_link = f"{BASE}/tickets/{ticket_id}/tasks/1"
    assert "dora assigned you 'Look at it'" in text and "the printer jams" in text
    assert task_link in text and f'href="{task_link}"' in html

    commented = by_to["sam@example.com"]
    text, html = bodies(commented)
    assert "We are on it." in text and f"{BASE}/tickets/{ticket_id}#comments" in text

    error = by_to["dora@example.com"]
    assert "problem with 'Look at it'" in error["Subject"]
    assert "No toner" in bodies(error)[0]

    ids = {row["delivery_id"]: row for row in team.recorded()}
    for message in messages:
        delivery = uuid.UUID(message["Message-ID"].strip("<>").split("@")[0])
        assert ids[delivery]["status"] == "sent"


def test_a_kind_turned_off_is_not_mailed_and_a_digest_waits_for_the_next_morning(
    system, team, smtp, mail
):
    team.prefer("sam", {"commented": "off", "closed": "digest"})
    team.prefer("tess", {"assigned": "digest"})
    clock = [datetime.now(UTC)]
    mail(clock=lambda: clock[0])
    first, second = team.submit("first"), team.submit("second")
    team.comment(first)
    team.work_to_close(first)
    team.work_to_close(second)
    deadline = time.monotonic() + 20
    while len(rows := team.deliveries()) < 7:  # 1 comment, 2 closings, 4 assignments
        assert time.monotonic() < deadline, rows
        time.sleep(0.05)
    time.sleep(0.5)
    assert smtp.messages == []
    today = datetime.now(UTC).date()
    statuses = sorted((row["username"], row["kind"], row["status"]) for row in rows)
    assert ("sam", "commented", "off") in statuses
    assert statuses.count(("sam", "closed", "digest")) == 2
    assert statuses.count(("tess", "assigned", "digest")) == 4

    clock[0] = datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC) + timedelta(
        hours=6, minutes=59
    )
    time.sleep(1.5)
    assert smtp.messages == []  # not yet the digest hour

    clock[0] += timedelta(minutes=1)
    messages = smtp.wait(2)
    time.sleep(1)
    assert len(smtp.messages) == 2  # one per user, not one per notice
    sam = next(m for m in messages if m["To"] == "sam@example.com")
    assert sam["Subject"] == f"TicketFlower digest for {today.isoformat()}: 2 notifications"
    text, html = bodies(sam)
    assert f"{BASE}/tickets/{first}" in text and f"{BASE}/tickets/{second}" in text
    assert f'href="{BASE}/tickets/{first}"' in html
    tess = next(m for m in messages if m["To"] == "tess@example.com")
    assert "4 notifications" in tess["Subject"]


def test_a_temporary_smtp_failure_is_retried_and_a_permanent_one_is_not(team, smtp, mail):
    smtp.refuse_next = ["451 4.3.0 Try again later"]
    mail(retry_seconds=0.2)
    ticket_id = team.submit()
    team.assign(ticket_id)
    [message] = smtp.wait(1)
    assert message["To"] == "tess@example.com"
    [row] = team.recorded()
    assert row["attempts"] == 2 and row["status"] == "sent"
    assert "451" in row["last_error"]

    smtp.refuse_next = ["550 5.1.1 No such mailbox"]
    team.comment(ticket_id)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        failed = [r for r in team.deliveries() if r["status"] == "failed"]
        if failed:
            break
        time.sleep(0.05)
    assert failed[0]["attempts"] == 1 and "550" in failed[0]["last_error"]
    assert len(smtp.messages) == 1


def test_a_restart_mid_way_neither_loses_nor_duplicates_a_mail(system, team, smtp, mail):
    running = mail()
    first = team.submit()
    team.assign(first)
    team.comment(first)
    smtp.wait(2)
    running.stop()

    # While the process is down: more work, and a mail a crashed sender had leased.
    team.comment(first, text="Parts ordered.")
    team.do(c.FailTask, "tess", first, position=0, reason="Parts missing")
    second = team.submit("second")
    team.assign(second)
    with system.pool.connection() as conn:
        conn.execute(
            "UPDATE notification_deliveries SET status = 'sending', attempts = 1,"
            " lease_until = now() - interval '1 second', sender = 'crashed'"
            " WHERE status = 'sent' AND username = 'tess'"
        )
    mail()
    messages = smtp.wait(6)
    time.sleep(1.5)
    assert len(smtp.messages) == 6
    ids = [m["Message-ID"] for m in messages]
    # The leased one went again under the same Message-ID: a receiver sees one mail.
    assert len(set(ids)) == 5
    subjects = sorted(m["Subject"] for m in messages)
    assert sum("new comment" in s for s in subjects) == 2
    assert sum("problem" in s for s in subjects) == 1
    assert all(row["status"] == "sent" for row in team.recorded())


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_server_that_wants_a_login_gets_the_user_and_password_of_the_url(system, team):
    from aiosmtpd.smtp import AuthResult

    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret:pw")

    receiver = Receiver()
    controller = Controller(
        receiver,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        url = f"smtp://mailer:s3cret%3Apw@127.0.0.1:{controller.port}"
        running = start_email(system, mailer=SmtpMailer(url))
        try:
            team.assign(team.submit())
            [message] = receiver.wait(1)
        finally:
            running.stop()
    finally:
        controller.stop()
    assert message["To"] == "tess@example.com"
    assert logins == [(b"mailer", b"s3cret:pw")]
