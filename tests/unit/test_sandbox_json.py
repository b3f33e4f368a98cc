"""The sandbox's runner encodes the result itself (importing json would double its start):
it must say exactly what json.dumps says, and refuse what json.dumps refuses."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tf_automation.runner import encode

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=30,
)


@given(JSON)
def test_any_json_value_reads_back_as_itself(value):
    assert json.loads(encode(value)) == value


def test_strings_with_quotes_backslashes_controls_and_lone_surrogates_survive():
    value = {'say "hi"\\': "tab\there\x00\x1f\u2028 🌷 \udc80 end\\\udc80"}
    assert json.loads(encode(value)) == value


def test_keys_and_tuples_are_converted_as_json_does():
    value = {7: (1, 2), 2.5: None, True: "t", None: [()]}
    assert json.loads(encode(value)) == json.loads(json.dumps(value))


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ({1, 2}, "Object of type set is not JSON serializable"),
        ({"x": math.nan}, "Out of range float values are not JSON compliant"),
        ([math.inf], "Out of range float values are not JSON compliant"),
        ({(1, 2): 3}, "keys must be str, int, float, bool or None, not tuple"),
        (b"bytes", "Object of type bytes is not JSON serializable"),
    ],
)
def test_what_is_not_json_is_refused_with_the_reason(value, error):
    with pytest.raises((TypeError, ValueError), match=error):
        encode(value)


def test_a_cycle_is_refused():
    loop: list = []
    loop.append(loop)
    with pytest.raises(RecursionError):
        encode(loop)
