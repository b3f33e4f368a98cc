"""The definition assistant (offline generator): time from uploading each sample document
to a previewed draft over HTTP — the message posted, the chat page rendered with its
sandbox previews, the preview script fetched — beside a plain page in the same run, its
stages on their own, and field precision and recall per document."""

from __future__ import annotations

import html
import os
import re
import threading
import time

import requests
from werkzeug.serving import make_server

from bench.common import fresh_system, ms, percentile, report, summary
from tests.assistant_samples import SAMPLES, expected, sample_bytes, score
from tf_assistant.documents import read_document
from tf_assistant.offline.generator import OfflineGenerator
from tf_events.assistant.generator import Conversation, Message
from tf_events.commands import RegisterUser
from tf_projections.registry import READ_MODELS
from tf_projections.waiting import wait_for
from tf_projections.worker import start_workers
from tf_system.bootstrap import System

os.environ.setdefault("TF_SECURE_COOKIES", "0")  # the bench's client talks plain HTTP
ROUNDS = 20
PASSWORD = "bench password 1"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _upload_to_preview(http: requests.Session, base: str, name: str) -> float:
    token = _csrf(http.get(f"{base}/assistant/").text)
    page = http.post(f"{base}/assistant/new", data={"csrf_token": token})
    page.raise_for_status()
    started = time.perf_counter()  # from the upload on
    url = page.url
    sent = http.post(
        f"{url}/messages",
        data={"csrf_token": _csrf(page.text), "text": ""},
        files={"documents": (name, sample_bytes(name))},
    )
    sent.raise_for_status()
    frame = re.search(r'id="draft-input"[^>]+src="([^"]+)"', sent.text)
    assert frame, "no previewed draft"
    # The frame: one document holding the runtime and the compiled form.
    http.get(f"{base}{html.unescape(frame.group(1))}").raise_for_status()
    return time.perf_counter() - started


def run() -> None:
    with fresh_system() as system:
        workers = start_workers(
            list(READ_MODELS),
            system.app.recorder,
            system.app.mapper,
            system.pool,
            system.database_url,
        )
        wait_for(
            system.pool, system.app.handle(RegisterUser("bench", PASSWORD, roles=("designer",))), 5
        )
        from tf_web import create_app

        server = make_server("127.0.0.1", 0, create_app(system), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        http = requests.Session()
        login = http.get(f"{base}/login")
        http.post(
            f"{base}/login",
            data={"csrf_token": _csrf(login.text), "username": "bench", "password": PASSWORD},
        ).raise_for_status()
        try:
            rows = _measure(system, http, base)
        finally:
            server.shutdown()
            for worker in workers:
                worker.stop()
            for worker in workers:
                worker.join(timeout=10)
    report("assistant (offline generator)", rows)


def _measure(system: System, http: requests.Session, base: str) -> list[tuple[str, str]]:
    rows = []
    for _ in range(3):  # warm: the esbuild service, the React runtime, caches
        _upload_to_preview(http, base, SAMPLES[0])
    plain = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        http.get(f"{base}/design/").raise_for_status()
        plain.append(time.perf_counter() - started)
    rows.append(("baseline: the Design page over HTTP", summary(plain)))
    generator, check = OfflineGenerator(), system.app.check_definition_set
    for name in SAMPLES:
        whole = [_upload_to_preview(http, base, name) for _ in range(ROUNDS)]
        extract, generate, checking = [], [], []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            document = read_document(name, sample_bytes(name))
            extract.append(time.perf_counter() - started)
            conversation = Conversation((Message("user", "", (name,)),), (document,))
            started = time.perf_counter()
            reply = generator.respond(conversation, None, lambda _: {}, lambda _: None)
            generate.append(time.perf_counter() - started)
            started = time.perf_counter()
            errors = check(reply.draft)
            checking.append(time.perf_counter() - started)
        found = score(name, reply.draft["workflows"][0]["fields"])
        tasks = len(reply.draft["tasks"])
        rows += [
            (f"{name}: upload → previewed draft", summary(whole)),
            (f"{name}:   p50 against the 1 s target", f"{ms(percentile(whole, 50))} / 1000 ms"),
            (f"{name}:   text extraction", summary(extract)),
            (f"{name}:   offline generation", summary(generate)),
            (f"{name}:   check (format, cross-checks, esbuild)", summary(checking)),
            (
                f"{name}: fields",
                f"precision {found.precision:.2f}, recall {found.recall:.2f},"
                f" tasks {tasks}/{expected(name)['tasks']}, check errors {len(errors)}",
            ),
        ]
    return rows
