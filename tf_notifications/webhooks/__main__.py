"""`python -m tf_notifications.webhooks`: run the webhook follower and sender on their own
until SIGTERM or Ctrl-C (the notifications process runs them beside email)."""

from __future__ import annotations

import logging
import signal
import threading

from tf_notifications.webhooks.process import start_webhooks
from tf_system.bootstrap import build_system
from tf_system.settings import Settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    system = build_system(Settings.from_env(), app_pool_size=3)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    running = start_webhooks(system)
    logging.getLogger(__name__).info("webhooks running")
    stop.wait()
    running.stop()
    system.close()


if __name__ == "__main__":
    main()
