"""What a ticket type's page shows about publishing it: the settings (or what the
designer just sent, with its errors), today's count, and the embed snippet."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import url_for

from tf_events.errors import DomainError
from tf_events.public.publication import ALWAYS_ASKED, CONTACT_ITEMS, FITTING_TYPES
from tf_web.extensions import system
from tf_web.queries import public as queries

DEFAULT_DAILY_CAP = 50


def publishing_panel(
    key: str, values: dict[str, Any] | None = None, errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    pool = system().pool
    row = queries.get_publication(pool, key)
    if values is None:
        values = {
            "origins": "\n".join(row.origins) if row else "",
            "contact": row.contact if row else list(ALWAYS_ASKED),
            "contact_from": row.contact_from if row else {},
            "daily_cap": row.daily_cap if row else DEFAULT_DAILY_CAP,
        }
    published = row is not None and row.published
    form_url = url_for("public.form", key=key, _external=True)
    script_url = url_for("public.embed_script", _external=True)
    return {
        "row": row,
        "published": published,
        "given": values,
        "errors": errors or {},
        "contact_items": CONTACT_ITEMS,
        "fitting_fields": _fitting_fields(key),
        "always_asked": ALWAYS_ASKED,
        "today": queries.admitted_on(pool, key, datetime.now(UTC).date()) if published else 0,
        "form_url": form_url,
        "snippet": f'<script src="{script_url}" data-ticketflower-form="{key}" async></script>',
    }


def _fitting_fields(key: str) -> dict[str, list[tuple[str, str]]]:
    """Per contact item, the form's fields (name, label) it could be taken from."""
    try:
        _, _, fields = system().app.ticket_form(key, frozenset(), published=True)
    except DomainError:  # archived, or its workflow is: nothing to take from
        return {}
    return {
        item: [(f["name"], f["label"]) for f in fields if f["type"] in types]
        for item, types in FITTING_TYPES.items()
    }
