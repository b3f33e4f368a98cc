"""Tickets: submissions over HTTP against gunicorn and the projection worker, started as
in the Procfile, with latency and submit → visible lag, beside raw PostgreSQL inserts."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import requests
from honcho.environ import parse_procfile

from bench.common import fresh_system, raw_insert_rate, report, summary
from tests.samples import definition_set
from tf_events.commands import CreateApiToken, ImportDefinitionSet, RegisterUser
from tf_system.settings import PROJECT_ROOT

SUBMISSIONS = 1000
CONCURRENCY = 8
LAG_SAMPLES = 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_procfile(env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    procfile = parse_procfile((PROJECT_ROOT / "Procfile").read_text())
    return [
        subprocess.Popen(
            shlex.split(procfile.processes[name]),
            env=env,
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for name in ("web", "projections")
    ]


def _wait_healthy(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise TimeoutError("gunicorn did not come up")


def run() -> None:
    with fresh_system() as system:
        system.app.handle(ImportDefinitionSet(definition_set(), by="bench"))
        user_id = system.app.handle(RegisterUser("bench", "long enough password")).aggregate_id
        token, _ = system.app.handle(CreateApiToken(user_id, "bench"))
        port = _free_port()
        venv_bin = os.path.dirname(sys.executable)
        env = {
            **os.environ,
            "TF_DATABASE_URL": system.database_url,
            "PORT": str(port),
            "TF_DATA_DIR": tempfile.mkdtemp(prefix="tf-bench-"),
            "TF_SECURE_COOKIES": "0",
            "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        processes = _start_procfile(env)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base)
            local = threading.local()

            def submit(i: int) -> tuple[float, dict]:
                session = getattr(local, "session", None)
                if session is None:
                    session = local.session = requests.Session()
                    session.headers["Authorization"] = f"Bearer {token}"
                started = time.perf_counter()
                response = session.post(
                    f"{base}/api/v1/tickets",
                    timeout=30,
                    json={"ticket_type": "laptop-request", "data": {"summary": f"Laptop {i}"}},
                )
                assert response.status_code == 201, response.text
                return time.perf_counter() - started, response.json()

            for i in range(50):  # warm up every gunicorn worker
                submit(-i)
            started = time.perf_counter()
            with ThreadPoolExecutor(CONCURRENCY) as pool:
                results = list(pool.map(submit, range(SUBMISSIONS)))
            elapsed = time.perf_counter() - started
            latencies = [latency for latency, _ in results]

            lags = []
            with psycopg.connect(system.database_url, autocommit=True) as reader:
                for i in range(LAG_SAMPLES):
                    sent = time.perf_counter()
                    _, body = submit(10_000 + i)
                    while (
                        reader.execute(
                            "SELECT 1 FROM tickets WHERE id = %s", (body["id"],)
                        ).fetchone()
                        is None
                    ):
                        time.sleep(0.0005)
                    lags.append(time.perf_counter() - sent)
        finally:
            for process in processes:
                os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                process.wait(timeout=15)
        raw_rate = raw_insert_rate(system.database_url)

    report(
        "tickets (HTTP API, gunicorn as in the Procfile)",
        [
            (f"submissions, {CONCURRENCY} concurrent clients", f"{SUBMISSIONS / elapsed:,.0f} /s"),
            ("submission latency", summary(latencies)),
            ("submit -> visible in the read table", summary(lags)),
            ("raw PostgreSQL single-row INSERT", f"{raw_rate:,.0f} /s"),
        ],
    )
