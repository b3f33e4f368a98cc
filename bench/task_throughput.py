"""Working tickets over HTTP, against gunicorn and the projection process started as in the
Procfile: claims and completions per second with 8 clients, beside comments per second
(another write to a ticket) from the same run, and a claim race (8 clients claiming each
task at the same moment: one winner, the rest told who won, and never two claims)."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.common import (
    free_port,
    fresh_system,
    procfile_env,
    report,
    start_process,
    stop_process,
    wait_healthy,
)
from tests.samples import definition_set
from tf_events.application import TicketFlower
from tf_events.commands import CreateApiToken, ImportDefinitionSet, RegisterUser, SubmitTicket
from tf_projections.waiting import wait_for
from tf_system.bootstrap import System

CLIENTS = 8
TICKETS = 400  # each claimed, then completed, once
COMMENTS = 400  # the baseline
RACES = 40  # tasks claimed by every client at once


def _token(app: TicketFlower, username: str, roles: tuple[str, ...]) -> str:
    user_id = app.handle(RegisterUser(username, "long enough password", roles=roles)).aggregate_id
    return app.handle(CreateApiToken(user_id, "bench")).token


def _tickets(system: System, count: int, submitter: str) -> list[str]:
    sam = {"id": str(system.app.user_id_for(submitter)), "username": submitter}
    ids, written = [], None
    for i in range(count):
        submitted = system.app.handle(
            SubmitTicket(
                submission_key=f"bench:{uuid.uuid4()}",
                ticket_type_key="laptop-request",
                data={"summary": f"Laptop {i}"},
                submitter=sam,
                user_roles=frozenset(),
            )
        )
        ids.append(str(submitted.ticket.id))
        written = submitted.written
    if written is not None:
        wait_for(system.pool, written, 120)  # the projection process has them all
    return ids


def _sessions(tokens: list[str]) -> list[requests.Session]:
    sessions = []
    for token in tokens:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        sessions.append(session)
    return sessions


def _rate(
    sessions: list[requests.Session], jobs: list[str], call: Callable[[requests.Session, str], int]
) -> tuple[float, Counter[int]]:
    """Run the jobs on CLIENTS threads, job i by client i % CLIENTS: (per second, statuses).
    Comments come from the ticket team too: the same clients, the same tickets."""

    def by_client(client: int) -> list[int]:
        return [call(sessions[client], job) for job in jobs[client::CLIENTS]]

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = [s for batch in pool.map(by_client, range(CLIENTS)) for s in batch]
    return len(jobs) / (time.perf_counter() - started), Counter(statuses)


def _race(base: str, sessions: list[requests.Session], ticket: str) -> list[requests.Response]:
    start = threading.Barrier(len(sessions))
    answers: list[requests.Response] = []
    lock = threading.Lock()

    def claim(session: requests.Session) -> None:
        start.wait()
        answer = session.post(f"{base}/api/v1/tickets/{ticket}/tasks/1/claim", timeout=30)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=claim, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def claims_and_completions() -> None:
    with fresh_system() as system:
        app = system.app
        app.handle(ImportDefinitionSet(definition_set(), by="bench"))
        app.handle(RegisterUser("sam", "long enough password"))
        workers = [_token(app, f"worker{i}", ("ticket_team",)) for i in range(CLIENTS)]
        port = free_port()
        env = procfile_env(system.database_url, port)
        processes = [start_process(name, env) for name in ("web", "projections")]
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, workers[-1])
            worked = _tickets(system, TICKETS, "sam")
            raced = _tickets(system, RACES, "sam")
            sessions = _sessions(workers)

            def comment(session: requests.Session, ticket: str) -> int:
                url = f"{base}/api/v1/tickets/{ticket}/comments"
                return session.post(url, json={"text": "Any news?"}, timeout=30).status_code

            def claim(session: requests.Session, ticket: str) -> int:
                url = f"{base}/api/v1/tickets/{ticket}/tasks/1/claim"
                return session.post(url, timeout=30).status_code

            def complete(session: requests.Session, ticket: str) -> int:
                url = f"{base}/api/v1/tickets/{ticket}/tasks/1/complete"
                body = {"outputs": {"priority": "high"}}
                return session.post(url, json=body, timeout=30).status_code

            _rate(sessions, worked[: CLIENTS * 2], comment)  # warm every gunicorn worker
            comments, comment_statuses = _rate(sessions, worked[:COMMENTS], comment)
            claims, claim_statuses = _rate(sessions, worked, claim)
            completions, completion_statuses = _rate(sessions, worked, complete)

            races = [_race(base, sessions, ticket) for ticket in raced]
        finally:
            for process in processes:
                stop_process(process)
        claimed_twice = sum(
            1
            for ticket in raced
            if [type(e).__name__ for e in app.repository.event_store.get(uuid.UUID(ticket))].count(
                "TaskClaimed"
            )
            > 1
        )

    winners = Counter(sum(a.status_code == 200 for a in answers) for answers in races)
    losers = [a for answers in races for a in answers if a.status_code != 200]
    told = sum(a.status_code == 409 and "took this task" in a.json()["error"] for a in losers)
    assert set(comment_statuses) == {201}, comment_statuses
    assert set(claim_statuses) == {200}, claim_statuses
    assert set(completion_statuses) == {200}, completion_statuses
    report(
        f"tasks: claims and completions (HTTP API, gunicorn as in the Procfile, {CLIENTS} clients)",
        [
            ("baseline: comments on tickets", f"{comments:,.0f} /s"),
            ("claims", f"{claims:,.0f} /s ({TICKETS} tasks)"),
            ("completions", f"{completions:,.0f} /s ({TICKETS} tasks)"),
            (
                f"claim race: {RACES} tasks x {CLIENTS} clients at once",
                f"{dict(winners).get(1, 0)} with one winner, {len(losers)} losers"
                f" ({told} told who won), {claimed_twice} claimed twice",
            ),
        ],
    )
