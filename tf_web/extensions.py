"""Flask extensions and the accessor for the wired System."""

from __future__ import annotations

from flask import current_app
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from tf_system.bootstrap import System

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"
# Drop the session when its IP/user-agent fingerprint changes.
login_manager.session_protection = "strong"


def system() -> System:
    return current_app.extensions["tf_system"]
