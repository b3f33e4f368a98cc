"""What an admin does to webhooks: each function loads the hook, lets it decide, saves,
and returns where its events landed (and the new secret, the one time it is shown)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from tf_events.definitions.format import Kind
from tf_events.errors import Conflict, Errors, NotFound
from tf_events.policy import Action, Actor, check
from tf_events.written import Written
from tf_notifications.webhooks.aggregate import Webhook, WebhookInvalid, check_settings
from tf_notifications.webhooks.guard import Resolver, TargetRefused, check_target, system_resolver

if TYPE_CHECKING:
    from tf_events.application import TicketFlower


def register_webhook(
    app: TicketFlower,
    actor: Actor,
    *,
    key: str,
    name: str,
    url: str,
    ticket_types: Sequence[str],
    event_kinds: Sequence[str],
    allow_private: bool,
    resolve: Resolver = system_resolver,
) -> tuple[Written, str]:
    check(actor, Action.ADMINISTER)
    _check_all(app, name, url, ticket_types, event_kinds, allow_private, resolve)
    hook = Webhook.register(
        key=key,
        name=name,
        url=url,
        ticket_types=ticket_types,
        event_kinds=event_kinds,
        allow_private=allow_private,
        by=actor.username,
    )
    try:
        recordings = app.save(hook)
    except IntegrityError:  # the same form posted again
        raise Conflict("This webhook was already created; find it in the list.") from None
    return Written.of(hook.id, recordings), hook.secret


def change_webhook(
    app: TicketFlower,
    actor: Actor,
    hook_id: UUID,
    *,
    name: str,
    url: str,
    ticket_types: Sequence[str],
    event_kinds: Sequence[str],
    allow_private: bool,
    resolve: Resolver = system_resolver,
) -> Written:
    check(actor, Action.ADMINISTER)
    hook = get_webhook(app, hook_id)
    _check_all(app, name, url, ticket_types, event_kinds, allow_private, resolve)
    hook.change(
        name=name,
        url=url,
        ticket_types=ticket_types,
        event_kinds=event_kinds,
        allow_private=allow_private,
        by=actor.username,
    )
    return Written.of(hook.id, app.save(hook))


def set_webhook_enabled(app: TicketFlower, actor: Actor, hook_id: UUID, enabled: bool) -> Written:
    check(actor, Action.ADMINISTER)
    hook = get_webhook(app, hook_id)
    if enabled:
        hook.enable(by=actor.username)
    else:
        hook.disable(by=actor.username)
    return Written.of(hook.id, app.save(hook))


def rotate_webhook_secret(app: TicketFlower, actor: Actor, hook_id: UUID) -> tuple[Written, str]:
    check(actor, Action.ADMINISTER)
    hook = get_webhook(app, hook_id)
    secret = hook.rotate_secret(by=actor.username)
    return Written.of(hook.id, app.save(hook)), secret


def get_webhook(app: TicketFlower, hook_id: UUID) -> Webhook:
    try:
        hook: object = app.repository.get(hook_id)
    except AggregateNotFoundError:
        raise NotFound("No such webhook.") from None
    if not isinstance(hook, Webhook):
        raise NotFound("No such webhook.")
    return hook


def _check_all(
    app: TicketFlower,
    name: str,
    url: str,
    ticket_types: Sequence[str],
    event_kinds: Sequence[str],
    allow_private: bool,
    resolve: Resolver,
) -> None:
    """The hook's own rules and those that need the world (the URL's addresses, the
    ticket types), every error at once."""
    errors: Errors = {}
    try:
        check_settings(name, url, ticket_types, event_kinds)
    except WebhookInvalid as invalid:
        errors.update(invalid.errors)
    unknown = [key for key in ticket_types if app.active_content(Kind.TICKET_TYPE, key) is None]
    if unknown:
        errors["ticket_types"] = [f"No such ticket type: {', '.join(sorted(unknown))}."]
    if "url" not in errors:
        try:
            check_target(url, allow_private, resolve)
        except TargetRefused as refused:
            errors["url"] = [refused.message]
    if errors:
        raise WebhookInvalid("Some settings cannot be accepted.", errors=errors)
