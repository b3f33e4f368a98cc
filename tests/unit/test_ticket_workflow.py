"""The Ticket aggregate runs its own workflow: each rule, in memory."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from tf_events.application import TicketFlower
from tf_events.definitions.software import TaskKind
from tf_events.errors import Conflict, NotAllowed, Refusal
from tf_events.tickets.aggregate import (
    TaskNotClaimable,
    TaskNotCurrent,
    TaskNotYours,
    Ticket,
    TicketClosed,
)
from tf_events.tickets.workflow import Person, Resolution, TaskStatus, TicketStatus

SAM = Person(uuid.uuid4(), "sam")
TESS = Person(uuid.uuid4(), "tess")
DAN = Person(uuid.uuid4(), "dan")


def ticket(tasks: int = 2) -> Ticket:
    return Ticket.submit(
        submission_key=str(uuid.uuid4()),
        reference="TF-1001",
        ticket_type={"id": str(uuid.uuid4()), "key": "t", "version": 1, "name": "T"},
        workflow={"id": str(uuid.uuid4()), "key": "w", "version": 1, "name": "W"},
        tasks=[
            {
                "key": f"k{i}",
                "definition_id": str(uuid.uuid4()),
                "version": 1,
                "name": f"Step {i}",
                "roles": [],
                "kind": "human",
            }
            for i in range(tasks)
        ],
        data={"summary": "Broken"},
        submitter=SAM,
        summary="Broken",
        channel="web",
    )


def statuses(t: Ticket) -> list[str]:
    return [task.status.value for task in t.tasks]


def test_a_new_ticket_is_not_started_and_waits_unassigned_on_its_first_task():
    t = ticket(3)
    assert t.status is TicketStatus.NOT_STARTED
    assert statuses(t) == ["OPEN", "PENDING", "PENDING"]
    assert t.current_task is t.tasks[0]
    assert t.current_task.assignee is None
    assert t.current_task.label == "Pending assignment"
    assert t.status.label == "Pending assignment"


def test_statuses_carry_the_users_names():
    assert [s.value for s in TaskStatus] == ["OPEN", "PENDING", "CLOSED", "ERROR"]
    assert [s.value for s in TicketStatus] == ["NOT_STARTED", "IN_PROCESS", "COMPLETED"]
    assert TicketStatus.COMPLETED.label == "Closed"


def test_claiming_takes_the_task_and_starts_the_ticket():
    t = ticket()
    t.claim_task(0, TESS)
    assert t.tasks[0].assignee == TESS
    assert t.tasks[0].claimed_at is not None
    assert t.status is TicketStatus.IN_PROCESS
    assert t.tasks[0].label == "Assigned to tess"


def test_a_task_someone_holds_cannot_be_claimed_and_the_loser_hears_who_won():
    t = ticket()
    t.claim_task(0, TESS)
    with pytest.raises(TaskNotClaimable, match="tess took this task a moment ago"):
        t.claim_task(0, DAN)
    assert TaskNotClaimable.refusal is Refusal.CONFLICT


def test_only_the_current_task_can_be_claimed():
    t = ticket()
    with pytest.raises(TaskNotCurrent):
        t.claim_task(1, TESS)
    with pytest.raises(TaskNotCurrent):
        t.claim_task(5, TESS)


def test_releasing_puts_the_task_back_in_the_queue_with_the_reason():
    t = ticket()
    t.claim_task(0, TESS)
    t.release_task(0, TESS, reason="On leave")
    assert t.tasks[0].assignee is None
    assert t.tasks[0].reason == "On leave"
    with pytest.raises(TaskNotYours):
        t.release_task(0, TESS)


def test_completing_fills_the_data_closes_the_task_and_opens_the_next():
    t = ticket()
    t.claim_task(0, TESS)
    t.complete_task(0, {"priority": "high"}, TESS)
    assert t.data == {"summary": "Broken", "priority": "high"}
    assert statuses(t) == ["CLOSED", "OPEN"]
    assert t.current_task is t.tasks[1]
    assert t.tasks[1].assignee is None  # back to "pending assignment"
    assert t.status is TicketStatus.IN_PROCESS


def test_completing_the_last_task_completes_the_ticket():
    t = ticket(1)
    t.claim_task(0, TESS)
    t.complete_task(0, {}, TESS)
    assert t.status is TicketStatus.COMPLETED
    assert t.resolution is Resolution.DONE
    assert t.closed_at is not None
    assert t.current_task is None
    with pytest.raises(TicketClosed):
        t.claim_task(0, TESS)


def test_only_the_assignee_completes_a_task():
    t = ticket()
    with pytest.raises(TaskNotYours):
        t.complete_task(0, {}, TESS)
    t.claim_task(0, TESS)
    with pytest.raises(TaskNotYours) as refused:
        t.complete_task(0, {}, DAN)
    assert refused.value.refusal is Refusal.CONFLICT
    assert "assigned to tess" in refused.value.message


def test_a_dispatcher_assigns_and_reassigns():
    t = ticket()
    t.assign_task(0, to=TESS, by=DAN)
    assert t.tasks[0].assignee == TESS
    t.assign_task(0, to=DAN, by=DAN)
    assert t.tasks[0].assignee == DAN
    with pytest.raises(TaskNotClaimable, match="already assigned to dan"):
        t.assign_task(0, to=DAN, by=DAN)


def test_a_reported_problem_stops_the_task_until_it_is_reopened():
    t = ticket()
    t.claim_task(0, TESS)
    t.fail_task(0, "The printer is gone", TESS)
    assert t.tasks[0].status is TaskStatus.ERROR
    assert t.tasks[0].reason == "The printer is gone"
    assert t.current_task is t.tasks[0]
    with pytest.raises(TaskNotClaimable):
        t.claim_task(0, DAN)
    with pytest.raises(TaskNotClaimable, match="a dispatcher reopens it first"):
        t.complete_task(0, {}, TESS)
    with pytest.raises(TaskNotClaimable):
        t.save_draft(0, {}, TESS)
    t.reopen_task(0, DAN)
    assert t.tasks[0].status is TaskStatus.OPEN
    assert t.tasks[0].assignee is None
    with pytest.raises(TaskNotClaimable):
        t.reopen_task(0, DAN)


def test_assigning_a_stopped_task_reopens_it_for_the_new_assignee():
    t = ticket()
    t.claim_task(0, TESS)
    t.fail_task(0, "Stuck", TESS)
    t.assign_task(0, to=DAN, by=DAN)
    assert t.tasks[0].status is TaskStatus.OPEN
    assert t.tasks[0].assignee == DAN


def test_cancelling_closes_the_ticket_and_its_open_task():
    t = ticket()
    t.cancel("Duplicate of TF-1000", DAN)
    assert t.status is TicketStatus.COMPLETED
    assert t.resolution is Resolution.CANCELLED
    assert statuses(t) == ["CLOSED", "PENDING"]
    with pytest.raises(TicketClosed):
        t.cancel("again", DAN)


def test_the_submitter_withdraws_only_before_work_starts():
    t = ticket()
    with pytest.raises(NotAllowed):
        t.withdraw(TESS)
    t.withdraw(SAM)
    assert t.resolution is Resolution.WITHDRAWN
    started = ticket()
    started.claim_task(0, TESS)
    with pytest.raises(Conflict):
        started.withdraw(SAM)


def test_events_replay_to_the_same_state():
    t = ticket()
    t.claim_task(0, TESS)
    t.complete_task(0, {"priority": "high"}, TESS)
    t.add_comment(SAM, "Thanks", "k1")
    replayed = None
    for event in t.collect_events():
        replayed = event.mutate(replayed)
    assert replayed is not None
    assert replayed.as_data() == t.as_data()
    assert replayed.has_comment("k1")


def test_a_submission_recorded_before_statuses_were_recorded_is_upcast():
    """Version 1 of the Submitted event named a task's definition `id` and recorded no
    statuses; stored in that shape, it still replays as a ticket waiting on its first task."""
    app = TicketFlower(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    definition_id, ticket_id = str(uuid.uuid4()), uuid.uuid4()
    version_1 = {  # no class_version: what the store holds from before the change
        "originator_topic": get_topic(Ticket),
        "timestamp": datetime(2026, 10, 1, 9, tzinfo=UTC),
        "submission_key": "old",
        "reference": "TF-1001",
        "ticket_type": {"id": "x", "key": "t", "version": 1, "name": "T"},
        "workflow": {"id": "y", "key": "w", "version": 1, "name": "W"},
        "tasks": [
            {"key": "a", "id": definition_id, "version": 3, "name": "A"},
            {"key": "b", "id": definition_id, "version": 3, "name": "B"},
        ],
        "data": {},
        "submitter": {"id": str(SAM.id), "username": "sam"},
        "summary": "Old",
        "channel": "web",
    }
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=ticket_id,
                originator_version=1,
                topic=get_topic(Ticket.Submitted),
                state=app.mapper.transcoder.encode(version_1),
            )
        ]
    )
    old = app.repository.get(ticket_id)
    assert old.status is TicketStatus.NOT_STARTED
    assert statuses(old) == ["OPEN", "PENDING"]
    assert str(old.tasks[0].definition_id) == definition_id
    assert old.tasks[0].opened_at == datetime(2026, 10, 1, 9, tzinfo=UTC)
    # Tickets from before roles and kinds were pinned: open to the team, done by people.
    assert old.tasks[0].roles == ()
    assert old.tasks[0].kind is TaskKind.HUMAN
