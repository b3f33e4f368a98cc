"""What the auditor's history calls a change, and the list's cursors and search terms."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from tf_events.diff import MISSING, Change, diff
from tf_web.queries.ticket_list import Cursor, search_terms


def test_a_new_state_is_every_leaf_added():
    changes = diff({}, {"data": {"summary": "Hi", "tags": ["a"]}, "status": "OPEN"})
    assert changes == [
        Change("data.summary", MISSING, "Hi"),
        Change("data.tags.0", MISSING, "a"),
        Change("status", MISSING, "OPEN"),
    ]
    assert {c.kind for c in changes} == {"added"}


def test_only_what_differs_is_a_change():
    before = {"status": "OPEN", "tasks": [{"status": "OPEN"}, {"status": "PENDING"}]}
    after = {"status": "OPEN", "tasks": [{"status": "DONE"}, {"status": "OPEN"}]}
    assert diff(before, after) == [
        Change("tasks.0.status", "OPEN", "DONE"),
        Change("tasks.1.status", "PENDING", "OPEN"),
    ]


def test_removed_keys_and_appended_items_are_named():
    changes = diff({"a": 1, "list": [1]}, {"list": [1, {"x": 2}]})
    assert changes == [Change("a", 1, MISSING), Change("list.1.x", MISSING, 2)]
    assert changes[0].kind == "removed"


@pytest.mark.parametrize(
    ("sort", "value"),
    [
        ("-created", datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)),
        ("reference", 1042),
        ("summary", "Ünïcode & 'quotes'"),
    ],
)
def test_a_cursor_survives_the_url(sort, value):
    cursor = Cursor(sort, value, uuid.uuid4(), backwards=True)
    assert Cursor.decode(cursor.encode(), sort) == cursor


@pytest.mark.parametrize(
    ("token", "sort"),
    [
        ("!!!", "summary"),
        (Cursor("reference", "not a number", uuid.uuid4()).encode(), "reference"),
        (Cursor("created", "yesterday", uuid.uuid4()).encode(), "created"),
    ],
)
def test_a_damaged_cursor_is_refused(token, sort):
    with pytest.raises(ValueError, match="damaged"):
        Cursor.decode(token, sort)


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("broken screen", "broken:* & screen:*"),
        ("TF-1042", "tf:* & 1042:*"),
        ("  Über!  ", "über:*"),
        ("') | !(", None),
    ],
)
def test_search_words_become_prefix_terms_and_operators_are_dropped(typed, terms):
    assert search_terms(typed) == terms
