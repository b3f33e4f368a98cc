"""Submitting a ticket: check the data against the pinned definitions, then record it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from tf_events.definitions.aggregate import Definition
from tf_events.definitions.format import FieldType, Kind
from tf_events.errors import DomainError
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.data_schema import validate_data
from tf_events.tickets.history import Step, ticket_history, ticket_state
from tf_events.tickets.references import CountingReferences, References
from tf_events.tickets.workflow import Person
from tf_events.written import Written


class TicketDataInvalid(DomainError):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("Some fields need attention.")
        self.errors = errors


class CommentInvalid(DomainError):
    """An empty or over-long comment."""


MAX_COMMENT_CHARS = 5000


class TicketTypeUnavailable(DomainError):
    """No such ticket type, archived, or not open to this user's roles."""


class VersionOutdated(DomainError):
    """The form was built from an older version of the ticket type."""


def may_use(roles_allowed: list[str], user_roles: frozenset[str] | set[str]) -> bool:
    return not roles_allowed or bool(set(roles_allowed) & set(user_roles))


def form_fields(ticket_type: dict[str, Any], workflow: dict[str, Any]) -> list[dict[str, Any]]:
    """The workflow's field specs that the ticket type's form collects, in form order."""
    by_name = {f["name"]: f for f in workflow.get("fields", [])}
    return [by_name[name] for name in ticket_type.get("fields", []) if name in by_name]


def summary_of(fields: list[dict[str, Any]], data: Mapping[str, Any], fallback: str) -> str:
    for spec in fields:
        if spec["type"] in (FieldType.TEXT, FieldType.LONG_TEXT) and data.get(spec["name"]):
            return " ".join(str(data[spec["name"]]).split())[:140]
    return fallback


class TicketCommands:
    """Mixed into the TicketFlower application."""

    references: References = CountingReferences()

    def ticket_form(
        self, key: str, user_roles: frozenset[str], version: int | None = None
    ) -> tuple[Definition, Definition, list[dict[str, Any]]]:
        """The ticket type (at `version`, or current), its workflow, and its form fields."""
        current = self.find_definition(Kind.TICKET_TYPE, key)  # type: ignore[attr-defined]
        if (
            current is None
            or current.archived
            or not may_use(current.content.get("roles", []), user_roles)
        ):
            raise TicketTypeUnavailable(f"You cannot submit '{key}' tickets.")
        ticket_type = current
        if version is not None and version != current.version:
            raise VersionOutdated(
                "This form has changed since you opened it. Check it and submit again."
            )
        workflow = self.find_definition(  # type: ignore[attr-defined]
            Kind.WORKFLOW, ticket_type.content["workflow"]
        )
        if workflow is None or workflow.archived:
            raise TicketTypeUnavailable(f"The workflow of '{key}' is not available.")
        return ticket_type, workflow, form_fields(ticket_type.content, workflow.content)

    def submit_ticket(
        self,
        *,
        submission_key: str,
        ticket_type_key: str,
        data: Mapping[str, Any],
        submitter: dict[str, str],
        user_roles: frozenset[str],
        version: int | None = None,
        channel: str = "web",
    ) -> tuple[Ticket, Written]:
        """Record a new ticket, or return the one this submission key already made."""
        existing = self._existing(submission_key, submitter)
        if existing is not None:
            return existing, Written(existing.id, ())
        ticket_type, workflow, fields = self.ticket_form(ticket_type_key, user_roles, version)
        clean, errors = validate_data(fields, data)
        if errors:
            raise TicketDataInvalid(errors)
        tasks = []
        for task_key in workflow.content["tasks"]:
            task = self.find_definition(Kind.TASK, task_key)  # type: ignore[attr-defined]
            tasks.append(
                {
                    "key": task_key,
                    "definition_id": str(task.id),
                    "version": task.version,
                    "name": task.content["name"],
                }
            )
        ticket = Ticket.submit(
            submission_key=submission_key,
            reference=self.references.next(),
            ticket_type={
                "id": str(ticket_type.id),
                "key": ticket_type.key,
                "version": ticket_type.version,
                "name": ticket_type.content["name"],
            },
            workflow={
                "id": str(workflow.id),
                "key": workflow.key,
                "version": workflow.version,
                "name": workflow.content["name"],
            },
            tasks=tasks,
            data=clean,
            submitter=Person.of(submitter),
            summary=summary_of(fields, clean, ticket_type.content["name"]),
            channel=channel,
        )
        try:
            return ticket, Written.of(ticket.id, self.save(ticket))  # type: ignore[attr-defined]
        except IntegrityError:
            # The same submission arrived twice at once: the other one won; return it.
            winner = self._existing(submission_key, submitter)
            if winner is None:
                raise
            return winner, Written(winner.id, ())

    def _existing(self, submission_key: str, submitter: dict[str, str]) -> Ticket | None:
        try:
            ticket = self.repository.get(Ticket.create_id(submission_key))  # type: ignore[attr-defined]
        except AggregateNotFoundError:
            return None
        if str(ticket.submitter.id) != submitter.get("id"):
            raise DomainError("This submission key was used by someone else.")
        return ticket

    def comment_on_ticket(
        self, ticket_id: Any, by: dict[str, str], text: str, key: str | None = None
    ) -> Written:
        """Add a comment; the caller has checked that `by` may comment.

        A comment sent again with the same key (a double click, an API retry) is added once.
        """
        text = text.replace("\r\n", "\n").strip()  # a browser sends line ends as CR LF
        if not text:
            raise CommentInvalid("Write a comment first.", field="text")
        if len(text) > MAX_COMMENT_CHARS:
            raise CommentInvalid(
                f"Keep a comment under {MAX_COMMENT_CHARS} characters.", field="text"
            )
        # Two comments at once collide on the ticket's next version: load again and retry.
        key = f"{by['id']}:{key or uuid.uuid4()}"
        attempts_left = 5
        while True:
            ticket = self.get_ticket(ticket_id)
            if ticket.has_comment(key):
                return Written(ticket.id, ())
            ticket.add_comment(by=Person.of(by), text=text, key=key)
            try:
                return Written.of(ticket.id, self.save(ticket))  # type: ignore[attr-defined]
            except IntegrityError:
                attempts_left -= 1
                if not attempts_left:
                    raise

    def ticket_history(self, ticket_id: Any) -> list[Step]:
        """Every event of the ticket, replayed from the store, with what each changed."""
        return ticket_history(self, ticket_id)  # type: ignore[arg-type]

    def ticket_state_at(self, ticket_id: Any, version: int) -> dict[str, Any]:
        """The ticket's whole state as it was at `version`, replayed from the store."""
        return ticket_state(self.get_ticket(ticket_id, version=version))

    def get_ticket(self, ticket_id: Any, version: int | None = None) -> Ticket:
        return self.repository.get(ticket_id, version=version)  # type: ignore[attr-defined]
