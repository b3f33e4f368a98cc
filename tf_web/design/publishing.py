"""Publishing a ticket type for the public, from its page in Design."""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for
from flask_login import current_user

from tf_events.commands import PublishTicketType, UnpublishTicketType
from tf_events.definitions.format import Kind
from tf_events.public.publication import CONTACT_ITEMS, PublicationInvalid
from tf_web.commanding import execute
from tf_web.design.publication_panel import publishing_panel
from tf_web.design.views import bp, designers_only, detail_page

ANCHOR = "publishing"


def _back(key: str) -> Response:
    return redirect(url_for("design.detail", slug="ticket-types", key=key, _anchor=ANCHOR), 303)


@bp.route("/ticket-types/<key>/publication", methods=["POST"])
@designers_only
def publish(key: str) -> Response | tuple[str, int]:
    """Publish the ticket type (or change where and how), or take it off the web."""
    if request.form.get("unpublish"):
        execute(UnpublishTicketType(key, current_user.actor))
        flash("The form is no longer published: its page and embeds answer “not found”.", "success")
        return _back(key)
    origins = request.form.get("origins", "").splitlines()
    contact = request.form.getlist("contact")
    contact_from = {
        item: request.form.get(f"contact_from_{item}", "")
        for item in CONTACT_ITEMS
        if request.form.get(f"contact_from_{item}")
    }
    raw_cap = request.form.get("daily_cap", "").strip()
    cap: object = int(raw_cap) if raw_cap.isdigit() and len(raw_cap) < 7 else raw_cap
    try:
        execute(PublishTicketType(key, origins, contact, cap, current_user.actor, contact_from))
    except PublicationInvalid as invalid:
        values = {
            "origins": request.form.get("origins", ""),
            "contact": contact,
            "contact_from": contact_from,
            "daily_cap": raw_cap,
        }
        panel = publishing_panel(key, values, invalid.errors)
        return detail_page(Kind.TICKET_TYPE, key, publishing=panel), 422
    flash("Published. Put the snippet below on your website.", "success")
    return _back(key)
