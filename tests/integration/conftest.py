"""Fixtures of the integration tests that need the webhook process and a receiver."""

from __future__ import annotations

import pytest

from tests.webhooks_world import DEFINITIONS
from tf_events import commands as c
from tf_notifications.webhooks.process import start_webhooks


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


@pytest.fixture
def webhooks(system):
    system.app.handle(c.ImportDefinitionSet(DEFINITIONS, by="dana"))
    started: list = []

    def start(**options):
        running = start_webhooks(system, first_backoff=options.pop("first_backoff", 0.2), **options)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()
