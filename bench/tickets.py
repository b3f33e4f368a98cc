"""Tickets: submissions over HTTP against gunicorn and the projection worker, started as
in the Procfile, with latency and submit → visible lag, beside raw PostgreSQL inserts.

Then the same, with and without the processes that must not slow submissions down
(TF_BENCH_EXTRA_PROCESSES, comma-separated Procfile names; by default `reports` and
`notifications`): rounds without, with, with and without them, twice, on one database,
each extra process started and caught up before its round.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psutil
import psycopg
from honcho.environ import parse_procfile

from bench.common import (
    LeanClient,
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
from tf_notifications.follower import NotificationFollower
from tf_notifications.webhooks.follower import WebhookFollower
from tf_projections.read_model import ReadModel
from tf_projections.reports import ReportsReadModel
from tf_projections.waiting import wait_until_caught_up
from tf_system.bootstrap import System
from tf_system.settings import PROJECT_ROOT

SUBMISSIONS = int(os.environ.get("TF_BENCH_SUBMISSIONS", "1500"))
CONCURRENCY = 8
LAG_SAMPLES = 100
# Rounds in the order without, with, with, without: a drift over the run (the database
# growing, the machine warming) weighs the same on both sides.
ORDER = (False, True, True, False) * 2
# The log followers each extra process runs: a round starts once they have caught up, so
# it times them running, not starting (importing, connecting, reading the log so far).
FOLLOWERS: dict[str, tuple[type[ReadModel], ...]] = {
    "reports": (ReportsReadModel,),
    "notifications": (NotificationFollower, WebhookFollower),
}


def _extra_names() -> list[str]:
    """The Procfile's processes that follow the log besides the tickets' projection."""
    configured = os.environ.get("TF_BENCH_EXTRA_PROCESSES")
    if configured is not None:
        return [name.strip() for name in configured.split(",") if name.strip()]
    procfile = parse_procfile((PROJECT_ROOT / "Procfile").read_text()).processes
    return [name for name in ("reports", "notifications") if name in procfile]


class Submitter:
    """Posts tickets through the API, one kept-alive LeanClient per client thread."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.local = threading.local()

    def __call__(self, i: int) -> tuple[float, dict[str, Any]]:
        client = getattr(self.local, "client", None)
        if client is None:
            client = self.local.client = LeanClient(self.base, self.headers)
        body = json.dumps({"ticket_type": "laptop-request", "data": {"summary": f"Laptop {i}"}})
        started = time.perf_counter()
        status, answer = client.request("POST", "/api/v1/tickets", body)
        assert status == 201, answer
        return time.perf_counter() - started, json.loads(answer)


def _cpu_seconds(processes: dict[str, subprocess.Popen[bytes]]) -> dict[str, float]:
    """CPU time used so far by each process (with its children: gunicorn's workers, nice's
    child), by PostgreSQL's processes, and by this one (the clients)."""

    def used(process: psutil.Process) -> float:
        try:
            times = process.cpu_times()
        except psutil.Error:  # gone meanwhile
            return 0.0
        return float(times.user + times.system)

    seconds: dict[str, float] = {}
    for name, process in processes.items():
        root = psutil.Process(process.pid)
        seconds[name] = sum(used(p) for p in [root, *root.children(recursive=True)])
    seconds["postgres"] = sum(used(p) for p in psutil.process_iter() if p.name() == "postgres")
    seconds["clients"] = time.process_time()
    return seconds


def _round(
    submit: Submitter, database_url: str, first: int, processes: dict[str, subprocess.Popen[bytes]]
) -> dict[str, Any]:
    before = _cpu_seconds(processes)
    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(submit, range(first, first + SUBMISSIONS)))
    elapsed = time.perf_counter() - started
    after = _cpu_seconds(processes)
    cpu = {name: (after[name] - before[name]) / SUBMISSIONS * 1000 for name in before}
    lags = []
    with psycopg.connect(database_url, autocommit=True) as reader:
        for i in range(LAG_SAMPLES):
            sent = time.perf_counter()
            _, body = submit(first + SUBMISSIONS + i)
            visible = "SELECT 1 FROM tickets WHERE id = %s"
            while reader.execute(visible, (body["id"],)).fetchone() is None:
                time.sleep(0.0005)
            lags.append(time.perf_counter() - sent)
    return {
        "rate": SUBMISSIONS / elapsed,
        "latency": [r[0] for r in results],
        "lag": lags,
        "cpu": cpu,
    }


def _cpu_row(cpu: dict[str, float]) -> str:
    parts = [f"{name} {ms:.2f}" for name, ms in cpu.items()]
    return f"{' · '.join(parts)} · total {sum(cpu.values()):.2f}"


def _caught_up(system: System, followers: list[type[ReadModel]]) -> None:
    deadline = time.monotonic() + 60
    with system.pool.connection() as conn:
        for model in followers:  # its process makes its tracking table as it starts
            while not conn.execute("SELECT to_regclass(%s)", (model.tracking_table(),)).fetchone()[
                0
            ]:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{model.name} did not start")
                time.sleep(0.1)
    wait_until_caught_up(system.pool, tuple(followers), 300)


def run() -> None:
    extras = _extra_names()
    rounds: list[tuple[str, dict[str, Any], float]] = []
    with fresh_system() as system:
        system.app.handle(ImportDefinitionSet(definition_set(), by="bench"))
        user_id = system.app.handle(RegisterUser("bench", "long enough password")).aggregate_id
        token, _ = system.app.handle(CreateApiToken(user_id, "bench"))
        port = free_port()
        env = procfile_env(system.database_url, port)
        web = start_process("web", env)
        projections = start_process("projections", env)  # the reporting one runs apart
        base = f"http://127.0.0.1:{port}"
        submit = Submitter(base, token)
        try:
            wait_healthy(base, token)
            for i in range(50):  # warm up every gunicorn worker
                submit(-i)
            # A first round with the extra processes, not counted: the tables they fill
            # start empty, and their first rows cost more (autovacuum's first ANALYZE).
            running = [start_process(name, env) for name in extras]
            try:
                _caught_up(system, [m for name in extras for m in FOLLOWERS.get(name, ())])
                _round(submit, system.database_url, 10_000_000, {})
            finally:
                for process in running:
                    stop_process(process)
            for n, with_extras in enumerate(ORDER):
                running = [start_process(name, env) for name in extras] if with_extras else []
                try:
                    if with_extras:
                        _caught_up(system, [m for name in extras for m in FOLLOWERS.get(name, ())])
                    label = f"with {' + '.join(extras)}" if with_extras else "without them"
                    watched = {"web": web, "projections": projections}
                    watched |= dict(zip(extras, running, strict=False))
                    result = _round(submit, system.database_url, 100_000 * (n + 1), watched)
                    rounds.append((label, result, os.getloadavg()[0]))
                finally:
                    for process in running:
                        stop_process(process)
        finally:
            stop_process(projections)
            stop_process(web)
        raw_rate = raw_insert_rate(system.database_url)

    rows = []
    for n, (label, result, load) in enumerate(rounds):
        rows += [
            (f"round {n + 1}, {label}: submissions, {CONCURRENCY} clients",
             f"{result['rate']:,.0f} /s (load average {load:.1f})"),
            ("  submission latency", summary(result["latency"])),
            ("  submit -> visible in the tickets read table", summary(result["lag"])),
            ("  CPU per submission (ms)", _cpu_row(result["cpu"])),
        ]  # fmt: skip
    without = [r["rate"] for label, r, _ in rounds if label == "without them"]
    with_ = [r["rate"] for label, r, _ in rounds if label != "without them"]
    rows += [
        ("mean submissions/s without / with the extra processes",
         f"{sum(without) / len(without):,.0f} / {sum(with_) / len(with_):,.0f}"),
        ("raw PostgreSQL single-row INSERT", f"{raw_rate:,.0f} /s"),
    ]  # fmt: skip
    report(f"tickets (HTTP API, gunicorn as in the Procfile; extra: {', '.join(extras)})", rows)
