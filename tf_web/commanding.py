"""Run a command on the application, then wait until the read tables show it."""

from __future__ import annotations

from typing import TypeVar

from flask import flash, g

from tf_events.commands import Command
from tf_events.written import Result, Written
from tf_projections.waiting import ProjectionsLagging
from tf_web.extensions import system

R = TypeVar("R", bound=Result)


def execute(command: Command[R]) -> R:
    """Run `command` and return its result once the next page will already show it, or at
    once if a read model it touches is known to be behind (`g.read_your_writes` says which:
    the API sends it as the TF-Read-Your-Writes header)."""
    result = system().app.handle(command)
    wait_until_shown(result.written)
    return result


def wait_until_shown(written: Written) -> None:
    """Wait until the read tables show `written` (for writes made by other means than one
    command, like a turn of a conversation), as `execute` does."""
    wired = system()
    try:
        wired.positions.wait_for(written, wired.settings.read_your_writes_timeout)
    except ProjectionsLagging:  # the watcher logs when a read model falls behind
        g.read_your_writes = "pending"
        flash("Saved. It may take a few seconds to show everywhere.", "warning")
    else:
        g.read_your_writes = "done"
