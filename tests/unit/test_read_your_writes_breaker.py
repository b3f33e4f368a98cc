"""The read-your-writes breaker: once a wait for a read model times out, nobody waits for
that read model again until it has caught up past what that wait missed."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from eventsourcing.utils import get_topic

from tf_events.definitions.aggregate import Definition
from tf_events.users import User
from tf_events.written import Written
from tf_projections.definitions import DefinitionsReadModel
from tf_projections.users import UsersReadModel
from tf_projections.waiting import PositionWatcher, ProjectionsLagging

USER_EVENT = get_topic(User.Registered)
DEFINITION_EVENT = get_topic(Definition.Created)


@pytest.fixture
def watcher() -> Iterator[PositionWatcher]:
    """No database: positions are fed in as its LISTEN connection would."""
    watching = PositionWatcher("host=/nonexistent", models=(UsersReadModel, DefinitionsReadModel))
    watching._advance("users", 10)
    watching._advance("definitions", 10)
    yield watching
    watching.close()


def written(position: int, topic: str = USER_EVENT) -> Written:
    return Written(None, ((position, topic),))


def took(call) -> float:
    started = time.perf_counter()
    with pytest.raises(ProjectionsLagging):
        call()
    return time.perf_counter() - started


def test_after_one_timeout_writes_to_that_read_model_do_not_wait(watcher):
    assert took(lambda: watcher.wait_for(written(11), timeout=0.2)) >= 0.2
    assert took(lambda: watcher.wait_for(written(12), timeout=5)) < 0.05


def test_a_read_model_that_keeps_up_is_still_waited_for(watcher):
    took(lambda: watcher.wait_for(written(11), timeout=0.1))
    threading.Timer(0.1, watcher._advance, ("definitions", 11)).start()
    watcher.wait_for(written(11, DEFINITION_EVENT), timeout=5)  # returns once it is shown


def test_waits_resume_once_the_read_model_passes_the_position_it_missed(watcher):
    took(lambda: watcher.wait_for(written(15), timeout=0.1))
    watcher._advance("users", 14)
    assert took(lambda: watcher.wait_for(written(16), timeout=5)) < 0.05
    watcher._advance("users", 15)
    watcher.wait_for(written(15), timeout=5)
    assert took(lambda: watcher.wait_for(written(16), timeout=0.2)) >= 0.2


def test_writes_already_waiting_stop_when_another_wait_times_out(watcher):
    outcome: dict[str, float] = {}
    waiting = threading.Thread(
        target=lambda: outcome.update(took=took(lambda: watcher.wait_for(written(11), 10)))
    )
    waiting.start()
    took(lambda: watcher.wait_for(written(11), timeout=0.2))
    waiting.join(timeout=5)
    assert outcome["took"] < 1
