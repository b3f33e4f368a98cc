"""Who is signed in, and the decorator that asks the policy on every route."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from flask_login import UserMixin, current_user, login_required, login_user, logout_user

from tf_events.errors import NotFound
from tf_events.policy import Action, Actor, OwnedTicket, check, may
from tf_events.users import User
from tf_web import sessions
from tf_web.extensions import login_manager, system
from tf_web.queries.tickets import TicketRow, get_ticket

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class SignedInUser(UserMixin):
    id: UUID
    username: str
    display_name: str
    roles: frozenset[str]
    # Set by an admin's temporary password: every page leads to "choose your password".
    must_change_password: bool = False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.roles, self.username)

    def may(
        self,
        action: Action | str,
        ticket: OwnedTicket | None = None,
        roles_allowed: Collection[str] = (),
    ) -> bool:
        """The policy's answer; templates ask it as `current_user.may('design')`."""
        return may(self.actor, Action(action), ticket, roles_allowed=roles_allowed)

    def check(self, action: Action, ticket: OwnedTicket | None = None) -> None:
        """Raise the policy's refusal (NotFound, NotAllowed) unless allowed."""
        check(self.actor, action, ticket)

    # The navigation's questions, by name.
    @property
    def is_admin(self) -> bool:
        return self.may(Action.ADMINISTER)

    @property
    def can_design(self) -> bool:
        return self.may(Action.DESIGN)

    @property
    def sees_all_tickets(self) -> bool:
        return self.may(Action.SEE_ALL_TICKETS)


def visible_ticket(user: SignedInUser, ticket_id: UUID) -> TicketRow:
    """The ticket from the read table, or the policy's NotFound: existence does not leak."""
    row = get_ticket(system().pool, ticket_id)
    if row is None:
        raise NotFound("No such ticket, or not one you may see.")
    user.check(Action.SEE_TICKET, row)
    return row


@login_manager.user_loader
def load_user(user_id: str) -> SignedInUser | None:
    """Check the session on the server at each request: signing out, deactivation, and a
    password or role change end it at the next click, not at the next sign-in."""
    row = sessions.session_user(user_id)
    if row is None:
        return None
    return SignedInUser(
        row.id, row.username, row.display_name, frozenset(row.roles), row.must_change_password
    )


def sign_in(user: User) -> None:
    """Start a fresh session for `user`, read from the event store (after a password
    check, or to keep the session that just ended the user's other ones)."""
    sessions.start(user.id, user.session_generation)
    login_user(
        SignedInUser(
            user.id,
            user.username,
            user.display_name,
            frozenset(user.roles),
            user.must_change_password,
        )
    )


def sign_out() -> None:
    logout_user()
    sessions.end()


def allowed_to(action: Action) -> Callable[[F], F]:
    """Allow the route to signed-in users the policy lets do `action`; 403 for the others."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def guarded(*args: Any, **kwargs: Any) -> Any:
            current_user.check(action)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate
