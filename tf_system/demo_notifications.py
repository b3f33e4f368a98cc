"""The demo users' email addresses, so the notifications process has somewhere to send:
with no SMTP server set, the mails land on the admin's Outbox page."""

from __future__ import annotations

from collections.abc import Iterable

from tf_events.application import TicketFlower
from tf_events.commands import SetNotificationPreferences

# Tess gathers her assignments in a daily digest: the account page shows both kinds.
CHOICES = {"tess": {"assigned": "digest"}}


def seed_demo_notifications(app: TicketFlower, usernames: Iterable[str]) -> None:
    """Safe to run again: choosing what is already chosen records nothing."""
    for username in usernames:
        app.handle(
            SetNotificationPreferences(
                app.user_id_for(username), f"{username}@example.com", CHOICES.get(username, {})
            )
        )
