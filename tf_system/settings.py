"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on", "y"}


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw is None or raw == "" else raw.strip().lower() in _TRUE


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    data_dir: Path = PROJECT_ROOT / ".tfdata"
    components_dir: Path = PROJECT_ROOT / "components"
    secret_key: str = ""
    # Demo: every new user joins the ticket team, so a fresh install shows everything.
    demo_mode: bool = False
    secure_cookies: bool = True
    # Upper bound on how long a page waits for the read tables to show a write.
    read_your_writes_timeout: float = 5.0
    # Proxies (addresses or networks) whose X-Forwarded-For is believed; none by default.
    trusted_proxies: tuple[str, ...] = ()
    # Where flask-limiter counts request rates: per process by default, or e.g. redis://.
    rate_limit_storage_uri: str = "memory://"
    # Software tasks run at once by one automation process.
    automation_concurrency: int = 2
    # Notifications: links in mails start with base_url; with no smtp_url, mails go to
    # the outbox folder (data_dir/outbox) and the admin's Outbox page.
    base_url: str = "http://127.0.0.1:8000"
    smtp_url: str = ""
    mail_from: str = "TicketFlower <ticketflower@localhost>"
    digest_hour: int = 7  # UTC hour the daily digest of the day before goes out
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("TF_DATA_DIR") or PROJECT_ROOT / ".tfdata")
        return cls(
            database_url=os.environ.get("TF_DATABASE_URL") or None,
            data_dir=data_dir,
            components_dir=Path(os.environ.get("TF_COMPONENTS_DIR") or PROJECT_ROOT / "components"),
            secret_key=os.environ.get("TF_SECRET_KEY") or _stored_secret(data_dir),
            demo_mode=_flag("TF_DEMO", False),
            secure_cookies=_flag("TF_SECURE_COOKIES", True),
            read_your_writes_timeout=float(os.environ.get("TF_READ_YOUR_WRITES_TIMEOUT", "5")),
            trusted_proxies=tuple(
                part.strip()
                for part in os.environ.get("TF_TRUSTED_PROXIES", "").split(",")
                if part.strip()
            ),
            rate_limit_storage_uri=os.environ.get("TF_RATELIMIT_STORAGE_URI") or "memory://",
            automation_concurrency=int(os.environ.get("TF_AUTOMATION_CONCURRENCY") or 2),
            base_url=(os.environ.get("TF_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
            smtp_url=os.environ.get("TF_SMTP_URL") or "",
            mail_from=os.environ.get("TF_MAIL_FROM") or "TicketFlower <ticketflower@localhost>",
            digest_hour=int(os.environ.get("TF_DIGEST_HOUR") or 7),
        )


def _stored_secret(data_dir: Path) -> str:
    """Keep one random key per data folder, so sessions survive a restart of the demo."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret_key"
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(secrets.token_urlsafe(48))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text().strip()
