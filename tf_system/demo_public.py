"""The demo's published form: the flower order, open to the example shop page
(examples/embed.html) served on port 8080 of this machine."""

from __future__ import annotations

from tf_events.application import TicketFlower
from tf_events.commands import PublishTicketType
from tf_events.policy import Actor
from tf_events.users import Role

# `python3 -m http.server 8080 --directory examples` serves the example page here.
EXAMPLE_SITE_ORIGINS = ("http://127.0.0.1:8080", "http://localhost:8080")
PUBLISHED_FORM = "flower-order"


def publish_demo_form(app: TicketFlower) -> None:
    """Publish the flower order as dana would from its page; the customer's name and
    email come from the form's own fields. Publishing the same settings again records
    nothing, so this is safe to run again."""
    dana = Actor(app.user_id_for("dana"), frozenset({Role.DESIGNER.value}), "dana")
    app.handle(
        PublishTicketType(
            PUBLISHED_FORM,
            EXAMPLE_SITE_ORIGINS,
            ["phone"],
            50,
            dana,
            {"name": "customer_name", "email": "customer_email", "phone": "customer_phone"},
        )
    )
