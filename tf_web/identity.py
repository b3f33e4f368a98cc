"""Who is signed in, what they may do, and the decorator that checks it on every route."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from flask import abort
from flask_login import UserMixin, current_user, login_required, login_user, logout_user

from tf_events.users import Role, User
from tf_web import sessions
from tf_web.extensions import login_manager
from tf_web.queries.tickets import TicketRow

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

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def can_design(self) -> bool:
        return self.has_role(Role.DESIGNER) or self.is_admin

    @property
    def on_ticket_team(self) -> bool:
        return self.has_role(Role.TICKET_TEAM)

    @property
    def sees_all_tickets(self) -> bool:
        """The ticket team works on every ticket; auditors read every ticket."""
        return self.on_ticket_team or self.has_role(Role.AUDITOR)

    def may_see(self, ticket: TicketRow) -> bool:
        return ticket.submitter_id == self.id or self.sees_all_tickets

    def may_comment(self, ticket: TicketRow) -> bool:
        """The submitter and the ticket team talk on a ticket; auditors only read."""
        return ticket.submitter_id == self.id or self.on_ticket_team


@login_manager.user_loader
def load_user(user_id: str) -> SignedInUser | None:
    """Check the session on the server at each request: signing out, deactivation, and a
    password or role change end it at the next click, not at the next sign-in."""
    row = sessions.current_user(user_id)
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


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Allow the route to signed-in users holding any of `roles`; 403 for the others."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not any(current_user.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate
