"""The README's first command: the demo, with its own PostgreSQL, under gunicorn."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from tests.conftest import Client
from tests.integration.test_embedded_postgres import postgres_running_on
from tf_system.demo import DEMO_PASSWORD
from tf_system.settings import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the demo exited early"
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):  # not up yet, or busy starting
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} was not served within {timeout}s")


@pytest.fixture
def demo():
    data_dir = PROJECT_ROOT / ".tfdata" / f"demo-{uuid.uuid4().hex[:8]}"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env |= {"TF_DATA_DIR": str(data_dir), "TF_ARGON2_PROFILE": "CHEAPEST"}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "ticketflower"), "demo", "--port", str(port)],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{base}/login", process)
        yield base, process, data_dir
    finally:
        if process.poll() is None:  # Ctrl-C first: the demo then stops what it started
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


def sign_in(base: str, username: str) -> Client:
    http = Client(base)
    response = http.login(username, DEMO_PASSWORD)
    assert response.status_code == 302, response.text
    return http


def ticket_page(http: Client, search: str) -> str:
    found = re.findall(r'href="/tickets/([0-9a-f-]{36})"', http.get(f"/tickets/?q={search}").text)
    assert len(set(found)) == 1, (search, found)
    return http.get(f"/tickets/{found[0]}").text


def assert_every_stage_is_shown(dora: Client) -> None:
    """The dispatcher sees a demo ticket at each stage of its work."""
    closed = dora.get("/tickets/?state=closed").text
    assert "Ines Duarte" in closed and "Karl Holm" in closed  # done, and cancelled
    assert "Pending assignment" in ticket_page(dora, "priya")  # waiting
    assert "Assigned to tess" in ticket_page(dora, "studio")  # claimed
    assert "Assigned to tess" in ticket_page(dora, "lukewarm")  # assigned by dora
    half_way = ticket_page(dora, "starter")
    assert half_way.count("Done") >= 3 and "PO-2026-0412" in half_way
    assert "LAP-260412-1" in half_way  # the asset tag its software step issued
    assert "Problem reported" in ticket_page(dora, "hopper")  # in error
    docks = ticket_page(dora, "docks")  # a software step in error, and why
    assert "Problem reported" in docks and "is not in the form PO-2026-0117" in docks
    assert "49.5" in ticket_page(dora, "oskar")  # the flower order its software step priced


def assert_the_outbox_fills(admin: Client, timeout: float = 60) -> None:
    """The Procfile's notifications process mails the demo's work to the outbox folder."""
    deadline = time.monotonic() + timeout
    while "to sam@example.com" not in (page := admin.get("/admin/outbox").text):
        assert time.monotonic() < deadline, page
        time.sleep(0.5)
    assert "to dora@example.com" in page  # the demo ticket with a problem reported
    assert f"{admin.base_url}/tickets/" in page  # links to where the demo serves


def test_the_demo_serves_its_users_and_ctrl_c_stops_everything(demo):
    base, process, data_dir = demo

    assert sign_in(base, "admin").get("/admin/users").status_code == 200
    dana = sign_in(base, "dana")
    ticket_types = dana.get("/design/ticket-types/").text
    for name in ("new-equipment", "support-request", "flower-order"):
        assert name in ticket_types
    sam = sign_in(base, "sam")
    assert sam.get("/admin/users").status_code == 403
    assert sam.get("/tickets/mine").text.count('href="/tickets/') >= 3  # demo tickets
    assert sam.get("/tickets/").status_code == 403
    assert "Ticket team" not in sam.get("/").text
    tess = sign_in(base, "tess")
    assert "Ticket team" in tess.get("/").text
    assert "Jonas Berg" not in tess.get("/tickets/?q=oskar").text
    assert "Oskar" in tess.get("/tickets/?q=oskar").text
    assert_every_stage_is_shown(sign_in(base, "dora"))
    assert_the_outbox_fills(sign_in(base, "admin"))

    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    assert "Demo users:" in output
    assert not postgres_running_on(data_dir), output
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base}/login", timeout=2)
