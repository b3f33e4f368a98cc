"""The web: pages and API served from the read tables, sending commands to tf_events."""

from __future__ import annotations

from flask import Flask

from tf_system.bootstrap import System, build_system
from tf_system.settings import Settings


def create_app(system: System | None = None) -> Flask:
    """Build the Flask app. Call it after gunicorn forks: the System owns connection pools."""
    from tf_web import (
        account,
        admin,
        assets,
        auth,
        dashboard,
        errors,
        health,
        notification_choices,
        outbox,
        request_input,
        request_log,
        sandbox,
        template_filters,
        work,
    )
    from tf_web.api import init_api
    from tf_web.assistant import views as assistant
    from tf_web.design import publishing as _publishing  # noqa: F401 - registers routes
    from tf_web.design import test_run as _test_run  # noqa: F401 - registers routes
    from tf_web.design import views as design
    from tf_web.extensions import csrf, limiter, login_manager
    from tf_web.proxies import TrustedProxies, trusted_networks
    from tf_web.public import status as _public_status  # noqa: F401 - registers routes
    from tf_web.public import views as public
    from tf_web.reports import views as reports
    from tf_web.task_lists import views as task_lists
    from tf_web.tickets import audit as _ticket_audit  # noqa: F401 - registers routes
    from tf_web.tickets import lists as _ticket_lists  # noqa: F401 - registers routes
    from tf_web.tickets import task_page
    from tf_web.tickets import views as tickets
    from tf_web.webhooks import views as webhooks

    system = system or build_system(Settings.from_env())
    settings = system.settings
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        # Tokens live as long as the session: a form left open overnight still posts.
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=4 * 1024 * 1024,
        RATELIMIT_STORAGE_URI=settings.rate_limit_storage_uri,
    )
    if settings.trusted_proxies:
        app.wsgi_app = TrustedProxies(  # type: ignore[method-assign]
            app.wsgi_app, trusted_networks(settings.trusted_proxies)
        )
    template_filters.init_app(app)
    request_log.init_app(app)
    request_input.init_app(app)  # before the CSRF check, the first to read a form
    app.json.ensure_ascii = False  # type: ignore[attr-defined] - "€48", not "\u20ac48"
    app.extensions["tf_system"] = system
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    init_api(app)  # before errors: flask-smorest sets an error handler we replace
    errors.init_app(app)
    assets.init_app(app)
    for module in (
        auth,
        dashboard,
        admin,
        health,
        design,
        assistant,
        sandbox,
        account,
        tickets,
        task_page,
        work,
        task_lists,
        reports,
        notification_choices,
        outbox,
        webhooks,
        public,
    ):
        app.register_blueprint(module.bp)
    return app
