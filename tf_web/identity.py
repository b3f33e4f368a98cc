"""Who is signed in, what they may do, and the decorator that checks it on every route."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from flask import abort
from flask_login import UserMixin, current_user, login_required

from tf_events.users import Role
from tf_web.extensions import login_manager, system
from tf_web.queries.tickets import TicketRow
from tf_web.queries.users import get_user

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class SignedInUser(UserMixin):
    id: UUID
    username: str
    display_name: str
    roles: frozenset[str]

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
    """Reload from the read table on each request: deactivation or a role change takes
    effect at the next click, not at the next sign-in."""
    try:
        row = get_user(system().pool, UUID(user_id))
    except ValueError:
        return None
    if row is None or not row.active:
        return None
    return SignedInUser(row.id, row.username, row.display_name, frozenset(row.roles))


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
