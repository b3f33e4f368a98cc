"""Tickets: submissions over HTTP against gunicorn and the projection worker, started as
in the Procfile, with latency and submit → visible lag, beside raw PostgreSQL inserts."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import requests

from bench.common import (
    free_port,
    fresh_system,
    procfile_env,
    raw_insert_rate,
    report,
    start_process,
    stop_process,
    summary,
    wait_healthy,
)
from tests.samples import definition_set
from tf_events.commands import CreateApiToken, ImportDefinitionSet, RegisterUser

SUBMISSIONS = 1000
CONCURRENCY = 8
LAG_SAMPLES = 200


def run() -> None:
    with fresh_system() as system:
        system.app.handle(ImportDefinitionSet(definition_set(), by="bench"))
        user_id = system.app.handle(RegisterUser("bench", "long enough password")).aggregate_id
        token, _ = system.app.handle(CreateApiToken(user_id, "bench"))
        port = free_port()
        env = procfile_env(system.database_url, port)
        processes = [start_process(name, env) for name in ("web", "projections")]
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, token)
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
                stop_process(process)
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
