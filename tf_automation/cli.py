"""`ticketflower automation run | status`."""

from __future__ import annotations

import json
import logging
import signal
import threading

import click

from tf_system.bootstrap import build_system
from tf_system.settings import Settings


@click.group()
def automation() -> None:
    """Run and inspect the automation worker (software tasks)."""


@automation.command("run")
@click.option("--concurrency", type=click.IntRange(1, 64), default=None, help="Parallel runs.")
def run(concurrency: int | None) -> None:
    """Follow the log and run software tasks until SIGTERM or Ctrl-C."""
    from tf_automation.process import start_automation

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env()
    runs = concurrency or settings.automation_concurrency
    system = build_system(settings, app_pool_size=2 + runs)
    problem = system.sandbox.problem()
    if problem:  # never run unsandboxed: say why, and run nothing
        click.echo(f"software tasks cannot run here: {problem}", err=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    running = start_automation(system, system.sandbox, runs)
    click.echo(f"automation running: {runs} parallel run(s)")
    stop.wait()
    running.stop()
    system.close()


@automation.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def status(as_json: bool) -> None:
    """Runs in flight, the queue, failures, and whether the sandbox works here."""
    from tf_automation.status import automation_status

    system = build_system(Settings.from_env())
    try:
        found = automation_status(system.pool)
        problem = system.sandbox.problem()
    finally:
        system.close()
    if as_json:
        click.echo(json.dumps({**found.as_dict(), "sandbox_problem": problem}, default=str))
        return
    click.echo(f"sandbox:   {problem or 'works'}")
    click.echo(f"in flight: {found.running}")
    click.echo(f"queue:     {found.due} due now, {found.retrying} waiting to retry")
    click.echo(f"done:      {found.done}")
    click.echo(f"failed:    {found.failed}")
    click.echo(f"log:       position {found.position} of {found.head} (lag {found.lag})")
    for failure in found.recent_failures:
        click.echo(
            f"  {failure['reference']} · {failure['task_name']} · {failure['attempts']}"
            f" attempt(s): {failure['last_error']}"
        )
