"""Where mails go: an SMTP server (TF_SMTP_URL), or, with none set, a folder the admin's
Outbox page shows."""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

SMTP_TIMEOUT = 30


class TemporaryFailure(Exception):
    """Worth another try later: the server is away, busy, or said 4xx."""


class PermanentFailure(Exception):
    """No retry will help: the server said 5xx (no such mailbox, refused)."""


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class SmtpMailer:
    """smtp://[user:pass@]host[:port] (STARTTLS when the server offers it) or smtps://."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("TF_SMTP_URL must look like smtp://host:25 or smtps://host:465.")
        self.secure = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.secure else 25)
        self.username = unquote(parts.username or "")
        self.password = unquote(parts.password or "")

    def send(self, message: EmailMessage) -> None:
        try:
            with self._connect() as smtp:
                if not self.secure and smtp.has_extn("starttls"):
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _ in refused.recipients.values()]
            failure = TemporaryFailure if all(400 <= c < 500 for c in codes) else PermanentFailure
            raise failure(f"recipient refused: {refused.recipients}") from None
        except smtplib.SMTPResponseException as said:
            text = (
                said.smtp_error.decode(errors="replace")
                if isinstance(said.smtp_error, bytes)
                else str(said.smtp_error)
            )
            failure = TemporaryFailure if 400 <= said.smtp_code < 500 else PermanentFailure
            raise failure(f"{said.smtp_code} {text}") from None
        except (OSError, smtplib.SMTPException) as lost:  # refused, timed out, disconnected
            raise TemporaryFailure(f"{type(lost).__name__}: {lost}") from None

    def _connect(self) -> smtplib.SMTP:
        if self.secure:
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
            )
        return smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT)


class OutboxFolder:
    """Each mail as `<delivery id>.eml`: written again after a crash, it is the same file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = str(message["Message-ID"]).strip("<>").split("@")[0]
        path = self.folder / f"{name}.eml"
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(bytes(message))
        tmp.replace(path)


def mailer_for(smtp_url: str, data_dir: Path) -> Mailer:
    return SmtpMailer(smtp_url) if smtp_url else OutboxFolder(outbox_folder(data_dir))


def outbox_folder(data_dir: Path) -> Path:
    return data_dir / "outbox"
