"""Feeding a sandboxed process its input and reading its three outputs, each under a cap,
all within one deadline. Nothing here waits without a bound."""

from __future__ import annotations

import os
import selectors
import subprocess
import time
from dataclasses import dataclass, field

_CHUNK = 65536


@dataclass
class Collected:
    streams: dict[str, bytearray] = field(default_factory=dict)  # stdout, stderr, result
    overflow: str = ""  # the stream that went past its cap, if one did
    timed_out: bool = False


def collect(
    process: subprocess.Popen[bytes],
    request: bytes,
    result_fd: int,
    caps: dict[str, int],
    deadline: float,
) -> Collected:
    """Write `request` to stdin and read stdout, stderr and the result descriptor until the
    process has closed them all and exited, a stream passes its cap, or the deadline.
    The caller kills the process group in the last two cases."""
    assert process.stdin and process.stdout and process.stderr
    names = {process.stdout.fileno(): "stdout", process.stderr.fileno(): "stderr"}
    names[result_fd] = "result"
    got = Collected({name: bytearray() for name in names.values()})
    pending = memoryview(request)
    stdin = process.stdin.fileno()
    with selectors.DefaultSelector() as selector:
        for fd in [*names, stdin]:
            os.set_blocking(fd, False)
        for fd in names:
            selector.register(fd, selectors.EVENT_READ)
        selector.register(stdin, selectors.EVENT_WRITE)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                got.timed_out = True
                return got
            for key, _ in selector.select(remaining):
                if key.fd == stdin:
                    pending = _write_some(stdin, pending)
                    if not pending:
                        selector.unregister(stdin)
                        process.stdin.close()
                    continue
                chunk = os.read(key.fd, _CHUNK)
                if not chunk:
                    selector.unregister(key.fd)
                    continue
                name = names[key.fd]
                got.streams[name] += chunk
                if len(got.streams[name]) > caps[name]:
                    got.overflow = name
                    return got
    try:
        process.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        got.timed_out = True
    return got


def _write_some(fd: int, pending: memoryview) -> memoryview:
    """What is left to write; nothing when the reader has gone (it will say why)."""
    try:
        return pending[os.write(fd, pending[:_CHUNK]) :]
    except BlockingIOError:
        return pending
    except BrokenPipeError:
        return memoryview(b"")
