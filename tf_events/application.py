"""The TicketFlower application: every command, over one event log."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.utils import EnvType

from tf_events.assistant.commands import AssistantCommands
from tf_events.components.store import ComponentStore
from tf_events.definitions.commands import DefinitionCommands
from tf_events.tickets.commands import TicketCommands
from tf_events.user_commands import UserCommands
from tf_events.written import Written

__all__ = ["TicketFlower", "Written"]


class TicketFlower(
    UserCommands, DefinitionCommands, TicketCommands, AssistantCommands, Application[UUID]
):
    """All aggregates share one log, so one notification order serves every read model."""

    name = "ticketflower"

    def __init__(
        self, env: EnvType | None = None, components: ComponentStore | None = None
    ) -> None:
        super().__init__(env)
        if components is not None:
            self.components = components
