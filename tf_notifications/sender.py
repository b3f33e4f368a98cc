"""The sender loop: gather due digests, lease a due mail (SKIP LOCKED), send it, record.

A mail is sent at least once and, short of a crash between the server's accept and the
record of it, exactly once; even then it is the same message (same Message-ID, same
Date), which mail clients and servers treat as one.
"""

from __future__ import annotations

import logging
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from tf_notifications.digests import gather_digests
from tf_notifications.mailer import Mailer, PermanentFailure, TemporaryFailure
from tf_notifications.message import Item, build, digest, single
from tf_projections.read_model import listen_to, wait_for_news

log = logging.getLogger(__name__)

LEASE_SECONDS = 120  # longer than an SMTP exchange may take, then another sender retries
IDLE_SECONDS = 0.5
# Whose new positions wake this sender: the mail follower: it notifies as it queues mail.
NEWS_FROM = ("notifications",)
MAX_ATTEMPTS = 8  # with 30 s doubling: tries over about two hours
RETRY_SECONDS = 30.0
MAX_ERROR_CHARS = 500

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SenderConfig:
    mail_from: str
    base_url: str
    digest_hour: int
    retry_seconds: float = RETRY_SECONDS
    max_attempts: int = MAX_ATTEMPTS


class Sender:
    """One sender thread; several may run, on several machines."""

    def __init__(
        self,
        pool: ConnectionPool,
        mailer: Mailer,
        config: SenderConfig,
        database_url: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.pool, self.mailer, self.config = pool, mailer, config
        self.database_url, self.clock = database_url, clock
        self.name = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name=f"mail-{self.name}")

    def start(self) -> Sender:
        self.thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        self._stopping.set()
        self.thread.join(timeout)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                listener = (
                    psycopg.connect(self.database_url, autocommit=True, connect_timeout=5)
                    if self.database_url
                    else None
                )
                try:
                    if listener is not None:
                        listen_to(listener, NEWS_FROM)
                    while not self._stopping.is_set():
                        if not self.run_once():
                            self._idle(listener)
                finally:
                    if listener is not None:
                        listener.close()
            except Exception:
                log.exception("mail sender %s failed; going on", self.name)
                self._stopping.wait(IDLE_SECONDS)

    def _idle(self, listener: psycopg.Connection[Any] | None) -> None:
        if listener is None:
            self._stopping.wait(IDLE_SECONDS)
            return
        wait_for_news(listener, NEWS_FROM, IDLE_SECONDS)

    def run_once(self) -> bool:
        """Gather due digests, then send one due mail; False when nothing was due."""
        account_link = f"{self.config.base_url}/account#notifications"
        gathered = gather_digests(self.pool, self.clock(), self.config.digest_hour, account_link)
        row = self._lease()
        if row is None:
            return gathered > 0
        self._send(row, account_link)
        return True

    def _lease(self) -> dict[str, Any] | None:
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            return cur.execute(
                "UPDATE notification_deliveries d SET status = 'sending',"
                " attempts = d.attempts + 1, sender = %s,"
                " lease_until = now() + make_interval(secs => %s)"
                " WHERE delivery_id = ("
                "   SELECT delivery_id FROM notification_deliveries"
                "   WHERE status IN ('queued', 'sending') AND due_at <= now()"
                "     AND coalesce(lease_until, due_at) <= now()"
                "   ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED"
                " ) RETURNING d.*",
                (self.name, LEASE_SECONDS),
            ).fetchone()

    def _send(self, row: dict[str, Any], account_link: str) -> None:
        address = self._address(row["user_id"])
        if not address:
            self._record(row, "no_address", None, "No email address on the account page.")
            return
        if row["kind"] == "digest":
            mail = digest(self._digest_items(row["delivery_id"]), row["digest_day"], account_link)
        else:
            mail = single(Item(row["subject"], row["body"], row["link"]), account_link)
        message = build(row["delivery_id"], mail, self.config.mail_from, address, row["created_at"])
        try:
            self.mailer.send(message)
        except TemporaryFailure as failure:
            if row["attempts"] >= self.config.max_attempts:
                self._record(row, "failed", address, str(failure))
            else:
                delay = self.config.retry_seconds * 2 ** (row["attempts"] - 1)
                self._record(row, "queued", address, str(failure), retry_in=delay)
            return
        except PermanentFailure as failure:
            self._record(row, "failed", address, str(failure))
            return
        self._record(row, "sent", address, None)

    def _address(self, user_id: uuid.UUID) -> str:
        with self.pool.connection() as conn:
            found = conn.execute(
                "SELECT address FROM notification_recipients WHERE user_id = %s", (user_id,)
            ).fetchone()
        return found[0] if found else ""

    def _digest_items(self, digest_id: uuid.UUID) -> list[Item]:
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT subject, body, link FROM notification_deliveries WHERE digest_id = %s"
                " ORDER BY created_at, delivery_id",
                (digest_id,),
            ).fetchall()
        return [Item(*row) for row in rows]

    def _record(
        self,
        row: dict[str, Any],
        status: str,
        recipient: str | None,
        error: str | None,
        retry_in: float = 0.0,
    ) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "UPDATE notification_deliveries SET status = %s, recipient = %s,"
                " last_error = coalesce(%s, last_error),"
                " lease_until = NULL, due_at = now() + make_interval(secs => %s),"
                " sent_at = CASE WHEN %s = 'sent' THEN now() END"
                " WHERE delivery_id = %s AND sender = %s AND status = 'sending'",
                (
                    status,
                    recipient,
                    error[:MAX_ERROR_CHARS] if error else None,
                    retry_in,
                    status,
                    row["delivery_id"],
                    self.name,
                ),
            )
