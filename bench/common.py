"""What every benchmark needs: a fresh database on the embedded (or configured) server,
percentiles, and a raw PostgreSQL insert rate measured in the same run for comparison."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from http.client import HTTPConnection, HTTPException
from typing import Any
from urllib.parse import urlsplit

import psycopg
import requests
from honcho.environ import parse_procfile
from psycopg_pool import ConnectionPool

from tf_system.bootstrap import System, build_system
from tf_system.settings import PROJECT_ROOT, Settings


def server_url() -> str:
    configured = os.environ.get("TF_BENCH_DATABASE_URL")
    if configured:
        return configured
    from tf_system.embedded_postgres import start_embedded

    return start_embedded(PROJECT_ROOT / ".tfdata" / "bench", database="postgres")


@contextmanager
def fresh_system() -> Iterator[System]:
    admin_url = server_url()
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = psycopg.conninfo.make_conninfo(admin_url, dbname=name)
    settings = replace(Settings.from_env(), database_url=url)
    system = build_system(settings, app_pool_size=8)
    try:
        yield system
    finally:
        system.close()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@contextmanager
def kept_system(name: str) -> Iterator[System]:
    """A database of this name on the bench server, made if missing and kept afterwards,
    so a slow seed can be reused by the next run."""
    admin_url = server_url()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    url = psycopg.conninfo.make_conninfo(admin_url, dbname=name)
    system = build_system(replace(Settings.from_env(), database_url=url), app_pool_size=8)
    try:
        yield system
    finally:
        system.close()


def free_port() -> int:
    """TF_BENCH_PORT if set (on a shared machine), else any free port."""
    if configured := os.environ.get("TF_BENCH_PORT"):
        return int(configured)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_env(database_url: str, port: int) -> dict[str, str]:
    """The environment the Procfile's processes run with, on this database and port."""
    venv_bin = os.path.dirname(sys.executable)
    return {
        **os.environ,
        "TF_DATABASE_URL": database_url,
        "PORT": str(port),
        "TF_DATA_DIR": tempfile.mkdtemp(prefix="tf-bench-"),
        "TF_SECURE_COOKIES": "0",
        "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def start_process(name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start the Procfile's process `name`, in a session of its own (see stop_process)."""
    procfile = parse_procfile((PROJECT_ROOT / "Procfile").read_text())
    return subprocess.Popen(
        shlex.split(procfile.processes[name]),
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop_process(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=15)


def wait_healthy(base: str, token: str | None = None) -> None:
    """Until gunicorn answers and, given a token, the read side knows it (the projection
    process has caught up with the users made before it started)."""
    deadline = time.monotonic() + 60
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    path = "/api/v1/me" if token else "/healthz"
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}{path}", headers=headers, timeout=2).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)
    raise TimeoutError("gunicorn did not come up")


class LeanClient:
    """One kept-alive connection to the server, with http.client: the clients of a
    benchmark share the two cores with the server, and `requests` spent 1.2 to 1.8 ms of CPU
    a call building and parsing (a sixth of a submission; more than a static file takes to
    serve), which the timings would count as the server's. `headers` go with every call
    (a token; or a signed-in `requests.Session`'s cookies and its User-Agent, which the
    session is bound to: see `signed_in_headers`)."""

    def __init__(self, base: str, headers: Mapping[str, str]) -> None:
        url = urlsplit(base)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.headers = dict(headers)
        self.connection: HTTPConnection | None = None

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        return self._request(method, path, body, reused=True)

    def _request(self, method: str, path: str, body: str | None, reused: bool) -> tuple[int, bytes]:
        if self.connection is None:
            self.connection = HTTPConnection(self.host, self.port, timeout=30)
            reused = False
        connection = self.connection
        try:
            connection.request(method, path, body, self.headers)
        except ConnectionError:
            # gunicorn closes a connection idle past its keep-alive time: a request that
            # could not be sent on it is sent once more, on a new one.
            self.close()
            if reused:
                return self._request(method, path, body, reused=False)
            raise
        try:
            response = connection.getresponse()
            return response.status, response.read()
        except (ConnectionError, HTTPException):
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def signed_in_headers(session: requests.Session) -> dict[str, str]:
    """What a LeanClient sends to be `session`'s signed-in browser."""
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)
    return {"Cookie": cookies, "User-Agent": str(session.headers["User-Agent"])}


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def raw_insert_rate(database_url: str, count: int = 3000) -> float:
    """Single-row INSERTs per second, one transaction each: the floor under every write."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE raw_inserts (id bigserial PRIMARY KEY, body text)")
        started = time.perf_counter()
        for i in range(count):
            conn.execute("INSERT INTO raw_inserts (body) VALUES (%s)", (f"row {i}",))
        return count / (time.perf_counter() - started)


def report(title: str, rows: list[tuple[str, str]]) -> None:
    width = max(len(label) for label, _ in rows)
    print(f"\n== {title}")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")


def summary(samples: list[float]) -> str:
    return (
        f"p50 {ms(percentile(samples, 50))}, p95 {ms(percentile(samples, 95))},"
        f" p99 {ms(percentile(samples, 99))}, mean {ms(statistics.fmean(samples))}"
        f" (n={len(samples)})"
    )


AUTO_EXPLAIN = (
    ("auto_explain.log_analyze", "on"),
    ("auto_explain.log_buffers", "on"),
    ("auto_explain.log_level", "notice"),  # sent to this client, not the server log
    ("auto_explain.log_min_duration", "0"),
)


def explain_pool(database_url: str, plans: list[str]) -> ConnectionPool:
    """One connection that sends back the executed plan of every statement it runs."""

    def configure(conn: psycopg.Connection[Any]) -> None:
        conn.add_notice_handler(lambda notice: plans.append(notice.message_primary or ""))
        conn.execute("LOAD 'auto_explain'")
        for name, value in AUTO_EXPLAIN:
            conn.execute("SELECT set_config(%s, %s, false)", (name, value))

    return ConnectionPool(
        database_url, min_size=1, max_size=1, kwargs={"autocommit": True}, configure=configure
    )
