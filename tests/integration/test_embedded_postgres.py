"""The private PostgreSQL used when no database URL is configured."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
import uuid

import psutil
import psycopg
import pytest

from tf_system.settings import PROJECT_ROOT

START_AND_REPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tf_system.embedded_postgres import start_embedded
    print(start_embedded(Path(sys.argv[1])), flush=True)
    if sys.argv[2] == "hang":
        time.sleep(600)
    """
)


def postgres_running_on(data_dir) -> bool:
    pgdata = str(data_dir / "pg")
    for proc in psutil.process_iter(attrs=["name", "cmdline"]):
        if proc.info["name"] == "postgres" and pgdata in " ".join(proc.info["cmdline"] or []):
            return True
    return False


@pytest.fixture
def data_dir():
    # Inside the project: embedded-postgres opens the bits of every parent of its folder.
    path = PROJECT_ROOT / ".tfdata" / f"embedded-{uuid.uuid4().hex[:8]}"
    yield path
    shutil.rmtree(path, ignore_errors=True)


def start(data_dir, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", START_AND_REPORT, str(data_dir), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def test_a_restart_after_a_hard_kill_needs_no_cleanup_and_stops_the_server_at_exit(data_dir):
    first = start(data_dir, "hang")
    url = first.stdout.readline().strip()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE survivor (x int)")
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert postgres_running_on(data_dir), "a hard-killed parent leaves the server running"

    second = start(data_dir, "exit")
    url_again = second.stdout.readline().strip()
    assert second.wait(timeout=60) == 0
    assert url_again == url
    assert not postgres_running_on(data_dir), "the last holder to exit stops the server"

    third = start(data_dir, "hang")
    with psycopg.connect(third.stdout.readline().strip()) as conn:
        assert conn.execute("SELECT count(*) FROM survivor").fetchone() == (0,)
    third.send_signal(signal.SIGINT)  # Ctrl-C
    third.wait(timeout=60)
    assert not postgres_running_on(data_dir)
