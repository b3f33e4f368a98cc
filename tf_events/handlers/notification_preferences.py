"""Handler of a user's email notification choices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.application import AggregateNotFoundError

from tf_events import commands as c
from tf_events.notification_preferences import NotificationPreferences
from tf_events.written import Written

if TYPE_CHECKING:
    from tf_events.application import TicketFlower


def set_notification_preferences(app: TicketFlower, cmd: c.SetNotificationPreferences) -> Written:
    app.get_user(cmd.user_id)  # an unknown user has no preferences to keep
    try:
        preferences: NotificationPreferences = app.repository.get(
            NotificationPreferences.create_id(cmd.user_id)
        )
    except AggregateNotFoundError:
        preferences = NotificationPreferences(user_id=cmd.user_id)
    preferences.set_address(cmd.address)
    preferences.choose(cmd.choices)
    return Written.of(preferences.id, app.save(preferences))
