"""Ticket data is checked against the field definitions, one rule per field type."""

from __future__ import annotations

import pytest

from tests.e2e.test_ticket_submission import VALID, every_field_type_set
from tf_events.tickets.data_schema import validate_data
from tf_events.tickets.submission import summary_of

FIELDS = every_field_type_set()["workflows"][0]["fields"]
FORM = [f for f in FIELDS if f["name"] not in ("quote", "approved")]
GOOD = {k: v for k, v in VALID.items() if k != "quote"}


def test_a_valid_form_becomes_typed_data():
    clean, errors = validate_data(FORM, GOOD)
    assert errors == {}
    assert clean["budget"] == 1200.5
    assert clean["quantity"] == 2
    assert clean["urgent"] is True
    assert clean["needed_by"] == "2026-12-01"
    assert clean["meeting"] == "2026-12-01T10:30:00"
    assert clean["extras"] == ["bag", "dock"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("summary", "", "This field is required."),
        ("summary", "   ", "This field is required."),
        ("summary", "x" * 41, "Longer than maximum length 40."),
        ("budget", "lots", "Not a valid number."),
        ("budget", "9000", "less than or equal to 5000"),
        ("budget", "NaN", "Special numeric values (nan or infinity) are not permitted."),
        ("quantity", "1.5", "Not a valid integer."),
        ("quantity", "0", "greater than or equal to 1"),
        ("needed_by", "31/12/2026", "Not a valid date."),
        ("meeting", "tomorrow", "Not a valid datetime."),
        ("contact", "sam-at-example", "Not a valid email address."),
        ("link", "javascript:alert(1)", "Not a valid URL."),
        ("phone", "call me", "Not a valid phone number."),
        ("priority", "urgent!", "Must be one of: low, normal, high."),
        ("extras", ["bag", "cape"], "Must be one of: bag, mouse, dock."),
        ("urgent", "perhaps", "Not a valid boolean."),
    ],
)
def test_each_field_type_refuses_what_it_cannot_hold(field, value, message):
    clean, errors = validate_data(FORM, {**GOOD, field: value})
    assert clean == {}
    assert any(message in m for m in errors[field]), errors


def test_an_empty_optional_field_is_left_out_and_an_unknown_one_is_named():
    clean, errors = validate_data(FORM, {**GOOD, "details": "", "phone": ""})
    assert errors == {} and "details" not in clean and "phone" not in clean
    _, errors = validate_data(FORM, {**GOOD, "colour": "red"})
    assert errors == {"colour": ["There is no such field on this form."]}


def test_a_ticket_type_names_its_summary_or_the_first_text_field_says_it():
    fields = [{"name": "customer_name", "type": "text"}, {"name": "items", "type": "multi_choice"}]
    data = {"customer_name": "Sam", "items": ["roses", "tulips"]}
    assert summary_of(fields, data, "Flower order") == "Sam"
    assert summary_of(fields, data, "Flower order", "{items} for {customer_name}") == (
        "roses, tulips for Sam"
    )
    assert summary_of(fields, data, "Flower order", "items") == "roses, tulips"
    assert summary_of(fields, {}, "Flower order", "{items}") == "Flower order"
