"""The PublicSubmission aggregate: who sent a public ticket (as they said), and the hash
of their status link. Its id is the ticket's submitter id, so the policy's "own ticket"
rule applies to the holder of the link as to a signed-in submitter.

The status link's token is an HMAC of this id under the server's secret: unguessable
without the secret, the same for a retried submission (so a double click shows the same
link), and computable again by the notifications process to email it. Only its SHA-256
is stored."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from tf_events.policy import PUBLIC_ROLE, Actor

_NAMESPACE = uuid.UUID("8f3b2d61-0c9e-4f57-b1a4-2e6d9c7a5b03")


class PublicSubmission(Aggregate):
    @staticmethod
    def create_id(submission_key: str) -> uuid.UUID:
        return uuid.uuid5(_NAMESPACE, submission_key)

    @event("Received")
    def __init__(
        self,
        submission_key: str,
        ticket_id: UUID,
        ticket_type_key: str,
        reference: str,
        contact: dict[str, str],
        email: str,
        status_token_hash: str,
    ) -> None:
        # `email` is the contact's email again, as its own field: the notifications
        # process mails the status link there.
        self.ticket_id = ticket_id
        self.ticket_type_key = ticket_type_key
        self.reference = reference
        self.contact = contact
        self.email = email
        self.status_token_hash = status_token_hash


def public_actor(submitter_id: UUID, name: str) -> Actor:
    """Whoever holds a public ticket's status link: no user, only the `public` role."""
    return Actor(id=submitter_id, roles=frozenset({PUBLIC_ROLE}), username=public_username(name))


def public_username(name: str) -> str:
    return f"{name} (public)"


def status_token(secret_key: str, submitter_id: UUID) -> str:
    digest = hmac.new(secret_key.encode(), f"tf-status:{submitter_id}".encode(), "sha256")
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
