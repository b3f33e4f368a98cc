"""Users: registrations per second through the application layer, and how soon a
registration is visible in the read table."""

from __future__ import annotations

import time

from argon2 import PasswordHasher

from bench.common import fresh_system, ms, raw_insert_rate, report, summary
from tf_events.commands import RegisterUser
from tf_projections.registry import READ_MODELS
from tf_projections.waiting import wait_for
from tf_projections.worker import start_workers

REGISTRATIONS = 2000
LAG_SAMPLES = 500


def run() -> None:
    with fresh_system() as system:
        app = system.app
        started = time.perf_counter()
        for i in range(REGISTRATIONS):
            app.handle(RegisterUser(f"bulk{i}", "long enough password"))
        register_rate = REGISTRATIONS / (time.perf_counter() - started)

        workers = start_workers(
            list(READ_MODELS), app.recorder, app.mapper, system.pool, system.database_url
        )
        try:
            catch_up_started = time.perf_counter()
            wait_for(system.pool, app.handle(RegisterUser("marker", "long enough password")), 60)
            catch_up = time.perf_counter() - catch_up_started
            lags = []
            for i in range(LAG_SAMPLES):
                written = app.handle(RegisterUser(f"lag{i}", "long enough password"))
                saved = time.perf_counter()
                wait_for(system.pool, written, 10)
                lags.append(time.perf_counter() - saved)
        finally:
            for worker in workers:
                worker.stop()
            for worker in workers:
                worker.join(10)

        raw_rate = raw_insert_rate(system.database_url)

    hasher = PasswordHasher()
    hash_started = time.perf_counter()
    for _ in range(5):
        hasher.hash("long enough password")
    argon2_cost = (time.perf_counter() - hash_started) / 5

    report(
        "users",
        [
            ("register_user, app layer (1 thread)", f"{register_rate:,.0f} /s"),
            ("raw PostgreSQL single-row INSERT", f"{raw_rate:,.0f} /s"),
            ("save -> visible in read table", summary(lags)),
            ("worker catch-up over the backlog", f"{(REGISTRATIONS + 1) / catch_up:,.0f} events/s"),
            ("argon2id hash, production profile", f"{ms(argon2_cost)} each"),
        ],
    )
