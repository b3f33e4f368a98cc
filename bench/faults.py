"""Faults, as a user sees them, against gunicorn and the projection worker started as in
the Procfile: recovery after PostgreSQL kills every connection (as a failover or restart
does), and submissions per second while the projection process is stopped, beside the
same figures in normal running."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import psycopg
import requests

from bench.common import (
    free_port,
    fresh_system,
    ms,
    percentile,
    procfile_env,
    report,
    server_url,
    start_process,
    stop_process,
    summary,
    wait_healthy,
)
from tests.samples import definition_set
from tf_events.commands import CreateApiToken, ImportDefinitionSet, RegisterUser

KILL_RUNS = 5
CLIENTS = 8  # people using the app at once (gunicorn runs 4 processes of 4 threads)
SUBMISSIONS = 600
HEALTH_SAMPLES = 50
LOAD_BEFORE_KILL = 0.5  # seconds of steady load, so requests are in flight at the kill
LOAD_AFTER_KILL = 2.0


@dataclass(frozen=True)
class Answer:
    status: int
    seconds: float
    finished: float  # perf_counter when it came back
    read_your_writes: str
    retry_after: str | None
    ticket_id: str | None = None


class Client:
    """One API user (a session per thread) submitting tickets and listing them."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.token = token
        self.local = threading.local()

    def _session(self) -> requests.Session:
        if (session := getattr(self.local, "session", None)) is None:
            session = self.local.session = requests.Session()
            session.headers["Authorization"] = f"Bearer {self.token}"
        return session

    def call(self, method: str, path: str, **kwargs: object) -> Answer:
        started = time.perf_counter()
        response = self._session().request(
            method, f"{self.base}/api/v1{path}", timeout=60, **kwargs
        )
        finished = time.perf_counter()
        return Answer(
            response.status_code,
            finished - started,
            finished,
            response.headers.get("TF-Read-Your-Writes", ""),
            response.headers.get("Retry-After"),
            response.json().get("id") if response.status_code == 201 else None,
        )

    def submit(self, i: int) -> Answer:
        data = {"summary": f"Laptop {i}"}
        return self.call("POST", "/tickets", json={"ticket_type": "laptop-request", "data": data})

    def read(self, _: int = 0) -> Answer:
        return self.call("GET", "/tickets?scope=mine")


def kill_every_connection(admin: psycopg.Connection, dbname: str, keep: int) -> int:
    """Every connection of the processes under test (all but `keep`, the bench's reader)."""
    rows = admin.execute(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
        " WHERE datname = %s AND pid NOT IN (pg_backend_pid(), %s)",
        (dbname, keep),
    ).fetchall()
    return sum(killed for (killed,) in rows)


@dataclass(frozen=True)
class Recovery:
    killed: int
    every_user_served: float  # kill -> each user has had a success sent after the kill
    in_flight_failures: Counter[int]  # status -> count, of requests sent before the kill
    later_failures: Counter[int]  # of requests sent after it (the target: none)
    unclean: int  # failures that were not a 503 with Retry-After
    shown: float  # kill -> a ticket submitted after it is in the read table


def recover_once(
    client: Client, admin: psycopg.Connection, dbname: str, reader: psycopg.Connection
) -> Recovery:
    """CLIENTS users keep reading and submitting; every connection is killed under them."""
    stop = threading.Event()

    def user(i: int) -> list[tuple[float, Answer]]:
        answers = []
        while not stop.is_set():
            sent = time.perf_counter()
            answers.append((sent, client.submit(i) if i % 2 else client.read()))
        return answers

    def shown_in_read_table(kill_time: float) -> float:
        while (probe := client.submit(-1)).status != 201:
            pass
        while (
            reader.execute("SELECT 1 FROM tickets WHERE id = %s", (probe.ticket_id,)).fetchone()
            is None
        ):
            time.sleep(0.001)
        return time.perf_counter() - kill_time

    with ThreadPoolExecutor(CLIENTS + 1) as pool:
        users = [pool.submit(user, i) for i in range(CLIENTS)]
        time.sleep(LOAD_BEFORE_KILL)
        killed = kill_every_connection(admin, dbname, keep=reader.info.backend_pid)
        kill_time = time.perf_counter()
        shown = pool.submit(shown_in_read_table, kill_time).result()
        time.sleep(LOAD_AFTER_KILL)
        stop.set()
        per_user = [u.result() for u in users]

    def first_success_after_kill(answers: list[tuple[float, Answer]]) -> float:
        return next(a.finished for sent, a in answers if sent >= kill_time and a.status < 500)

    failed = [(sent, a) for answers in per_user for sent, a in answers if a.status >= 500]
    return Recovery(
        killed=killed,
        every_user_served=max(map(first_success_after_kill, per_user)) - kill_time,
        in_flight_failures=Counter(a.status for sent, a in failed if sent < kill_time),
        later_failures=Counter(a.status for sent, a in failed if sent >= kill_time),
        unclean=sum(1 for _, a in failed if a.status != 503 or a.retry_after is None),
        shown=shown,
    )


def submissions(client: Client, start: int) -> tuple[float, list[Answer]]:
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(client.submit, range(start, start + SUBMISSIONS)))
    assert all(a.status == 201 for a in answers), Counter(a.status for a in answers)
    return time.perf_counter() - started, answers


def rate_and_latency(elapsed: float, answers: list[Answer]) -> str:
    return f"{len(answers) / elapsed:,.0f} /s; latency {summary([a.seconds for a in answers])}"


def health_latencies(base: str) -> tuple[list[float], dict]:
    samples, body = [], {}
    for _ in range(HEALTH_SAMPLES):
        started = time.perf_counter()
        response = requests.get(f"{base}/healthz", timeout=60)
        samples.append(time.perf_counter() - started)
        body = response.json()
    return samples, body


def run() -> None:
    with fresh_system() as system:
        system.app.handle(ImportDefinitionSet(definition_set(), by="bench"))
        user_id = system.app.handle(RegisterUser("bench", "long enough password")).aggregate_id
        token, _ = system.app.handle(CreateApiToken(user_id, "bench"))
        dbname = psycopg.conninfo.conninfo_to_dict(system.database_url)["dbname"]
        port = free_port()
        env = procfile_env(system.database_url, port)
        web, projections = start_process("web", env), start_process("projections", env)
        base = f"http://127.0.0.1:{port}"
        client = Client(base, token)
        try:
            wait_healthy(base)
            for i in range(50):  # warm up every gunicorn process
                client.submit(-1000 - i)
            normal = [client.read().seconds for _ in range(100)]

            with (
                psycopg.connect(server_url(), autocommit=True) as admin,
                psycopg.connect(system.database_url, autocommit=True) as reader,
            ):
                recoveries = [recover_once(client, admin, dbname, reader) for _ in range(KILL_RUNS)]

            running_time, running = submissions(client, 0)
            health_running, _ = health_latencies(base)

            stop_process(projections)  # really stopped: the process is gone
            stopped_time, stopped = submissions(client, SUBMISSIONS)
            steady_time, steady = submissions(client, 2 * SUBMISSIONS)
            health_stopped, health_body = health_latencies(base)
        finally:
            stop_process(web)
            if projections.poll() is None:
                stop_process(projections)

    served = [r.every_user_served for r in recoveries]
    shown = [r.shown for r in recoveries]
    in_flight = sum((r.in_flight_failures for r in recoveries), Counter())
    later = sum((r.later_failures for r in recoveries), Counter())
    pending = Counter(a.read_your_writes for a in stopped + steady)
    lag = {p["name"]: p["lag"] for p in health_body["projections"]}
    report(
        f"faults (HTTP API, gunicorn + projections as in the Procfile, {CLIENTS} clients)",
        [
            ("baseline: a list request, normal running", summary(normal)),
            (
                f"every connection killed, {KILL_RUNS} runs",
                f"{', '.join(str(r.killed) for r in recoveries)} connections killed",
            ),
            ("  kill -> every user served again, p50", f"{ms(percentile(served, 50))}"),
            ("  (each run)", ", ".join(ms(s) for s in served)),
            ("  kill -> a new ticket in the read table, p50", ms(percentile(shown, 50))),
            (
                "  failed requests in flight at the kill",
                f"{sum(in_flight.values())} {dict(in_flight)} (all runs)",
            ),
            ("  failed requests sent after the kill", f"{sum(later.values())} {dict(later)}"),
            (
                "  failures that were not a 503 with Retry-After",
                str(sum(r.unclean for r in recoveries)),
            ),
            (
                "submissions/s, projections running",
                rate_and_latency(running_time, running),
            ),
            (
                "submissions/s, projections stopped (first)",
                rate_and_latency(stopped_time, stopped),
            ),
            (
                "submissions/s, projections stopped (next)",
                rate_and_latency(steady_time, steady),
            ),
            ("  TF-Read-Your-Writes while stopped", str(dict(pending))),
            ("/healthz, projections running", summary(health_running)),
            ("/healthz, projections stopped", f"{summary(health_stopped)}; lag {lag}"),
        ],
    )
