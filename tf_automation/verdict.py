"""Turning what a sandboxed run left behind into a RunResult. The result is accepted only
from a run that ended by itself, in time, with exit status 0: a result written before a
kill is never believed."""

from __future__ import annotations

import json
import re
import signal
import time
from collections.abc import Callable

from tf_automation.collect import Collected
from tf_automation.limits import Limits
from tf_automation.result import Failure, RunResult

LOG_TAIL_CHARS = 4000  # of stdout, stderr and the traceback, kept in the result
REASON_CHARS = 1000
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_KINDS = {"exception": Failure.EXCEPTION, "memory": Failure.MEMORY, "not JSON": Failure.NOT_JSON}


def unavailable(reason: str, started: float) -> RunResult:
    return RunResult(
        Failure.SANDBOX_UNAVAILABLE,
        reason=f"Software tasks cannot run: {reason}",
        seconds=time.monotonic() - started,
    )


def verdict(got: Collected, status: int | None, limits: Limits, seconds: float) -> RunResult:
    stdout = _tail(got.streams["stdout"])
    stderr = _tail(got.streams["stderr"])
    result = bytes(got.streams["result"])

    def failed(failure: Failure, reason: str, trace: str = "") -> RunResult:
        # Capped again here: the code can write its own envelope.
        reason, trace = storable(reason[:REASON_CHARS]), storable(trace[-LOG_TAIL_CHARS:])
        return RunResult(failure, None, reason, trace, stdout, stderr, seconds)

    if got.overflow:
        what = "its outputs are" if got.overflow == "result" else f"its {got.overflow} is"
        return failed(Failure.OUTPUT_TOO_LARGE, f"Stopped: {what} over {limits.output_kb} KB.")
    if got.timed_out:
        return failed(Failure.TIMEOUT, f"Stopped after {limits.wall_seconds:g} s (wall clock).")
    if not result.startswith(b"R"):  # the runner never started: bwrap said why on stderr
        bwrap_says = stderr.strip().splitlines()[-1:] or [f"exit status {status}"]
        return failed(Failure.SANDBOX_UNAVAILABLE, f"The sandbox did not start: {bwrap_says[0]}")
    if status != 0 or len(result) == 1:
        return _ended_early(failed, status, stderr, limits, seconds)
    try:
        envelope = json.loads(result[1:])
        if envelope["ok"] is True:
            return RunResult(
                None, envelope["outputs"], stdout=stdout, stderr=stderr, seconds=seconds
            )
        kind = _KINDS.get(envelope["kind"], Failure.EXCEPTION)
        return failed(kind, str(envelope["reason"]), str(envelope.get("traceback", "")))
    except (ValueError, KeyError, TypeError, RecursionError):  # the code can forge it
        return failed(Failure.NOT_JSON, "The code's result could not be read as JSON.")


def _ended_early(
    failed: Callable[[Failure, str], RunResult],
    status: int | None,
    stderr: str,
    limits: Limits,
    seconds: float,
) -> RunResult:
    """No result: the process ended by a limit's signal, or the code left on its own."""
    cpu = f"Stopped: it used more than {limits.cpu_seconds:g} s of CPU time."
    # The CPU limit kills with SIGKILL (SIGXCPU where the runner is not init); nothing
    # else here sends SIGKILL before the deadline, and no run spends CPU faster than time.
    xcpu, kill = 128 + signal.SIGXCPU, 128 + signal.SIGKILL
    if status == xcpu or (status == kill and seconds >= limits.cpu_seconds):
        return failed(Failure.CPU_LIMIT, cpu)
    if "MemoryError" in stderr:
        return failed(Failure.MEMORY, f"The code ran out of memory ({limits.memory_mb} MB).")
    if status is not None and status > 128:
        name = signal.Signals(status - 128).name if status - 128 in _SIGNALS else status - 128
        return failed(Failure.CRASHED, f"The code was killed by signal {name}.")
    return failed(Failure.CRASHED, f"The code ended without a result (exit status {status}).")


_SIGNALS = {s.value for s in signal.Signals}


def storable(text: str) -> str:
    """Text from untrusted code, fit to keep in an event (no NUL, no lone surrogate)."""
    return _UNSTORABLE.sub("\ufffd", text)


def _tail(data: bytearray) -> str:
    text = bytes(data).decode("utf-8", errors="replace")
    if len(text) > LOG_TAIL_CHARS:
        text = "…" + text[-LOG_TAIL_CHARS:]
    return storable(text)
