"""The task lists' parameters and words: what the URL may say, and how waiting reads."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from tf_web.queries.task_list import Age, TaskCursor, View
from tf_web.task_lists.args import parse_or_drop, parse_task_args, task_args
from tf_web.task_lists.views import waiting


def test_a_query_survives_its_own_links():
    cursor = TaskCursor(datetime(2026, 1, 2, 3, 4, tzinfo=UTC), uuid.uuid4(), 1, True)
    args = MultiDict(
        [("type", "laptop-request"), ("type", "access-request"), ("task", "triage"),
         ("older_than", "day"), ("after", cursor.encode())]
    )  # fmt: skip
    query = parse_task_args(args, view=View.MINE)
    assert query.types == ("laptop-request", "access-request")
    assert query.older_than is Age.DAY and query.cursor == cursor
    again = parse_task_args(MultiDict(task_args(query, after=cursor.encode())), view=View.MINE)
    assert again == query


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"after": "bm90IGEgY3Vyc29y"}, "after"),
        ({"older_than": "century"}, "older_than"),
        ({"task": "Robert'); DROP"}, "task"),
        ({"status": "CLOSED"}, "status"),
        ({"limit": "0"}, "limit"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_parameter_outside_the_whitelist_is_refused_by_name(args, field):
    with pytest.raises(ValidationError) as refused:
        parse_task_args(MultiDict(args), view=View.MINE)
    assert field in refused.value.normalized_messages()


def test_the_queue_refuses_a_status_and_a_page_keeps_what_was_right():
    query, errors = parse_or_drop(MultiDict({"status": "ERROR", "task": "triage"}), view=View.QUEUE)
    assert set(errors) == {"status"} and query.task == "triage"
    with pytest.raises(ValidationError):
        parse_task_args(MultiDict({"view": "all"}), view=View.QUEUE)  # the page's own


def test_waiting_reads_as_a_person_would_say_it():
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert waiting(now - timedelta(seconds=20), now) == "just now"
    assert waiting(now - timedelta(minutes=5), now) == "5 min"
    assert waiting(now - timedelta(hours=30), now) == "30 h"
    assert waiting(now - timedelta(days=9), now) == "9 days"
