"""Flask extensions and the accessor for the wired System."""

from __future__ import annotations

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from tf_system.bootstrap import System

csrf = CSRFProtect()
# Request rates per client address (after TF_TRUSTED_PROXIES, see tf_web.proxies). Its
# storage is per process unless TF_RATELIMIT_STORAGE_URI names a shared one (Redis, ...):
# the sign-in back-offs that must hold across processes live in PostgreSQL (tf_web.throttle).
limiter = Limiter(get_remote_address, strategy="fixed-window", headers_enabled=True)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"
# Drop the session when its IP/user-agent fingerprint changes.
login_manager.session_protection = "strong"


def system() -> System:
    return current_app.extensions["tf_system"]
