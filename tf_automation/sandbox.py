"""Running untrusted Python `run(inputs) -> dict` in bubblewrap, under limits the parent
sets, with a result that says what happened. There is no unsandboxed path: when bubblewrap
cannot start, the run fails as SANDBOX_UNAVAILABLE."""

from __future__ import annotations

import contextlib
import json
import marshal
import math
import os
import resource
import secrets
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from tf_automation import bwrap
from tf_automation.collect import collect
from tf_automation.limits import Limits
from tf_automation.result import RunResult
from tf_automation.verdict import unavailable, verdict

RUNNER = (Path(__file__).parent / "runner.py").read_text()
# Processes (threads included) the sandbox may hold at once: bwrap and the runner, and a
# few more for code that forks or starts threads. A fork past it fails with EAGAIN.
MAX_PROCESSES = 16
MAX_OPEN_FILES = 64
MAX_FILE_BYTES = 8 * 1024 * 1024
# Each run gets a user id of its own from this range: the kernel counts RLIMIT_NPROC per
# user, and ignores it for root (a user namespace mapped to root does not help).
UID_BASE = 0x5A000000
UID_COUNT = 1 << 16
_ENVELOPE_BYTES = 256  # the result's wrapping around the outputs


class CodeRunner(Protocol):
    """What the automation worker and the designer's Test run call."""

    def run(self, code: str, inputs: dict[str, Any], limits: Limits = ...) -> RunResult: ...


class BubblewrapSandbox:
    def __init__(self, bwrap_path: str = "bwrap", python: str = "/usr/bin/python3") -> None:
        self.bwrap_path = bwrap_path
        self.python = python

    def problem(self) -> str | None:
        """Why software tasks cannot run here (for `automation status`), or None: a trivial
        run, end to end."""
        result = self.run("def run(inputs):\n    return inputs\n", {"probe": 1})
        if result.ok and result.outputs == {"probe": 1}:
            return None
        return result.reason or f"The probe run failed: {result.failure}."

    def run(self, code: str, inputs: dict[str, Any], limits: Limits = Limits()) -> RunResult:  # noqa: B008 - frozen
        started = time.monotonic()
        if os.geteuid() != 0:
            return unavailable(
                "The sandbox runs code under user ids of its own, which needs root: "
                "without them a fork bomb could not be stopped.",
                started,
            )
        try:
            python = bwrap.find_python(self.python)
        except bwrap.PythonNotFound as error:
            return unavailable(str(error), started)
        # Marshal, which the runner reads without an import; the JSON round trip makes sure
        # it holds only what JSON holds.
        request = marshal.dumps({"code": code, "inputs": json.loads(json.dumps(inputs))}, 4)
        result_r, result_w = os.pipe()
        uid = UID_BASE + secrets.randbelow(UID_COUNT)
        try:
            process = subprocess.Popen(  # noqa: S603 - the argv is ours, the code is data
                bwrap.command(self.bwrap_path, python, RUNNER, result_w),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(result_w,),
                env={},  # bwrap's own environment is readable as its /proc/<pid>/environ
                cwd="/",
                user=uid,
                group=uid,
                extra_groups=[],
                start_new_session=True,  # one process group to kill, no terminal
                preexec_fn=_limiter(limits),
            )
        except (OSError, subprocess.SubprocessError) as error:  # not there, or no limits
            os.close(result_r)
            return unavailable(f"bubblewrap ({self.bwrap_path}) cannot start: {error}", started)
        finally:
            os.close(result_w)
        try:
            cap = limits.output_kb * 1024
            caps = {"stdout": cap, "stderr": cap, "result": cap + _ENVELOPE_BYTES}
            got = collect(process, request, result_r, caps, started + limits.wall_seconds)
        finally:
            _kill_group(process)
            os.close(result_r)
        return verdict(got, process.returncode, limits, time.monotonic() - started)


def _limiter(limits: Limits) -> Callable[[], None]:
    """The limits, set in the child between fork and exec (after it took its user id), so
    bwrap and everything in the sandbox inherit them. Only setrlimit: nothing that could
    wait on a lock another thread of the parent held at fork."""
    # Whole seconds, rounded up. The runner is its namespace's init, which the kernel never
    # sends an unhandled SIGXCPU: soft = hard, so the limit ends in SIGKILL.
    cpu = math.ceil(limits.cpu_seconds)
    settings = [
        (resource.RLIMIT_CPU, (cpu, cpu)),
        (resource.RLIMIT_AS, (limits.memory_mb << 20,) * 2),
        (resource.RLIMIT_NPROC, (MAX_PROCESSES,) * 2),
        (resource.RLIMIT_FSIZE, (MAX_FILE_BYTES,) * 2),
        (resource.RLIMIT_NOFILE, (MAX_OPEN_FILES,) * 2),
        (resource.RLIMIT_CORE, (0, 0)),  # a killed run leaves no core dump on the host
    ]

    def apply() -> None:
        for which, values in settings:
            resource.setrlimit(which, values)

    return apply


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill whatever is left: bwrap leads the group; the sandbox's pid namespace dies with
    its first process, taking anything that left the group with it."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream:
            stream.close()
