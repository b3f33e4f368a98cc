"""What a mail says (plain text and simple HTML) and the message that carries it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape

FOOTER = "You get this mail because of your notification choices on your account page."


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Item:
    """One notice as kept in the outbox, ready to be mailed alone or in a digest."""

    subject: str
    body: str
    link: str


def single(item: Item, account_link: str) -> Mail:
    text = f"{item.body}\n\nOpen it: {item.link}\n\n--\n{FOOTER}\n{account_link}\n"
    html = _page(
        f"<p>{_paragraphs(item.body)}</p>"
        f'<p><a href="{escape(item.link)}">Open it in TicketFlower</a></p>',
        account_link,
    )
    return Mail(item.subject, text, html)


def digest(items: Sequence[Item], day: date, account_link: str) -> Mail:
    count = f"{len(items)} notification{'s' if len(items) != 1 else ''}"
    subject = f"TicketFlower digest for {day.isoformat()}: {count}"
    text = "".join(f"* {item.subject}\n  {item.body}\n  {item.link}\n\n" for item in items)
    entries = "".join(
        f'<li><a href="{escape(item.link)}">{escape(item.subject)}</a>'
        f"<br>{_paragraphs(item.body)}</li>"
        for item in items
    )
    return Mail(
        subject,
        f"Your notifications of {day.isoformat()}:\n\n{text}--\n{FOOTER}\n{account_link}\n",
        _page(f"<p>Your notifications of {day.isoformat()}:</p><ul>{entries}</ul>", account_link),
    )


def build(delivery_id: uuid.UUID, mail: Mail, sender: str, to: str, at: datetime) -> EmailMessage:
    """The Message-ID (and the MIME boundary) come from the delivery id: a mail sent again
    after a crash is the same mail, byte for byte."""
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(at)
    message["Message-ID"] = message_id(delivery_id)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: autoresponders stay quiet
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    boundary = f"=={delivery_id.hex}=="  # not random: the same bytes every time
    if boundary not in mail.text and boundary not in mail.html:  # a comment could quote it
        message.set_boundary(boundary)
    return message


def message_id(delivery_id: uuid.UUID) -> str:
    return f"<{delivery_id}@ticketflower>"


def _paragraphs(text: str) -> str:
    return escape(text).replace("\n\n", "</p><p>").replace("\n", "<br>")


def _page(content: str, account_link: str) -> str:
    return (
        '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">'
        f"{content}"
        f'<p style="color:#666;font-size:90%">{escape(FOOTER)} '
        f'<a href="{escape(account_link)}">Change them</a>.</p></body></html>'
    )
