"""The one flattener of marshmallow's nested messages, by path and by field."""

from __future__ import annotations

from tf_events.errors import errors_by_field, flatten_errors

NESTED = {
    "fields": {2: {"name": ["Not a name."]}},
    "quote": {"size": ["Too big."]},
    "status": {0: ["Status is one of: A, B."]},
    "_schema": ["Something across fields."],
}


def test_messages_by_dotted_path():
    assert flatten_errors(NESTED) == {
        "fields.2.name": ["Not a name."],
        "quote.size": ["Too big."],
        "status.0": ["Status is one of: A, B."],
        "_schema": ["Something across fields."],
    }


def test_messages_by_field_name_where_positions_are_left_out_and_names_kept():
    assert errors_by_field(NESTED) == {
        "fields": ["name: Not a name."],
        "quote": ["size: Too big."],
        "status": ["Status is one of: A, B."],
        "_schema": ["Something across fields."],
    }
