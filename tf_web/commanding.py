"""Run a command on the application, then wait until the read tables show it."""

from __future__ import annotations

import logging
from typing import TypeVar

from flask import flash

from tf_events.commands import Command
from tf_events.written import Result
from tf_projections.waiting import ProjectionsLagging
from tf_web.extensions import system

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Result)


def execute(command: Command[R]) -> R:
    """Run `command` and return its result once the next page will already show it."""
    wired = system()
    result = wired.app.handle(command)
    try:
        wired.positions.wait_for(result.written, wired.settings.read_your_writes_timeout)
    except ProjectionsLagging as lag:
        log.warning("read-your-writes timed out: %s", lag)
        flash("Saved. It may take a few seconds to show everywhere.", "warning")
    return result
