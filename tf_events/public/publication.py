"""The Publication aggregate: whether a ticket type takes submissions from the public,
from which websites, what a submitter must say about themselves, and how many a day.

Public methods check the rules; the private @event methods record the change."""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Mapping
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


# A contact item may come from one of the form's own fields of a fitting type, so a form
# that already asks for the customer's name and email does not ask twice.
FITTING_TYPES = {"name": ("text",), "email": ("email",), "phone": ("phone",)}


def check_settings(
    origins: list[str],
    contact: list[str],
    daily_cap: Any,
    contact_from: Mapping[str, str],
    form_fields: Mapping[str, str],
) -> tuple[list[str], list[str], int, dict[str, str]]:
    """Publishing settings as stored, or PublicationInvalid naming each bad one.
    `form_fields`: the form's field names and types, which `contact_from` may name."""
    cleaned, errors = clean_origins(origins)
    if not cleaned and "origins" not in errors:
        errors["origins"] = ["Give at least one website the form may be embedded in."]
    unknown = [item for item in contact if item not in CONTACT_ITEMS]
    if unknown:
        errors["contact"] = [f"Unknown contact item: {', '.join(unknown)[:80]}."]
    asked = [item for item in CONTACT_ITEMS if item in ALWAYS_ASKED or item in contact]
    taken: dict[str, str] = {}
    for item, field in contact_from.items():
        if not field:
            continue
        if item not in asked:
            errors[f"contact_from_{item}"] = ["Only what people must give can come from the form."]
        elif form_fields.get(field) not in FITTING_TYPES[item]:
            errors[f"contact_from_{item}"] = [
                f"The form has no {' or '.join(FITTING_TYPES[item])} field '{field[:60]}'."
            ]
        else:
            taken[item] = field
    if isinstance(daily_cap, bool) or not isinstance(daily_cap, int):
        errors["daily_cap"] = ["Give a whole number of tickets a day."]
    elif not 1 <= daily_cap <= MAX_DAILY_CAP:
        errors["daily_cap"] = [f"Between 1 and {MAX_DAILY_CAP:,} tickets a day."]
    if errors:
        raise PublicationInvalid(errors)
    return cleaned, asked, daily_cap, taken


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
        self.contact_from: dict[str, str] = {}

    def publish(
        self,
        origins: list[str],
        contact: list[str],
        daily_cap: Any,
        by: str,
        *,
        contact_from: Mapping[str, str] | None = None,
        form_fields: Mapping[str, str] | None = None,
    ) -> None:
        """Open the form to the public (or change how), with settings checked."""
        settings = check_settings(
            origins, contact, daily_cap, contact_from or {}, form_fields or {}
        )
        current = (self.origins, self.contact, self.daily_cap, self.contact_from)
        if self.published and settings == current:
            return  # nothing changed: no event
        cleaned, asked, cap, taken = settings
        self._published(
            ticket_type_key=self.ticket_type_key,
            origins=cleaned,
            contact=asked,
            daily_cap=cap,
            contact_from=taken,
            by=by,
        )

    # Each event names the ticket type again, so readers need not remember the Created one.
    @event("Published")
    def _published(
        self,
        ticket_type_key: str,
        origins: list[str],
        contact: list[str],
        daily_cap: int,
        contact_from: dict[str, str],
        by: str,
    ) -> None:
        self.published = True
        self.origins = origins
        self.contact = contact
        self.daily_cap = daily_cap
        self.contact_from = contact_from

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

    def check_contact(
        self, given: Mapping[str, str], data: Mapping[str, Any], form_fields: Collection[str]
    ) -> dict[str, str]:
        """What the submitter told about themselves, trimmed, each asked item checked:
        from the form's data where it comes from a field (errors under that field), else
        from `given` (errors under `contact_<item>`)."""
        apart = asked_apart(self.contact, self.contact_from, form_fields)
        contact: dict[str, str] = {}
        errors: Errors = {}
        for item in self.contact:
            where = f"contact_{item}" if item in apart else self.contact_from[item]
            raw = given.get(item) if item in apart else data.get(where)
            value = " ".join(str(raw or "").split())
            problem = _contact_problem(item, value)
            if problem:
                errors[where] = [problem]
            contact[item] = value
        if errors:
            raise ContactInvalid(errors)
        return contact


def asked_apart(
    contact: Collection[str], contact_from: Mapping[str, str], form_fields: Collection[str]
) -> list[str]:
    """The contact items a page asks for beside the form: those not taken from one of its
    fields (a field since removed from the form is asked for apart again)."""
    return [item for item in contact if contact_from.get(item) not in form_fields]


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
