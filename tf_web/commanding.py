"""Run a command on the application, then wait until the read tables show it."""

from __future__ import annotations

from typing import TypeVar

from flask import flash, g

from tf_events.commands import Command
from tf_events.written import Result
from tf_projections.waiting import ProjectionsLagging
from tf_web.extensions import system

R = TypeVar("R", bound=Result)


def execute(command: Command[R]) -> R:
    """Run `command` and return its result once the next page will already show it, or at
    once if a read model it touches is known to be behind (`g.read_your_writes` says which:
    the API sends it as the TF-Read-Your-Writes header)."""
    wired = system()
    result = wired.app.handle(command)
    try:
        wired.positions.wait_for(result.written, wired.settings.read_your_writes_timeout)
    except ProjectionsLagging:  # the watcher logs when a read model falls behind
        g.read_your_writes = "pending"
        flash("Saved. It may take a few seconds to show everywhere.", "warning")
    else:
        g.read_your_writes = "done"
    return result
