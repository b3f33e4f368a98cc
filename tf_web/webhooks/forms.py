"""The webhook form's fields, checked before anything is sent to the Webhook aggregate."""

from __future__ import annotations

from marshmallow import fields, validate

from tf_notifications.webhooks.aggregate import MAX_NAME_LENGTH, MAX_URL_LENGTH
from tf_notifications.webhooks.kinds import EVENT_KINDS
from tf_web.schemas import FormSchema

LIST_FIELDS = ("ticket_types", "event_kinds")


class WebhookForm(FormSchema):
    name = fields.String(
        required=True,
        error_messages={"required": "Give the webhook a name."},
        validate=[
            validate.Length(min=1, error="Give the webhook a name."),
            validate.Length(
                max=MAX_NAME_LENGTH, error=f"Use at most {MAX_NAME_LENGTH} characters."
            ),
        ],
    )
    url = fields.String(
        required=True,
        error_messages={"required": "Give the URL to send events to."},
        validate=[
            validate.Length(min=1, error="Give the URL to send events to."),
            validate.Length(max=MAX_URL_LENGTH, error="Use at most 2,000 characters."),
        ],
    )
    ticket_types = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)), load_default=list
    )
    event_kinds = fields.List(
        fields.String(validate=validate.OneOf(list(EVENT_KINDS), error="Unknown event kind.")),
        load_default=list,
    )
    allow_private = fields.Boolean(
        load_default=False, error_messages={"invalid": "Tick the box or leave it empty."}
    )


class NewWebhookForm(WebhookForm):
    # Made when the form is drawn: the same form posted twice registers one hook.
    key = fields.String(
        required=True,
        error_messages={"required": "Reload the form and try again."},
        validate=validate.Regexp(r"^[0-9a-f]{32}$", error="Reload the form and try again."),
    )
