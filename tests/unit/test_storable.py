"""The one rule for what text and JSON the system can keep."""

from __future__ import annotations

import json

import pytest

from tf_events.text import unstorable
from tf_web.storable import MAX_JSON_DEPTH, UnstorableInput, json_errors, loads

# NUL, which PostgreSQL text and jsonb cannot hold, and lone surrogates, which psycopg
# cannot encode.
UNSTORABLE = ["\x00", "\ud800", "\udbff", "\udc00", "\udfff"]


@pytest.mark.parametrize("char", UNSTORABLE, ids=lambda c: f"U+{ord(c):04X}")
def test_every_unstorable_character_is_refused_wherever_it_sits(char):
    assert unstorable(f"a{char}b")
    assert unstorable(char)
    assert f"U+{ord(char):04X}" in unstorable(char)


KEPT = [
    "",
    "plain",
    "tab\tand\r\nlines",
    "€48 🌷",
    "\x7f\u2028\ufeff",
    "Word's\x0bbreak",
    "\x1b\x01",
]


@pytest.mark.parametrize("text", KEPT)
def test_what_a_person_types_is_kept(text):
    assert unstorable(text) is None


def test_json_errors_name_each_field_by_its_path_keys_included():
    body = {"data": {"summary": "a\x00b", "tags": ["ok", "x\ud800"], "n\x00": 1}, "fine": "y"}
    assert sorted(json_errors(body)) == ["data.n\\u0000", "data.summary", "data.tags.1"]


def test_numbers_that_are_not_finite_are_refused_by_path():
    assert list(json_errors(loads('{"a": [1, 2.5]}') or {})) == []
    with pytest.raises(UnstorableInput) as refused:
        loads('{"budget": 1e400, "ratio": NaN}')
    assert sorted(refused.value.errors) == ["budget", "ratio"]


def nested(depth: int) -> str:
    return '{"a": ' * (depth - 1) + "{}" + "}" * (depth - 1)


def test_json_nested_up_to_the_limit_is_parsed_and_past_it_is_a_400():
    assert loads(nested(MAX_JSON_DEPTH))
    for depth in (MAX_JSON_DEPTH + 1, 1_000, 100_000):
        with pytest.raises(UnstorableInput) as refused:
            loads(nested(depth))
        assert refused.value.status == 400
    with pytest.raises(UnstorableInput):
        loads("[" * 100_000)


def test_a_lone_surrogate_escape_in_raw_json_is_refused():
    with pytest.raises(UnstorableInput) as refused:
        loads(b'{"text": "x\\ud800y"}')
    assert list(refused.value.errors) == ["text"]
    assert loads(json.dumps({"text": "🌷"})) == {"text": "🌷"}  # a pair is one character


def test_what_is_not_json_stays_a_value_error():
    with pytest.raises(ValueError):
        loads("{nope")


def test_a_form_part_without_a_name_is_no_crash():
    from werkzeug.datastructures import MultiDict

    from tf_web.request_input import _form_errors

    assert _form_errors(MultiDict([(None, "x\x00")]), MultiDict()) == {
        "": ["This holds a NUL character (U+0000), which cannot be stored."]
    }
