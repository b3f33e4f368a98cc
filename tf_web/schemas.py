"""Marshmallow schemas: every form and API field is checked here before any command runs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema
from werkzeug.datastructures import MultiDict

from tf_events.errors import errors_by_field
from tf_events.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from tf_events.users import USERNAME_PATTERN, Role

ROLE_CHOICES = [role.value for role in Role]
ROLE_HELP = {
    "admin": "Manages users and roles.",
    "designer": "Creates and edits ticket types, workflows and tasks.",
    "ticket_team": "Sees every ticket and works on them.",
    "dispatcher": "Assigns tasks to team members and cancels tickets.",
    "auditor": "Reads the full history of any ticket.",
}
FieldErrors = dict[str, list[str]]


class FormSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # the CSRF token and submit buttons ride along with form fields


class LoginForm(FormSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    next = fields.String(load_default="")


def _username() -> fields.String:
    return fields.String(
        required=True,
        validate=validate.Regexp(
            USERNAME_PATTERN,
            error="Use 2 to 32 characters: lower-case letters, digits, '.', '_' or '-'.",
        ),
    )


def _roles() -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(ROLE_CHOICES, error="Unknown role.")),
        load_default=list,
    )


def _new_password() -> fields.String:
    return fields.String(
        required=True,
        error_messages={"required": "Required."},
        validate=validate.Length(
            min=MIN_PASSWORD_LENGTH,
            max=MAX_PASSWORD_LENGTH,
            error=f"Use at least {MIN_PASSWORD_LENGTH} characters"
            f" (and at most {MAX_PASSWORD_LENGTH}).",
        ),
    )


class NewUserForm(FormSchema):
    username = _username()
    display_name = fields.String(load_default="", validate=validate.Length(max=100))
    password = _new_password()
    roles = _roles()


class ChangePasswordForm(FormSchema):
    current_password = fields.String(
        required=True,
        error_messages={"required": "Required."},
        validate=validate.Length(min=1, max=MAX_PASSWORD_LENGTH, error="Required."),
    )
    new_password = _new_password()
    confirm_password = fields.String(load_default="")

    # On the raw values, so a mismatch shows even beside an error in the new password.
    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def check_confirmation(self, _: dict[str, Any], original: dict[str, Any], **__: Any) -> None:
        if original.get("new_password") != original.get("confirm_password"):
            raise ValidationError(
                "This does not match the new password.", field_name="confirm_password"
            )


class TemporaryPasswordForm(FormSchema):
    password = _new_password()


class RolesForm(FormSchema):
    roles = _roles()


def form_data(form: MultiDict[str, str], list_fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """Flatten a submitted form, keeping repeated fields (checkboxes) as lists."""
    data: dict[str, Any] = {key: value.strip() for key, value in form.items()}
    for name in list_fields:
        data[name] = form.getlist(name)
    return data


def load(schema: Schema, data: Mapping[str, Any]) -> tuple[dict[str, Any], FieldErrors]:
    """Return (clean values, {}) or (raw values, field errors)."""
    try:
        return schema.load(data), {}
    except ValidationError as err:
        return dict(data), errors_by_field(err.normalized_messages())
