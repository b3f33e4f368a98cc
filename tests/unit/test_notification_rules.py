"""Who gets which mail: each rule, on a real Ticket's events, in memory."""

from __future__ import annotations

import uuid

import pytest

from tests.unit.test_ticket_workflow import DAN, SAM, TESS, ticket
from tf_events.errors import Invalid
from tf_events.notification_preferences import (
    Delivery,
    NoticeKind,
    NotificationPreferences,
)
from tf_events.tickets.aggregate import Ticket
from tf_events.tickets.assignment import AUTOMATIC
from tf_events.tickets.workflow import Person
from tf_notifications.rules import TicketFacts, notices

DORA = Person(uuid.uuid4(), "dora")
DISPATCHERS = [DORA, DAN]


def told(t: Ticket, act) -> list[tuple[str, str]]:
    """(kind, username) of every notice made by what `act` does to the ticket."""
    act(t)
    made = []
    for event in t.collect_events():
        made += notices(event, t.facts, DISPATCHERS)
    return [(n.kind.value, n.to.username) for n in made]


def fresh() -> Ticket:
    t = ticket(2)
    t.facts = TicketFacts.of_submitted(t.collect_events()[0])
    return t


def test_the_assignee_is_told_when_a_dispatcher_assigns_them_a_task():
    t = fresh()
    assert told(t, lambda t: t.assign_task(0, to=TESS, by=DORA)) == [("assigned", "tess")]


def test_automatic_assignment_tells_the_assignee_too():
    t = fresh()
    assert told(t, lambda t: t.assign_task(0, to=TESS, by=AUTOMATIC)) == [("assigned", "tess")]


def test_nobody_is_told_of_what_they_did_themselves():
    t = fresh()
    assert told(t, lambda t: t.assign_task(0, to=DORA, by=DORA)) == []
    assert told(t, lambda t: t.add_comment(SAM, "any news?", "k1")) == []


def test_claiming_a_task_tells_nobody():
    assert told(fresh(), lambda t: t.claim_task(0, TESS)) == []


def test_the_submitter_is_told_when_the_team_comments_but_not_of_their_own_comments():
    t = fresh()
    assert told(t, lambda t: t.add_comment(TESS, "on it", "k1")) == [("commented", "sam")]


def test_the_submitter_is_told_when_the_last_task_closes_the_ticket():
    t = fresh()

    def work(t: Ticket) -> None:
        t.claim_task(0, TESS)
        t.complete_task(0, {}, TESS)
        t.claim_task(1, TESS)
        t.complete_task(1, {}, TESS)

    assert told(t, work) == [("closed", "sam")]


def test_the_submitter_is_told_of_a_cancellation_but_not_of_their_own_withdrawal():
    assert told(fresh(), lambda t: t.cancel("duplicate", DORA)) == [("closed", "sam")]
    assert told(fresh(), lambda t: t.withdraw(SAM)) == []


def test_every_dispatcher_but_the_reporter_is_told_when_a_task_goes_to_error():
    t = fresh()

    def fail(t: Ticket) -> None:
        t.claim_task(0, DAN)
        t.fail_task(0, "printer on fire", DAN)

    assert told(t, fail) == [("error", "dora")]


def test_a_notice_links_to_the_page_concerned_and_keeps_its_delivery_id():
    t = fresh()
    t.assign_task(0, to=TESS, by=DORA)
    event = t.collect_events()[0]
    first, again = notices(event, t.facts, []), notices(event, t.facts, [])
    assert first[0].path == f"/tickets/{t.id}/tasks/1"
    assert first[0].delivery_id == again[0].delivery_id
    assert "Step 0" in first[0].subject and "TF-1001" in first[0].subject


def test_preferences_default_to_immediate_and_keep_each_kinds_choice():
    prefs = NotificationPreferences(user_id=uuid.uuid4())
    assert prefs.delivery(NoticeKind.CLOSED) is Delivery.IMMEDIATE
    prefs.choose({"closed": "off", "commented": "digest"})
    assert prefs.delivery(NoticeKind.CLOSED) is Delivery.OFF
    assert prefs.delivery(NoticeKind.COMMENTED) is Delivery.DIGEST
    assert prefs.delivery(NoticeKind.ASSIGNED) is Delivery.IMMEDIATE


def test_choosing_the_same_again_records_nothing():
    prefs = NotificationPreferences(user_id=uuid.uuid4())
    prefs.collect_events()
    prefs.choose({"closed": "immediate"})
    prefs.set_address("")
    assert prefs.collect_events() == []


@pytest.mark.parametrize(
    "raw", ["sam", "sam@", "sam@example", "a b@example.com", "sam@example.com\r\nBcc: x@y.z"]
)
def test_an_address_that_cannot_be_one_is_refused_by_field(raw):
    with pytest.raises(Invalid) as refused:
        NotificationPreferences(user_id=uuid.uuid4()).set_address(raw)
    assert refused.value.field == "address"


def test_an_unknown_kind_or_delivery_is_refused():
    prefs = NotificationPreferences(user_id=uuid.uuid4())
    with pytest.raises(Invalid):
        prefs.choose({"birthday": "immediate"})
    with pytest.raises(Invalid):
        prefs.choose({"closed": "weekly"})
