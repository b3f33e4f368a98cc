"""The admin's Outbox: with no SMTP server set, the mails the notifications process wrote
to the outbox folder, newest first, so a demo can show them."""

from __future__ import annotations

from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path

from flask import Blueprint, render_template

from tf_events.policy import Action
from tf_notifications.mailer import outbox_folder
from tf_web.extensions import system
from tf_web.identity import allowed_to

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")

SHOWN = 50


@dataclass(frozen=True)
class OutboxMail:
    message_id: str
    sent_to: str
    sender: str
    subject: str
    date: str
    text: str


def _read(path: Path) -> OutboxMail:
    message = message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    date = message["Date"]
    return OutboxMail(
        message_id=str(message["Message-ID"] or ""),
        sent_to=str(message["To"] or ""),
        sender=str(message["From"] or ""),
        subject=str(message["Subject"] or ""),
        date=parsedate_to_datetime(date).strftime("%Y-%m-%d %H:%M UTC") if date else "",
        text=body.get_content() if isinstance(body, EmailMessage) else "",
    )


def newest_mails(folder: Path, limit: int = SHOWN) -> tuple[list[OutboxMail], int]:
    """The newest `limit` mails of the folder (by when they were written), and how many
    there are in all."""
    if not folder.is_dir():
        return [], 0
    files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [_read(path) for path in files[:limit]], len(files)


@bp.route("")
@allowed_to(Action.ADMINISTER)
def index() -> str:
    """Show the mails written to the outbox folder, newest first."""
    settings = system().settings
    mails, total = newest_mails(outbox_folder(settings.data_dir))
    return render_template(
        "admin/outbox.html", mails=mails, total=total, smtp_configured=bool(settings.smtp_url)
    )
