"""What a ticket type's page shows about publishing it: the settings (or what the
designer just sent, with its errors), today's count, and the embed snippet."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import url_for

from tf_events.public.publication import ALWAYS_ASKED, CONTACT_ITEMS
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
            "daily_cap": row.daily_cap if row else DEFAULT_DAILY_CAP,
        }
    published = row is not None and row.published
    form_url = url_for("public.form", key=key, _external=True)
    script_url = url_for("static", filename="js/embed.js", _external=True)
    return {
        "row": row,
        "published": published,
        "values": values,
        "errors": errors or {},
        "contact_items": CONTACT_ITEMS,
        "always_asked": ALWAYS_ASKED,
        "today": queries.admitted_on(pool, key, datetime.now(UTC).date()) if published else 0,
        "form_url": form_url,
        "snippet": f'<script src="{script_url}" data-ticketflower-form="{key}" async></script>',
    }
