"""When the sandbox cannot start, nothing runs: never a fallback to running unsandboxed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tf_automation import BubblewrapSandbox, Failure

# Would leave a mark if it ever ran outside a sandbox.
MARKING = """
def run(inputs):
    open(inputs["mark"], "w").write("ran")
    return {}
"""


def test_a_missing_bubblewrap_refuses_to_run_with_a_clear_reason(tmp_path):
    mark = tmp_path / "mark"
    result = BubblewrapSandbox(bwrap_path="/nonexistent/bwrap").run(MARKING, {"mark": str(mark)})
    assert result.failure is Failure.SANDBOX_UNAVAILABLE
    assert "bubblewrap" in result.reason
    assert "No such file" in result.reason
    assert not mark.exists()


def test_a_missing_python_refuses_to_run(tmp_path):
    result = BubblewrapSandbox(python=str(tmp_path / "python3")).run(MARKING, {"mark": "/tmp/x"})
    assert result.failure is Failure.SANDBOX_UNAVAILABLE
    assert "Python" in result.reason


def test_a_bubblewrap_that_cannot_build_the_sandbox_refuses_with_its_message(tmp_path):
    # A real bwrap, told to bind a path that is not there: it stops before running anything.
    mark = tmp_path / "mark"
    with tempfile.TemporaryDirectory() as scripts:  # readable by the sandbox's user id
        Path(scripts).chmod(0o755)
        broken = Path(scripts) / "bwrap"
        broken.write_text(f'#!/bin/sh\nexec bwrap --ro-bind {scripts}/absent /absent "$@"\n')
        broken.chmod(0o755)
        result = BubblewrapSandbox(bwrap_path=str(broken)).run(MARKING, {"mark": str(mark)})
    assert result.failure is Failure.SANDBOX_UNAVAILABLE
    assert "The sandbox did not start: bwrap: Can't find source path" in result.reason
    assert not mark.exists()


def test_without_root_it_refuses_since_a_fork_bomb_could_not_be_stopped(monkeypatch, tmp_path):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    result = BubblewrapSandbox().run(MARKING, {"mark": str(tmp_path / "mark")})
    assert result.failure is Failure.SANDBOX_UNAVAILABLE
    assert "root" in result.reason


def test_the_probe_says_why_software_tasks_cannot_run_or_nothing_when_they_can():
    assert BubblewrapSandbox().problem() is None
    problem = BubblewrapSandbox(bwrap_path="/nonexistent/bwrap").problem()
    assert problem and problem.startswith("Software tasks cannot run: bubblewrap")
