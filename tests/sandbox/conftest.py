"""The real sandbox (bubblewrap, the system's Python), with small limits so hostile code
ends fast and the shared machine never notices it."""

from __future__ import annotations

import textwrap
import time

import psutil
import pytest

from tf_automation import BubblewrapSandbox, Limits, RunResult
from tf_automation.sandbox import UID_BASE, UID_COUNT

SMALL = Limits(cpu_seconds=1, wall_seconds=5, memory_mb=128, output_kb=16)


@pytest.fixture(scope="session")
def sandbox() -> BubblewrapSandbox:
    return BubblewrapSandbox()


@pytest.fixture
def run(sandbox: BubblewrapSandbox):
    """Run a dedented `run` function in the sandbox; afterwards no process of the sandbox
    may be left on the machine."""

    def run_code(code: str, inputs: dict | None = None, limits: Limits = SMALL) -> RunResult:
        return sandbox.run(textwrap.dedent(code), inputs or {}, limits)

    yield run_code
    # bwrap's outer process may exit a moment before its inner one is reaped.
    deadline = time.monotonic() + 2
    while sandbox_processes() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sandbox_processes() == []


def sandbox_processes() -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["uids"]):
        uids = process.info["uids"]
        if uids and UID_BASE <= uids.real < UID_BASE + UID_COUNT:
            found.append(process)
    return found
