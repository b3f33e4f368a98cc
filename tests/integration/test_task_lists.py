"""The task lists against real PostgreSQL: the queue, "my tasks" and the tasks in error,
each oldest first, narrowed by the reader's roles and the filters, paged by keyset."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.samples import APPROVE, TICKET_TYPE, TRIAGE, WORKFLOW, sample
from tf_events import commands as c
from tf_events.errors import NotAllowed
from tf_events.policy import Actor
from tf_projections.waiting import wait_for
from tf_web.queries.task_list import Age, TaskQuery, View, list_tasks
from tf_web.task_lists.access import reader_for


@pytest.fixture
def people(system):
    def actor(name: str, *roles: str) -> Actor:
        written = system.app.handle(c.RegisterUser(name, "a long passphrase", roles=roles))
        return Actor(written.aggregate_id, frozenset(roles), name)

    return {
        "sam": actor("sam"),
        "tess": actor("tess", "ticket_team"),
        "ben": actor("ben", "ticket_team", "designer"),
        "dora": actor("dora", "dispatcher"),
        "ann": actor("ann", "auditor"),
    }


@pytest.fixture
def definitions(system, workers):
    """Two ticket types: laptops (triage for the whole team) and access requests, whose
    triage only designers on the team may do."""
    restricted = sample(TRIAGE, key="access-triage", name="Access triage", roles=["designer"])
    access_flow = sample(WORKFLOW, key="access", name="Access", tasks=["access-triage", "approve"])
    access = sample(TICKET_TYPE, key="access-request", name="Access request", workflow="access")
    written = system.app.handle(
        c.ImportDefinitionSet(
            {
                "format": "ticketflower.definition-set/1",
                "tasks": [sample(TRIAGE), sample(APPROVE), restricted],
                "workflows": [sample(WORKFLOW), access_flow],
                "ticket_types": [sample(TICKET_TYPE), access],
            },
            by="dana",
        )
    )
    wait_for(system.pool, written, 5)


@pytest.fixture
def submit(system, people, definitions):
    def submit(summary: str, ticket_type: str = "laptop-request") -> uuid.UUID:
        sam = people["sam"]
        submitted = system.app.handle(
            c.SubmitTicket(
                submission_key=str(uuid.uuid4()),
                ticket_type_key=ticket_type,
                data={"summary": summary},
                submitter={"id": str(sam.id), "username": "sam"},
                user_roles=frozenset(),
            )
        )
        wait_for(system.pool, submitted.written, 5)
        return submitted.ticket.id

    return submit


def settle(system, written) -> None:
    wait_for(system.pool, written.written, 5)


def summaries(system, actor: Actor, view: View = View.QUEUE, **query) -> list[str]:
    page = list_tasks(
        system.pool, TaskQuery(view=view, **query), reader_for(actor, view), datetime.now(UTC)
    )
    return [row.summary for row in page.rows]


def test_the_queue_holds_the_open_tasks_nobody_holds_oldest_first(system, people, submit):
    first, _ = submit("first"), submit("second")
    submit("third")
    settle(system, system.app.handle(c.ClaimTask(ticket_id=first, position=0, actor=people["ben"])))
    assert summaries(system, people["tess"]) == ["second", "third"]


def test_the_queue_shows_each_person_the_tasks_open_to_their_roles(system, people, submit):
    submit("laptop")
    submit("access", "access-request")
    assert summaries(system, people["tess"]) == ["laptop"]
    assert summaries(system, people["ben"]) == ["laptop", "access"]
    assert summaries(system, people["dora"]) == ["laptop", "access"]  # dispatchers: all


def test_the_queue_and_my_tasks_are_not_for_submitters_or_auditors(people):
    for name in ("sam", "ann"):
        for view in (View.QUEUE, View.MINE):
            with pytest.raises(NotAllowed):
                reader_for(people[name], view)
    with pytest.raises(NotAllowed):
        reader_for(people["sam"], View.ALL)
    assert reader_for(people["ann"], View.ALL).whole_queue is False


def test_my_tasks_are_the_open_and_failed_tasks_assigned_to_me(system, people, submit):
    claimed, failed, theirs = submit("claimed"), submit("failed"), submit("theirs")
    app, tess = system.app, people["tess"]
    app.handle(c.ClaimTask(ticket_id=failed, position=0, actor=tess))
    app.handle(c.FailTask(ticket_id=failed, position=0, actor=tess, reason="No stock"))
    app.handle(c.ClaimTask(ticket_id=claimed, position=0, actor=tess))
    settle(system, app.handle(c.ClaimTask(ticket_id=theirs, position=0, actor=people["ben"])))
    assert summaries(system, tess, View.MINE) == ["claimed", "failed"]
    assert summaries(system, tess, View.MINE, statuses=("ERROR",)) == ["failed"]
    assert summaries(system, people["dora"], View.ALL, statuses=("ERROR",)) == ["failed"]


def test_the_queue_filters_by_ticket_type_task_and_age(system, people, submit):
    submit("laptop")
    submit("access", "access-request")
    dora = people["dora"]
    assert summaries(system, dora, types=("access-request",)) == ["access"]
    assert summaries(system, dora, task="triage") == ["laptop"]
    assert summaries(system, dora, older_than=Age.HOUR) == []
    later = list_tasks(
        system.pool,
        TaskQuery(older_than=Age.HOUR),
        reader_for(dora, View.QUEUE),
        datetime.now(UTC) + timedelta(hours=2),
    )
    assert [row.summary for row in later.rows] == ["laptop", "access"]


def test_keyset_pages_walk_the_queue_both_ways_without_gaps(system, people, submit):
    names = [f"ticket {i}" for i in range(7)]
    for name in names:
        submit(name)
    reader = reader_for(people["tess"], View.QUEUE)
    now = datetime.now(UTC)
    seen, pages, query = [], [], TaskQuery(limit=3)
    while True:
        page = list_tasks(system.pool, query, reader, now)
        pages.append(page)
        seen += [row.summary for row in page.rows]
        if page.next is None:
            break
        query = TaskQuery(limit=3, cursor=page.next)
    assert seen == names
    assert len(pages) == 3
    back = list_tasks(system.pool, TaskQuery(limit=3, cursor=pages[-1].previous), reader, now)
    assert [row.summary for row in back.rows] == names[3:6]
    assert back.previous is not None and back.next is not None


def test_the_dashboard_counts_what_each_list_holds(system, people, submit):
    from tf_web.queries import work_counts as counting

    first, second = submit("first"), submit("second")
    submit("access", "access-request")
    app, tess = system.app, people["tess"]
    app.handle(c.ClaimTask(ticket_id=first, position=0, actor=tess))
    app.handle(c.ClaimTask(ticket_id=second, position=0, actor=tess))
    settle(system, app.handle(c.FailTask(ticket_id=second, position=0, actor=tess, reason="?")))
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    counts = counting.work_counts(system.pool, reader_for(tess, View.QUEUE), midnight)
    assert counts == counting.WorkCounts(queue=0, mine=2, in_error=1, closed_today=0)
    dora = counting.work_counts(system.pool, reader_for(people["dora"], View.QUEUE), midnight)
    assert (dora.queue, dora.mine) == (1, 0)
