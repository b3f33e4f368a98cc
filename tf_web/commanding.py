"""Run a command on the application, then wait until the read tables show it."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, g

from tf_events.application import TicketFlower
from tf_events.written import Written
from tf_projections.waiting import ProjectionsLagging
from tf_web.extensions import system


def execute(command: Callable[[TicketFlower], Written]) -> Written:
    """Run `command` and return once the next page will already show its effect, or at
    once if a read model it touches is known to be behind (`g.read_your_writes` says which:
    the API sends it as the TF-Read-Your-Writes header)."""
    wired = system()
    written = command(wired.app)
    try:
        wired.positions.wait_for(written, wired.settings.read_your_writes_timeout)
    except ProjectionsLagging:  # the watcher logs when a read model falls behind
        g.read_your_writes = "pending"
        flash("Saved. It may take a few seconds to show everywhere.", "warning")
    else:
        g.read_your_writes = "done"
    return written
