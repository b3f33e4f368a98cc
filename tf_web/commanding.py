"""Run a command on the application, then wait until the read tables show it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import flash

from tf_events.application import TicketFlower
from tf_events.written import Written
from tf_projections.waiting import ProjectionsLagging
from tf_web.extensions import system

log = logging.getLogger(__name__)


def execute(command: Callable[[TicketFlower], Written]) -> Written:
    """Run `command` and return once the next page will already show its effect."""
    wired = system()
    written = command(wired.app)
    try:
        wired.positions.wait_for(written, wired.settings.read_your_writes_timeout)
    except ProjectionsLagging as lag:
        log.warning("read-your-writes timed out: %s", lag)
        flash("Saved. It may take a few seconds to show everywhere.", "warning")
    return written
