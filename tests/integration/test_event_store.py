"""The event store itself: large saves, as a definition set with several layouts makes."""

from __future__ import annotations

import threading
import uuid

import pytest
from eventsourcing.persistence import StoredEvent


def test_a_save_of_a_megabyte_of_events_returns_with_every_notification_id(system):
    events = [
        StoredEvent(uuid.uuid4(), 1, "tests:Large", b'{"text": "%s"}' % (b"x" * 1000))
        for _ in range(1000)
    ]
    result: list = []
    # In a thread: the library's pipelined insert never returned at this size.
    saving = threading.Thread(
        target=lambda: result.append(system.app.recorder.insert_events(events)), daemon=True
    )
    saving.start()
    saving.join(timeout=30)

    assert not saving.is_alive(), "the save did not return"
    assert len(result[0]) == 1000
    assert result[0] == sorted(result[0])


def test_a_save_takes_the_whole_log_so_ids_commit_in_order(system, database_url):
    """Readers of the log (the log watcher, every worker) take an id as a sign that no
    smaller one will commit later: a save locks out every other writer, even one that only
    holds the lock a plain INSERT takes, until it commits."""
    import time

    import psycopg

    events = [StoredEvent(uuid.uuid4(), 1, "tests:Ordered", b"{}")]
    result: list = []
    with psycopg.connect(database_url) as writer:
        writer.execute("LOCK TABLE ticketflower_events IN ROW EXCLUSIVE MODE")
        saving = threading.Thread(
            target=lambda: result.append(system.app.recorder.insert_events(events)), daemon=True
        )
        saving.start()
        time.sleep(0.3)
        assert result == [], "the save did not wait for the other writer's transaction"
        writer.rollback()
    saving.join(timeout=10)
    assert len(result[0]) == 1


def test_a_command_saves_in_one_statement(system, monkeypatch):
    """The library passes `tracking=None` with every save: still the one-statement path."""
    from tf_events.commands import RegisterUser

    recorder = type(system.app.recorder)
    calls: list[int] = []
    one_statement = recorder._insert_in_one_statement

    def counted(self, stored_events):
        calls.append(len(stored_events))
        return one_statement(self, stored_events)

    monkeypatch.setattr(recorder, "_insert_in_one_statement", counted)
    system.app.handle(RegisterUser("olga", "long enough password"))
    assert calls == [1]


@pytest.mark.parametrize("extra", [{}, {"tracking": "a tracking record"}], ids=["plain", "tracked"])
def test_an_announced_topic_notifies_its_channel_at_the_commit_and_this_process_after(
    system, database_url, monkeypatch, extra
):
    """Both ways to save (one statement; the library's statements when a save carries
    tracking, which the application recorder ignores) announce the same."""
    import psycopg

    from tf_events.recorder import Announcement

    heard_here: list[str] = []
    announced = Announcement("tests:Announced", "tf_test_announced", lambda: heard_here.append("!"))
    monkeypatch.setattr(system.app.recorder, "announcements", (announced,))
    events = [StoredEvent(uuid.uuid4(), 1, "tests:Announced.Created", b"{}")]
    with psycopg.connect(database_url, autocommit=True) as listener:
        listener.execute('LISTEN "tf_test_announced"')
        ids = system.app.recorder.insert_events(events, **extra)
        notes = list(listener.notifies(timeout=2, stop_after=1))
        quiet = StoredEvent(uuid.uuid4(), 1, "tests:Other.Created", b"{}")
        system.app.recorder.insert_events([quiet], **extra)
        more = list(listener.notifies(timeout=0.3))

    assert ids is not None and len(ids) == 1
    assert [n.channel for n in notes] == ["tf_test_announced"]
    assert heard_here == ["!"]
    assert more == []  # another topic: not announced
