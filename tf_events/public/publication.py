"""The Publication aggregate: whether a ticket type takes submissions from the public,
from which websites, what a submitter must say about themselves, and how many a day.

Public methods check the rules; the private @event methods record the change."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from eventsourcing.domain import Aggregate, event

from tf_events.errors import Conflict, Errors, Invalid, NotFound
from tf_events.public.origins import clean_origins

_NAMESPACE = uuid.UUID("5e0d3c52-7a51-4a8e-9d0b-1f6a2e4c8b31")

# What a public submitter may be asked for; name and email always.
CONTACT_ITEMS = {"name": "Your name", "email": "Your email", "phone": "Your phone number"}
ALWAYS_ASKED = ("name", "email")
MAX_DAILY_CAP = 10_000
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
_PHONE = re.compile(r"\+?[0-9 ()./-]{5,30}")
MAX_NAME = 100


class PublicationInvalid(Invalid):
    def __init__(self, errors: Errors) -> None:
        super().__init__("Some publishing settings need attention.", errors=errors)


class NotPublished(NotFound):
    """Unpublished and never-published forms look the same: there is no such form."""


class ContactInvalid(Invalid):
    def __init__(self, errors: Errors) -> None:
        super().__init__("Tell us how to reach you.", errors=errors)


def check_settings(
    origins: list[str], contact: list[str], daily_cap: Any
) -> tuple[list[str], list[str], int]:
    """Publishing settings as stored, or PublicationInvalid naming each bad one."""
    cleaned, errors = clean_origins(origins)
    if not cleaned and "origins" not in errors:
        errors["origins"] = ["Give at least one website the form may be embedded in."]
    unknown = [item for item in contact if item not in CONTACT_ITEMS]
    if unknown:
        errors["contact"] = [f"Unknown contact item: {', '.join(unknown)[:80]}."]
    asked = [item for item in CONTACT_ITEMS if item in ALWAYS_ASKED or item in contact]
    if isinstance(daily_cap, bool) or not isinstance(daily_cap, int):
        errors["daily_cap"] = ["Give a whole number of tickets a day."]
    elif not 1 <= daily_cap <= MAX_DAILY_CAP:
        errors["daily_cap"] = [f"Between 1 and {MAX_DAILY_CAP:,} tickets a day."]
    if errors:
        raise PublicationInvalid(errors)
    return cleaned, asked, daily_cap


class Publication(Aggregate):
    """One per ticket type (its id comes from the type's key)."""

    @staticmethod
    def create_id(ticket_type_key: str) -> uuid.UUID:
        return uuid.uuid5(_NAMESPACE, ticket_type_key)

    @event("Created")
    def __init__(self, ticket_type_key: str) -> None:
        self.ticket_type_key = ticket_type_key
        self.published = False
        self.origins: list[str] = []
        self.contact: list[str] = list(ALWAYS_ASKED)
        self.daily_cap = 0

    def publish(self, origins: list[str], contact: list[str], daily_cap: Any, by: str) -> None:
        """Open the form to the public (or change how), with settings checked."""
        cleaned, asked, cap = check_settings(origins, contact, daily_cap)
        if self.published and (cleaned, asked, cap) == (self.origins, self.contact, self.daily_cap):
            return  # nothing changed: no event
        self._published(
            ticket_type_key=self.ticket_type_key,
            origins=cleaned,
            contact=asked,
            daily_cap=cap,
            by=by,
        )

    # Each event names the ticket type again, so readers need not remember the Created one.
    @event("Published")
    def _published(
        self, ticket_type_key: str, origins: list[str], contact: list[str], daily_cap: int, by: str
    ) -> None:
        self.published = True
        self.origins = origins
        self.contact = contact
        self.daily_cap = daily_cap

    def unpublish(self, by: str) -> None:
        if not self.published:
            raise Conflict("This form is not published.")
        self._unpublished(ticket_type_key=self.ticket_type_key, by=by)

    @event("Unpublished")
    def _unpublished(self, ticket_type_key: str, by: str) -> None:
        self.published = False

    def check_accepting(self) -> None:
        if not self.published:
            raise NotPublished("There is no such form.")

    def check_contact(self, given: Mapping[str, str]) -> dict[str, str]:
        """What the submitter told about themselves, trimmed, each asked item checked."""
        contact: dict[str, str] = {}
        errors: Errors = {}
        for item in self.contact:
            value = " ".join(str(given.get(item) or "").split())
            problem = _contact_problem(item, value)
            if problem:
                errors[f"contact_{item}"] = [problem]
            contact[item] = value
        if errors:
            raise ContactInvalid(errors)
        return contact


def _contact_problem(item: str, value: str) -> str | None:
    if not value:
        return f"{CONTACT_ITEMS[item]} is needed."
    if item == "name" and len(value) > MAX_NAME:
        return f"Keep the name under {MAX_NAME} characters."
    if item == "email" and (len(value) > 254 or not _EMAIL.fullmatch(value)):
        return "Give an email address like name@example.com."
    if item == "phone" and not _PHONE.fullmatch(value):
        return "Give a phone number (digits, spaces, + and -)."
    return None
