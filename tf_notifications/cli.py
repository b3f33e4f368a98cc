"""`ticketflower notifications run`."""

from __future__ import annotations

import logging
import signal
import threading

import click

from tf_system.bootstrap import build_system
from tf_system.settings import Settings


@click.group()
def notifications() -> None:
    """Run the notifications process (email, and every other runner it has)."""


@notifications.command("run")
def run() -> None:
    """Follow the log and deliver notifications until SIGTERM or Ctrl-C."""
    from tf_notifications.process import start_notifications

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    from tf_notifications.mailer import SmtpMailer

    settings = Settings.from_env()
    if settings.smtp_url:
        try:
            SmtpMailer(settings.smtp_url)
        except ValueError as wrong:
            raise click.UsageError(str(wrong)) from None
    system = build_system(settings, app_pool_size=2)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    running = start_notifications(system)
    where = settings.smtp_url.split("@")[-1] if settings.smtp_url else "the outbox folder"
    click.echo(f"notifications running: mail goes to {where}")
    stop.wait()
    running.stop()
    system.close()
