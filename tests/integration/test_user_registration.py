"""Registering users against a real PostgreSQL event store."""

from __future__ import annotations

import threading

import pytest

from tf_events.commands import RegisterUser
from tf_events.errors import UsernameTaken


def test_a_second_registration_of_a_name_fails_cleanly(system):
    system.app.handle(RegisterUser("alice", "long enough"))
    with pytest.raises(UsernameTaken, match="already taken"):
        system.app.handle(RegisterUser("Alice", "long enough"))


def test_racing_registrations_of_one_name_create_exactly_one_user(system):
    racers = 8
    barrier = threading.Barrier(racers)
    outcomes: list[str] = []

    def register(i: int) -> None:
        barrier.wait()
        try:
            system.app.handle(RegisterUser("racer", f"password {i}"))
            outcomes.append("created")
        except UsernameTaken:
            outcomes.append("taken")

    threads = [threading.Thread(target=register, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created"] + ["taken"] * (racers - 1)
    user_id = system.app.user_id_for("racer")
    assert len(list(system.app.events.get(user_id))) == 1
