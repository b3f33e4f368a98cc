"""The history's replays kept between requests: extended with newer events only, never
changed once handed out, and bounded in memory."""

from __future__ import annotations

import uuid

from tests.unit.test_ticket_workflow import SAM, TESS, ticket
from tf_events.application import TicketFlower
from tf_events.tickets.history import History
from tf_events.tickets.replays import Replays


def labels(workflow: dict) -> dict[str, str]:
    return {"summary": "Summary"}


def saved_ticket(app: TicketFlower, comments: int = 0):
    t = ticket()
    for i in range(comments):
        t.add_comment(SAM, f"Comment {i}", key=f"c{i}")
    app.save(t)
    return t


def test_a_replay_extended_with_newer_events_tells_the_same_history_as_a_fresh_one():
    app = TicketFlower()
    t = saved_ticket(app, comments=2)
    replays = Replays()
    before = replays.get(app, t.id, labels)
    t.claim_task(0, TESS)
    t.add_comment(TESS, "On it", key="c9")
    app.save(t)

    extended = replays.get(app, t.id, labels)
    fresh = Replays().get(app, t.id, labels)

    assert before.latest == 3 and extended.latest == 5
    assert extended.steps == fresh.steps
    assert extended.ticket.as_data() == fresh.ticket.as_data() == t.as_data()
    assert [line.after for line in extended.steps[3].lines] == ["Assigned to tess", "In progress"]


def test_a_replay_handed_out_does_not_change_when_the_ticket_moves_on():
    app = TicketFlower()
    t = saved_ticket(app)
    replays = Replays()
    first = replays.get(app, t.id, labels)
    t.add_comment(SAM, "Any news?", key="c1")
    app.save(t)

    replays.get(app, t.id, labels)

    assert first.latest == 1
    assert first.ticket.comments == [] and first.ticket.version == 1


def test_a_request_asks_the_store_only_for_events_newer_than_its_replay(monkeypatch):
    app = TicketFlower()
    t = saved_ticket(app, comments=3)
    replays = Replays()
    replays.get(app, t.id, labels)
    asked = []
    get = app.repository.event_store.get

    def spy(originator_id, gt=None, **kwargs):
        asked.append(gt)
        return get(originator_id, gt=gt, **kwargs)

    monkeypatch.setattr(app.repository.event_store, "get", spy)
    replays.get(app, t.id, labels)
    assert asked == [4]


def test_the_state_at_an_earlier_version_is_the_ticket_as_it_was_then():
    app = TicketFlower()
    t = saved_ticket(app, comments=3)
    replay = Replays().get(app, t.id, labels)

    at_two = History.of(replay, 2).state
    latest = History.of(replay).state

    assert at_two["version"] == 2 and len(at_two["comments"]) == 1
    assert latest["version"] == 4 and len(latest["comments"]) == 3
    assert History.of(replay, 5).state == {}  # no such version: the page answers 404


def test_the_least_recently_used_replays_go_first_when_too_many_events_are_held(monkeypatch):
    app = TicketFlower()
    old, used, new = (saved_ticket(app, comments=2) for _ in range(3))
    replays = Replays(max_events=7)
    for t in (old, used):
        replays.get(app, t.id, labels)
    replays.get(app, used.id, labels)  # used again: now the most recent
    replays.get(app, new.id, labels)  # 9 events held: the oldest used replay goes

    assert set(replays._replays) == {used.id, new.id}


def test_a_ticket_without_events_has_no_replay():
    assert Replays().get(TicketFlower(), uuid.uuid4(), labels) is None
