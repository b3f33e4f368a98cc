"""Every read model of the system, in one list: workers, rebuild and status use it."""

from __future__ import annotations

from tf_notifications.webhooks.hooks_view import WebhooksReadModel
from tf_projections.conversations import ConversationsReadModel
from tf_projections.definitions import DefinitionsReadModel
from tf_projections.notification_preferences import NotificationPreferencesReadModel
from tf_projections.read_model import ReadModel
from tf_projections.reports import ReportsReadModel
from tf_projections.tickets import TicketsReadModel
from tf_projections.users import UsersReadModel

READ_MODELS: tuple[type[ReadModel], ...] = (
    UsersReadModel,
    DefinitionsReadModel,
    TicketsReadModel,
    ConversationsReadModel,
    ReportsReadModel,
    NotificationPreferencesReadModel,
    WebhooksReadModel,
)


def read_model_class(name: str) -> type[ReadModel]:
    for model in READ_MODELS:
        if model.name == name:
            return model
    known = ", ".join(m.name for m in READ_MODELS)
    raise KeyError(f"No read model named {name!r}; known: {known}.")
