"""The `notifications` process (`ticketflower notifications run`): every runner in
RUNNERS, each with its own follower of the log and its own senders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from tf_notifications.email import start_email
from tf_notifications.webhooks.process import start_webhooks
from tf_system.bootstrap import System


class Running(Protocol):
    def stop(self, timeout: float = 10) -> None: ...


# Each starts one kind of delivery and returns something to stop. Add a kind here.
RUNNERS: list[Callable[[System], Running]] = [
    start_email,
    start_webhooks,
]


@dataclass
class Notifications:
    running: list[Running]

    def stop(self, timeout: float = 10) -> None:
        for runner in self.running:
            runner.stop(timeout)


def start_notifications(
    system: System, runners: list[Callable[[System], Running]] | None = None
) -> Notifications:
    return Notifications([start(system) for start in (RUNNERS if runners is None else runners)])
