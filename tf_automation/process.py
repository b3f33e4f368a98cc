"""The automation process: the follower that queues software tasks as they open, and
runners that do them (`ticketflower automation run`)."""

from __future__ import annotations

from dataclasses import dataclass

from tf_automation.follower import AutomationFollower
from tf_automation.sandbox import CodeRunner
from tf_automation.worker import Runner
from tf_projections.worker import ProjectionWorker
from tf_system.bootstrap import System


@dataclass
class Automation:
    follower: ProjectionWorker
    runners: list[Runner]

    def stop(self, timeout: float = 10) -> None:
        self.follower.stop()
        for runner in self.runners:
            runner.stop()
        self.follower.join(timeout)
        for runner in self.runners:
            runner.join(timeout)


def start_automation(system: System, sandbox: CodeRunner, concurrency: int) -> Automation:
    """Several processes may run this, on several machines: one follows the log (an
    advisory lock elects it), every runner leases tasks with SKIP LOCKED."""
    follower = ProjectionWorker(
        AutomationFollower(system.app.mapper), system.app.recorder, system.pool, system.database_url
    ).start()
    runners = [
        Runner(system.app, system.pool, sandbox, system.database_url).start()
        for _ in range(concurrency)
    ]
    return Automation(follower, runners)
