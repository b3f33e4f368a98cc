"""What templates call to show a value: the one way each kind of value reads on a page.

Filters rather than method calls in the templates: Jinja routes every call written in a
template through its context (a check of what the callable wants, per call), which made a
list page of 50 rows spend more time on its dates than on its query."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask import Flask
from markupsafe import Markup, escape

from tf_events.tickets.workflow import Resolution, TicketStatus, task_label, ticket_label

PRECISION = {"date": "%Y-%m-%d", "minute": "%Y-%m-%d %H:%M", "second": "%Y-%m-%d %H:%M:%S"}


def time_tag(
    when: datetime, precision: Literal["date", "minute", "second"] = "minute", *, utc: bool = False
) -> Markup:
    """A <time> of a UTC datetime (as the read tables hold them), which local-time.js shows
    in the reader's own time zone. `utc` says so in the text too, where a page shows it
    beside other words."""
    shown = escape(when.strftime(PRECISION[precision]) + (" UTC" if utc else ""))
    # Both parts escaped; Markup(...).format would take three times as long.
    return Markup(f'<time datetime="{escape(when.isoformat())}">{shown}</time>')  # noqa: S704


def init_app(app: Flask) -> None:
    app.jinja_env.filters["time_tag"] = time_tag
    app.jinja_env.filters["ticket_status"] = lambda status: TicketStatus(status).label
    app.jinja_env.filters["resolution"] = lambda resolution: Resolution(resolution).label
    app.jinja_env.globals["task_label"] = task_label
    app.jinja_env.globals["ticket_label"] = ticket_label
