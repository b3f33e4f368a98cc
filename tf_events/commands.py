"""Commands: every write, as an object. Each has one handler in `tf_events.handlers`, and
`TicketFlower.handle(command)` returns what that handler returns (always with `.written`,
where its events landed, so readers can wait for them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, NamedTuple, TypeVar
from uuid import UUID

from tf_events.assistant.generator import Document
from tf_events.definitions.format import Kind
from tf_events.errors import Errors
from tf_events.policy import Actor
from tf_events.tickets.aggregate import Ticket
from tf_events.written import Written

R = TypeVar("R", covariant=True)


class Command(Generic[R]):
    """A request to change something; its handler returns an R."""


# -- users -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterUser(Command[Written]):
    username: str
    password: str
    display_name: str = ""
    roles: Sequence[str] = ()
    registered_by: str = "system"


@dataclass(frozen=True)
class ChangeRoles(Command[Written]):
    user_id: UUID
    roles: Sequence[str]
    changed_by: str


@dataclass(frozen=True)
class ChangePassword(Command[Written]):
    """Set a password for good (an operator's, from the console)."""

    user_id: UUID
    password: str


@dataclass(frozen=True)
class ChangeOwnPassword(Command[Written]):
    """A signed-in user proves they know the current password before replacing it."""

    user_id: UUID
    current: str
    new: str


@dataclass(frozen=True)
class SetTemporaryPassword(Command[Written]):
    """Someone else's choice of password, to be replaced at the user's next sign-in."""

    user_id: UUID
    password: str
    set_by: str


@dataclass(frozen=True)
class DeactivateUser(Command[Written]):
    user_id: UUID
    changed_by: str


@dataclass(frozen=True)
class ReactivateUser(Command[Written]):
    user_id: UUID
    changed_by: str


@dataclass(frozen=True)
class SetAway(Command[Written]):
    """A user marks themselves away (True) or back (False)."""

    user_id: UUID
    away: bool


class TokenCreated(NamedTuple):
    token: str  # shown once; only its hash is kept
    written: Written


@dataclass(frozen=True)
class CreateApiToken(Command[TokenCreated]):
    user_id: UUID
    name: str


@dataclass(frozen=True)
class RevokeApiToken(Command[Written]):
    user_id: UUID
    token_id: str


# -- definitions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Define(Command[Written]):
    kind: Kind
    raw: Mapping[str, Any]
    by: str


@dataclass(frozen=True)
class ReviseDefinition(Command[Written]):
    kind: Kind
    key: str
    raw: Mapping[str, Any]
    by: str


@dataclass(frozen=True)
class ArchiveDefinition(Command[Written]):
    kind: Kind
    key: str
    by: str


@dataclass(frozen=True)
class RestoreDefinition(Command[Written]):
    kind: Kind
    key: str
    by: str


@dataclass(frozen=True)
class ImportDefinitionSet(Command[Written]):
    raw: Mapping[str, Any]
    by: str


# -- tickets -----------------------------------------------------------------------------


class TicketSubmitted(NamedTuple):
    ticket: Ticket
    written: Written  # no positions when the submission key had made the ticket already

    @property
    def is_new(self) -> bool:
        return bool(self.written.positions)


@dataclass(frozen=True)
class SubmitTicket(Command[TicketSubmitted]):
    submission_key: str
    ticket_type_key: str
    data: Mapping[str, Any]
    submitter: dict[str, str]
    user_roles: frozenset[str]
    version: int | None = None
    channel: str = "web"
    # False when the system made the key up (an API call without an Idempotency-Key):
    # then no earlier submission can have used it, and none is looked for.
    may_repeat: bool = True


@dataclass(frozen=True)
class CommentOnTicket(Command[Written]):
    """Add a comment; the caller has checked that `by` may comment. A comment sent again
    with the same key (a double click, an API retry) is added once."""

    ticket_id: UUID
    by: dict[str, str]
    text: str
    key: str | None = field(default=None)


# -- working tickets ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ActOnTicket(Command[Written]):
    """A step in working a ticket, by `actor`; the handler asks the policy. With
    `expected_version` (an API If-Match) it is refused when the ticket has moved on."""

    ticket_id: UUID
    actor: Actor
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class ActOnTask(ActOnTicket):
    position: int  # from 0; pages and the API number tasks from 1


@dataclass(frozen=True, kw_only=True)
class ClaimTask(ActOnTask):
    pass


@dataclass(frozen=True, kw_only=True)
class ReleaseTask(ActOnTask):
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class TakeBackTask(ActOnTask):
    """Take the task from `holder_id` if they still hold it (a dispatcher's act, done by
    the system when someone is deactivated); if they no longer do, nothing happens, so
    sending it again is safe."""

    holder_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class AssignTask(ActOnTask):
    assignee_id: UUID


@dataclass(frozen=True, kw_only=True)
class SaveTaskDraft(ActOnTask):
    values: Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class CompleteTask(ActOnTask):
    """`key` (an API Idempotency-Key, a form's token) makes a retry apply once."""

    outputs: Mapping[str, Any]
    key: str = ""


@dataclass(frozen=True, kw_only=True)
class FailTask(ActOnTask):
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReopenTask(ActOnTask):
    pass


@dataclass(frozen=True, kw_only=True)
class CancelTicket(ActOnTicket):
    reason: str


@dataclass(frozen=True, kw_only=True)
class WithdrawTicket(ActOnTicket):
    pass


# -- conversations with the definition assistant ------------------------------------------


@dataclass(frozen=True)
class StartConversation(Command[Written]):
    generator: str  # the name of the generator that will answer
    by: str
    title: str = ""


@dataclass(frozen=True)
class PostMessage(Command[Written]):
    """The person's message, with the documents (extracted text) sent along with it."""

    conversation_id: UUID
    text: str
    documents: Sequence[Document]
    by: str


@dataclass(frozen=True)
class ProposeDraft(Command[Written]):
    """The generator's reply and its draft, with the check's errors; nothing is saved but
    the conversation."""

    conversation_id: UUID
    text: str
    draft: Mapping[str, Any] | None
    errors: Errors
    by: str  # the generator's name


@dataclass(frozen=True)
class AcceptDraft(Command[Written]):
    """Import the draft as new versions, all or nothing, with the acceptance."""

    conversation_id: UUID
    by: str


# -- notification preferences ----------------------------------------------------------


@dataclass(frozen=True)
class SetNotificationPreferences(Command[Written]):
    """A user's email address and, per kind of notice, immediately / daily digest / off."""

    user_id: UUID
    address: str
    choices: Mapping[str, object]


# -- public submission --------------------------------------------------------------------


@dataclass(frozen=True)
class PublishTicketType(Command[Written]):
    """Open a ticket type to the public (or change its settings); `actor` must design."""

    ticket_type_key: str
    origins: Sequence[str]
    contact: Sequence[str]
    daily_cap: Any
    actor: Actor
    # Contact items taken from the form's own fields (item -> field name), not asked apart.
    contact_from: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class UnpublishTicketType(Command[Written]):
    ticket_type_key: str
    actor: Actor


@dataclass(frozen=True)
class SubmitPublicTicket(Command[TicketSubmitted]):
    """A ticket from someone who is no user, through a published form (the handler makes
    its submitter the public identity of this submission); `day` is today's UTC date for
    the daily cap; only the status link's hash reaches the event log."""

    submission_key: str
    ticket_type_key: str
    data: Mapping[str, Any]
    version: int | None
    contact: Mapping[str, str]
    day: date
    status_token_hash: str
