"""The email runner: the follower that turns ticket events into mails to send, and the
sender that sends them."""

from __future__ import annotations

from dataclasses import dataclass

from tf_notifications.follower import NotificationFollower
from tf_notifications.mailer import Mailer, mailer_for
from tf_notifications.sender import Clock, Sender, SenderConfig, utc_now
from tf_projections.worker import ProjectionWorker
from tf_system.bootstrap import System


@dataclass
class Email:
    follower: ProjectionWorker
    sender: Sender

    def stop(self, timeout: float = 10) -> None:
        self.follower.stop()
        self.sender.stop(timeout)
        self.follower.join(timeout)


def sender_config(system: System, retry_seconds: float | None = None) -> SenderConfig:
    settings = system.settings
    config = SenderConfig(settings.mail_from, settings.base_url, settings.digest_hour)
    if retry_seconds is not None:
        return SenderConfig(
            config.mail_from, config.base_url, config.digest_hour, retry_seconds=retry_seconds
        )
    return config


def start_email(
    system: System,
    mailer: Mailer | None = None,
    clock: Clock = utc_now,
    retry_seconds: float | None = None,
) -> Email:
    """One follower runs anywhere at a time (an advisory lock elects it); senders lease."""
    follower = ProjectionWorker(
        NotificationFollower(system.app.mapper, system.settings.base_url),
        system.app.recorder,
        system.pool,
        system.database_url,
    ).start()
    sender = Sender(
        system.pool,
        mailer or mailer_for(system.settings.smtp_url, system.settings.data_dir),
        sender_config(system, retry_seconds),
        system.database_url,
        clock,
    ).start()
    return Email(follower, sender)
