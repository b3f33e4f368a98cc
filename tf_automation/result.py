"""What a sandboxed run gives back: the outputs, or why there are none."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Failure(Enum):
    EXCEPTION = "exception"  # the code raised (or defines no run)
    TIMEOUT = "timeout"  # past the wall-clock limit: the whole sandbox was killed
    CPU_LIMIT = "cpu limit"
    MEMORY = "memory"
    OUTPUT_TOO_LARGE = "output too large"
    NOT_JSON = "not JSON"
    CRASHED = "crashed"  # ended without a result (os._exit, a signal)
    SANDBOX_UNAVAILABLE = "sandbox unavailable"  # nothing ran: never a fallback


@dataclass(frozen=True)
class RunResult:
    """`outputs` is the parsed JSON `run` returned, whatever its shape: the caller validates
    it against the task's output fields. Text fields are capped and storable (no NUL, no
    lone surrogate), since they come from untrusted code and end up in events."""

    failure: Failure | None
    outputs: Any = None
    reason: str = ""  # one line for the person: what went wrong
    traceback: str = ""  # the last lines of the traceback, for EXCEPTION
    stdout: str = ""  # what the code printed (the tail, capped)
    stderr: str = ""
    seconds: float = 0.0  # wall-clock time from start to result

    @property
    def ok(self) -> bool:
        return self.failure is None
