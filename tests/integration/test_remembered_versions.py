"""Definitions' current versions are remembered in each process, and forgotten as soon as
any process records a change to a definition (tf_system.latest_versions)."""

from __future__ import annotations

import time

from tests.integration.test_definitions import define_all
from tests.samples import WORKFLOW, sample
from tf_events.commands import ReviseDefinition
from tf_events.definitions.format import Kind
from tf_system.bootstrap import build_system


def current_name(system) -> tuple[int, str]:
    found = system.app.definitions.current(Kind.WORKFLOW, "it-request")
    return found.version, found.content["name"]


def remembering(system) -> None:
    """Until its LISTEN is connected, nothing is remembered: wait for that."""
    latest = system.app.definitions.latest_versions
    current_name(system)
    deadline = time.monotonic() + 5
    while not latest._listening:
        assert time.monotonic() < deadline, "the definitions' channel never connected"
        time.sleep(0.01)


def revise(system, name: str) -> None:
    system.app.handle(
        ReviseDefinition(Kind.WORKFLOW, "it-request", sample(WORKFLOW, name=name), by="dana")
    )


def test_a_change_in_this_process_is_seen_at_once(system):
    define_all(system.app)
    remembering(system)
    assert current_name(system) == (1, "IT request")
    revise(system, "IT request v2")
    assert current_name(system) == (2, "IT request v2")  # no wait for any NOTIFY


def test_a_change_in_another_process_is_seen_once_its_commit_is_heard(system, settings):
    define_all(system.app)
    remembering(system)
    assert current_name(system) == (1, "IT request")
    asked = []
    latest = system.app.definitions.latest_versions
    read = latest._read
    latest._read = lambda ids: asked.append(ids) or read(ids)
    assert current_name(system) == (1, "IT request")
    assert asked == []  # remembered: PostgreSQL is not asked again

    other = build_system(settings)  # another process, as far as memory goes
    try:
        revise(other, "IT request v2")
    finally:
        other.close()
    deadline = time.monotonic() + 5
    while current_name(system) != (2, "IT request v2"):
        assert time.monotonic() < deadline, "the other process's change was never heard"
        time.sleep(0.01)


def test_nothing_is_remembered_while_the_channel_is_down(system, monkeypatch):
    from tf_projections import listening

    monkeypatch.setattr(listening, "RECONNECT_SECONDS", 1.0)  # time to look
    define_all(system.app)
    remembering(system)
    latest = system.app.definitions.latest_versions
    with system.pool.connection() as conn:  # the database drops the listening connection
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE query LIKE 'LISTEN \"tf_definitions\"%'"
        )
    deadline = time.monotonic() + 5
    while latest._listening:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    asked = []
    read = latest._read
    latest._read = lambda ids: asked.append(ids) or read(ids)
    current_name(system)
    current_name(system)
    assert len(asked) == 2  # asked each time
    remembering(system)  # and it reconnects by itself
