"""Shared fixtures, in layers: PostgreSQL server → fresh database → System → workers →
live HTTP server → signed-in HTTP clients."""

from __future__ import annotations

import os

from tf_events.commands import RegisterUser

# Before tf_events is imported: hashing is slow by design, and the suite makes many users.
os.environ.setdefault("TF_ARGON2_PROFILE", "CHEAPEST")

import json
import logging
import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests
from werkzeug.serving import make_server

from tf_projections.registry import READ_MODELS
from tf_projections.worker import ProjectionWorker, start_workers
from tf_system.bootstrap import System, build_system
from tf_system.settings import PROJECT_ROOT, Settings

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def server_url() -> str:
    """A real PostgreSQL: TF_TEST_DATABASE_URL if set, else a private embedded server."""
    configured = os.environ.get("TF_TEST_DATABASE_URL")
    if configured:
        return configured
    from tf_system.embedded_postgres import start_embedded

    return start_embedded(PROJECT_ROOT / ".tfdata" / "test", database="postgres")


@pytest.fixture
def database_url(server_url: str) -> Iterator[str]:
    """A new, empty database for each test."""
    name = f"tf_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = psycopg.conninfo.make_conninfo(server_url, dbname=name)
    yield url
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path,
        components_dir=tmp_path / "components",
        secret_key="test-secret",
        secure_cookies=False,
    )


@pytest.fixture
def system(settings: Settings) -> Iterator[System]:
    wired = build_system(settings, app_pool_size=6)
    yield wired
    wired.close()


@pytest.fixture
def workers(system: System) -> Iterator[list[ProjectionWorker]]:
    running = start_workers(
        list(READ_MODELS),
        system.app.recorder,
        system.app.mapper,
        system.pool,
        system.database_url,
    )
    yield running
    for worker in running:
        worker.stop()
    for worker in running:
        worker.join(timeout=10)


@pytest.fixture
def served() -> list[str]:
    """Every path (with its query) that reached the live server."""
    return []


@pytest.fixture
def live_server(
    system: System, workers: list[ProjectionWorker], served: list[str]
) -> Iterator[str]:
    """The Flask app served over real HTTP on a free port."""
    from tf_web import create_app

    app = create_app(system)

    def recording(environ, start_response):
        served.append(f"{environ['PATH_INFO']}?{environ.get('QUERY_STRING', '')}")
        return app(environ, start_response)

    server = make_server("127.0.0.1", 0, recording, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def request_log(live_server: str):
    """Every JSON line the request log writes while the test runs (after the app set the
    log up: it configures itself only when it has no handler yet)."""
    lines: list[dict] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(json.loads(record.getMessage()))

    handler = Collect()
    logger = logging.getLogger("tf_web.requests")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


@pytest.fixture
def make_user(system: System):
    """Register a user through the application and wait until the read side shows it."""
    from tf_projections.waiting import wait_for

    def make(username: str, roles: tuple[str, ...] = (), password: str = PASSWORD) -> uuid.UUID:
        written = system.app.handle(RegisterUser(username, password, roles=roles))
        wait_for(system.pool, written, timeout=5)
        return written.aggregate_id

    return make


def routes_under(system: System, prefix: str, examples: dict[str, str]) -> list[tuple[str, str]]:
    """Every (method, path) under `prefix`, read from the app's URL map, with each
    placeholder (like "<uuid:user_id>") replaced by an example value."""
    from tf_web import create_app

    routes = []
    for rule in create_app(system).url_map.iter_rules():
        if rule.rule.startswith(prefix):
            path = rule.rule
            for placeholder, example in examples.items():
                path = path.replace(placeholder, example)
            routes.extend((method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return sorted(routes)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


class Client(requests.Session):
    """A browser-like HTTP client: remembers cookies and fills in CSRF tokens."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def request(self, method: str, url: str, *args, follow: bool = False, **kwargs):  # type: ignore[override]
        kwargs["allow_redirects"] = follow  # tests look at each redirect themselves
        kwargs.setdefault("timeout", 20)
        return super().request(method, self.base_url + url, *args, **kwargs)

    def submit(self, form_page: str, action: str, data: dict) -> requests.Response:
        """GET the page with the form, then POST the form with its CSRF token."""
        token = csrf_token(self.get(form_page).text)
        return self.post(action, data={**data, "csrf_token": token})

    def login(self, username: str, password: str = PASSWORD) -> requests.Response:
        return self.submit("/login", "/login", {"username": username, "password": password})


@pytest.fixture
def client(live_server: str) -> Client:
    return Client(live_server)


@pytest.fixture
def signed_in(live_server: str, make_user):
    """A signed-in client for a new user with the given roles."""

    def sign_in(username: str, roles: tuple[str, ...] = ()) -> Client:
        make_user(username, roles)
        http = Client(live_server)
        response = http.login(username)
        assert response.status_code == 302, response.text
        return http

    return sign_in


@pytest.fixture
def token_for(signed_in):
    """Sign a user in and create an API token on their account page, as a person would."""

    def make(username: str, roles: tuple[str, ...]) -> str:
        http = signed_in(username, roles)
        page = http.submit("/account", "/account/tokens", {"name": "script"})
        assert page.status_code == 200
        return re.search(r'id="new-token">([^<]+)<', page.text).group(1)

    return make


def api(live_server: str, token: str | None):
    session = requests.Session()
    if token:
        session.headers["Authorization"] = f"Bearer {token}"

    def call(method: str, path: str, **kwargs) -> requests.Response:
        return session.request(method, f"{live_server}/api/v1{path}", timeout=20, **kwargs)

    return call
