"""Each user's choice of email notifications: the address, and per kind of notice whether
to mail it at once, gather it in a daily digest, or not at all."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from enum import StrEnum

from eventsourcing.domain import Aggregate, event

from tf_events.errors import Invalid

_NAMESPACE = uuid.UUID("3d0b8a52-6a8e-4f8e-9b0e-1f6c2b7d9e41")
MAX_ADDRESS_LENGTH = 254
# One @, no spaces or control characters (a CR/LF would inject mail headers), a dot in the
# domain: what a person can mistype is caught; whether the mailbox exists only SMTP knows.
_ADDRESS = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")


class NoticeKind(StrEnum):
    ASSIGNED = "assigned"  # a task was assigned to you
    CLOSED = "closed"  # your ticket was closed
    COMMENTED = "commented"  # the team commented on your ticket
    ERROR = "error"  # a task stopped with a problem (dispatchers)


class Delivery(StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


DEFAULT_CHOICES: dict[str, str] = {kind.value: Delivery.IMMEDIATE.value for kind in NoticeKind}


def parse_address(raw: str) -> str:
    """The address as stored; empty means no mail at all."""
    address = raw.strip()
    if not address:
        return ""
    if len(address) > MAX_ADDRESS_LENGTH or not _ADDRESS.fullmatch(address):
        raise Invalid("Enter an email address like name@example.com.", field="address")
    return address


def parse_choices(
    raw: Mapping[str, object], base: Mapping[str, str] = DEFAULT_CHOICES
) -> dict[str, str]:
    """`base` with the kinds given changed; an unknown kind or delivery is refused by name."""
    choices = {**DEFAULT_CHOICES, **base}
    for kind, delivery in raw.items():
        if kind not in choices:
            raise Invalid(f"Unknown kind of notification: {kind}.", field=str(kind)[:40])
        if delivery not in {d.value for d in Delivery}:
            raise Invalid("Choose immediately, daily digest or off.", field=kind)
        choices[kind] = str(delivery)
    return choices


class NotificationPreferences(Aggregate):
    """One per user, made the first time they save their choices."""

    @staticmethod
    def create_id(user_id: uuid.UUID) -> uuid.UUID:
        return uuid.uuid5(_NAMESPACE, str(user_id))

    @event("Started")
    def __init__(self, user_id: uuid.UUID) -> None:
        self.user_id = user_id
        self.address = ""
        self.choices = dict(DEFAULT_CHOICES)

    def set_address(self, raw: str) -> None:
        address = parse_address(raw)
        if address != self.address:
            self._address_set(address=address)

    @event("AddressSet")
    def _address_set(self, address: str) -> None:
        self.address = address

    def choose(self, raw: Mapping[str, object]) -> None:
        choices = parse_choices(raw, self.choices)
        if choices != self.choices:
            self._chosen(choices=choices)

    @event("Chosen")
    def _chosen(self, choices: dict[str, str]) -> None:
        self.choices = choices

    def delivery(self, kind: NoticeKind) -> Delivery:
        return Delivery(self.choices.get(kind.value, Delivery.IMMEDIATE.value))
