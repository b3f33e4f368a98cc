"""The TicketFlower application: one event log, the ports it is given, the reads its
commands need, and `handle` for every command."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.utils import EnvType, get_topic

from tf_events.assistant.aggregate import Conversation, ConversationNotFound
from tf_events.commands import Command
from tf_events.components.ports import Components
from tf_events.definitions.aggregate import Definition
from tf_events.definitions.checking import check_definition_set
from tf_events.definitions.format import Kind
from tf_events.definitions.versions import DefinitionVersion, DefinitionVersions
from tf_events.errors import DomainError, Errors, UserNotFound
from tf_events.passwords import hash_password, verify_password
from tf_events.policy import open_to
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.assignment import Candidates, no_candidates
from tf_events.tickets.history import History
from tf_events.tickets.references import CountingReferences, References
from tf_events.tickets.replays import Replays
from tf_events.tickets.submission import TicketTypeUnavailable, VersionOutdated, form_fields
from tf_events.users import User, normalise_username
from tf_events.written import Written

__all__ = ["TicketFlower", "Written"]

R = TypeVar("R")
_DUMMY_HASH = hash_password("not a real password")


class TicketFlower(Application[UUID]):
    """All aggregates share one log, so one notification order serves every read model."""

    name = "ticketflower"

    def __init__(
        self,
        env: EnvType | None = None,
        components: Components | None = None,
        references: References | None = None,
        default_roles: Iterable[str] = (),
    ) -> None:
        super().__init__(env)
        # Ports: compiling and storing layouts, handing out ticket references.
        self._components = components
        self.references: References = references or CountingReferences()
        # Who an assignment rule may choose, read from the read side (tf_system wires it).
        self.candidates: Candidates = no_candidates
        # Roles every new user gets on top of those asked for; the demo adds the team.
        self.default_roles = tuple(default_roles)
        self.definitions = DefinitionVersions(self.repository, self.recorder)
        # A ticket type's workflow and task keys as last read: the guess that lets the next
        # submission read all their current versions at once.
        self._run_keys: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.ticket_replays = Replays()

    @property
    def components(self) -> Components:
        if self._components is None:
            raise RuntimeError("this application was given no component store")
        return self._components

    def handle(self, command: Command[R]) -> R:
        """Run the command's handler and return its result."""
        from tf_events.handlers import HANDLERS

        return HANDLERS[type(command)](self, command)  # type: ignore[no-any-return]

    # -- users ---------------------------------------------------------------------------

    def get_user(self, user_id: UUID) -> User:
        try:
            return self.repository.get(user_id)
        except AggregateNotFoundError:
            raise UserNotFound("No such user.") from None

    def find_user(self, user_id: UUID) -> User | None:
        try:
            return self.get_user(user_id)
        except UserNotFound:
            return None

    def user_id_for(self, username: str) -> UUID:
        return User.create_id(normalise_username(username))

    def authenticate(self, username: str, password: str) -> User | None:
        """The active user with these credentials, read from the log (not a read table)."""
        try:
            user = self.get_user(self.user_id_for(username))
        except DomainError:  # an invalid or unknown name: the same answer at the same cost
            verify_password(_DUMMY_HASH, password)
            return None
        if verify_password(user.password_hash, password) and user.active:
            return user
        return None

    # -- definitions -----------------------------------------------------------------------

    def find_definition(
        self, kind: Kind, key: str, version: int | None = None
    ) -> Definition | None:
        """The aggregate itself, replayed from the store: for commands that change it."""
        try:
            return self.repository.get(Definition.create_id(kind.value, key), version=version)
        except AggregateNotFoundError:
            return None

    def active_content(self, kind: Kind, key: str) -> dict[str, Any] | None:
        """The current content of an active definition, for cross-checks (a Lookup)."""
        found = self.definitions.current(kind, key)
        return None if found is None or found.archived else found.content

    def check_definition_set(self, raw: Mapping[str, Any]) -> Errors:
        """What importing `raw` would refuse, against the active definitions; saves nothing."""
        return check_definition_set(raw, self.components, self.active_content)

    def ticket_form(
        self,
        key: str,
        user_roles: frozenset[str],
        version: int | None = None,
        *,
        published: bool = False,
    ) -> tuple[DefinitionVersion, DefinitionVersion, list[dict[str, Any]]]:
        """The current ticket type, its workflow, and the fields of its form. With
        `version`, the form must have been built from the current version."""
        ticket_type, workflow, _ = self.workflow_run(key, user_roles, version, published=published)
        return ticket_type, workflow, form_fields(ticket_type.content, workflow.content)

    def workflow_run(
        self,
        key: str,
        user_roles: frozenset[str],
        version: int | None = None,
        *,
        published: bool = False,
    ) -> tuple[DefinitionVersion, DefinitionVersion, list[DefinitionVersion]]:
        """What a ticket of type `key` would pin: the current ticket type, its workflow and
        their tasks, read in one look at the store when their keys are as last seen.
        `published`: a designer opened the type to the public, whatever roles it admits."""
        ticket_type, workflow, tasks = self._current_run(key)
        if (
            ticket_type is None
            or ticket_type.archived
            or not (published or open_to(user_roles, ticket_type.content.get("roles", [])))
        ):
            raise TicketTypeUnavailable(f"You cannot submit '{key}' tickets.")
        if version is not None and version != ticket_type.version:
            raise VersionOutdated(
                "This form has changed since you opened it. Check it and submit again."
            )
        present = [t for t in tasks if t is not None]
        if workflow is None or workflow.archived or len(present) < len(tasks):
            raise TicketTypeUnavailable(f"The workflow of '{key}' is not available.")
        return ticket_type, workflow, present

    def _current_run(
        self, key: str
    ) -> tuple[DefinitionVersion | None, DefinitionVersion | None, list[DefinitionVersion | None]]:
        tt, wf, task = Kind.TICKET_TYPE, Kind.WORKFLOW, Kind.TASK
        seen_flow, seen_tasks = self._run_keys.get(key, ("", ()))
        wanted = [(tt, key)]
        if seen_flow:
            wanted += [(wf, seen_flow), *((task, t) for t in seen_tasks)]
        found = self.definitions.current_many(wanted)
        ticket_type = found[(tt, key)]
        if ticket_type is None:
            return None, None, []
        flow_key = ticket_type.content["workflow"]
        if (wf, flow_key) not in found:  # the ticket type now names another workflow
            found |= self.definitions.current_many([(wf, flow_key)])
        workflow = found[(wf, flow_key)]
        task_keys = tuple(workflow.content["tasks"]) if workflow else ()
        if missing := [(task, t) for t in task_keys if (task, t) not in found]:
            found |= self.definitions.current_many(missing)
        self._run_keys[key] = (flow_key, task_keys)
        return ticket_type, workflow, [found[(task, t)] for t in task_keys]

    def restore_component_files(self) -> int:
        """Re-create, from the sources recorded in the log, any component file that is
        missing (a new host, a lost disk). Returns how many were re-created."""
        topics = [f"{get_topic(Definition)}.{name}" for name in ("Created", "Revised")]
        restored, start = 0, 0
        while page := self.recorder.select_notifications(
            start, 500, topics=topics, inclusive_of_start=False
        ):
            for notification in page:
                event: Any = self.mapper.to_domain_event(notification)
                for layout in event.content.get("layouts", {}).values():
                    restored += self.components.restore(layout["source"])
                if event.content.get("code"):
                    restored += self.components.restore_code(event.content["code"])
            start = page[-1].id
        return restored

    # -- conversations with the definition assistant -------------------------------------

    def find_conversation(self, conversation_id: UUID) -> Conversation:
        try:
            return self.repository.get(conversation_id)
        except AggregateNotFoundError:
            raise ConversationNotFound("There is no such conversation.") from None

    # -- tickets -----------------------------------------------------------------------------

    def get_ticket(self, ticket_id: UUID, version: int | None = None) -> Ticket:
        return self.repository.get(ticket_id, version=version)

    def find_ticket(self, ticket_id: UUID) -> Ticket | None:
        try:
            return self.get_ticket(ticket_id)
        except AggregateNotFoundError:
            return None

    def ticket_history(self, ticket_id: UUID, version: int | None = None) -> History:
        """Every event of the ticket, replayed from the store (each event decoded once per
        process), with what each changed in the words of the workflow version it pinned,
        and its state at `version`."""

        def labels(workflow: dict[str, Any]) -> dict[str, str]:
            pinned = self.definitions.at(Kind.WORKFLOW, workflow["key"], workflow["version"])
            return {f["name"]: f["label"] for f in (pinned.content["fields"] if pinned else [])}

        return History.of(self.ticket_replays.get(self, ticket_id, labels), version)
