"""Runs inside the sandbox (its source is passed to `python -c`): reads {"code", "inputs"}
as JSON on stdin, defines the code, calls run(inputs) and writes one envelope to the result
descriptor named by argv[1]:
    b"R" as soon as it starts (the sandbox is up), then
    {"ok": true, "outputs": ...} or {"ok": false, "kind": ..., "reason": ..., "traceback": ...}
The code's own prints go to stdout and stderr, which the parent captures separately, so a
print can never be mistaken for the result. Standard library only: this is the sandbox's
Python, not the project's.
"""

import json
import linecache
import os
import sys
import traceback
from typing import NoReturn

RESULT_FD = int(sys.argv[1])
TRACEBACK_LINES = 12
REASON_CHARS = 500
ROOT_PID = os.getpid()


def send(data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(RESULT_FD, view) :]


def finish(envelope: bytes | dict) -> NoReturn:
    """`envelope` as bytes, or as a dict to encode."""
    # A process the code forked ends here without a word: only the runner answers.
    if os.getpid() == ROOT_PID:
        for stream in (sys.stdout, sys.stderr):
            try:  # noqa: SIM105 - contextlib would slow the start
                stream.flush()
            except Exception:  # noqa: BLE001, S110 - the code may have broken its streams
                pass
        send(envelope if isinstance(envelope, bytes) else json.dumps(envelope).encode())
    os._exit(0)


def failed(kind: str, reason: str, trace: str = "") -> NoReturn:
    # Capped here, so a huge exception message is still reported as what it is.
    finish({"ok": False, "kind": kind, "reason": reason[:REASON_CHARS], "traceback": trace})


def last_lines(error: BaseException) -> str:
    # Skip this file's own frame: the person wants their code's lines.
    frames = error.__traceback__.tb_next if error.__traceback__ else None
    lines = "".join(traceback.format_exception(type(error), error, frames)).splitlines()
    return "\n".join(line[:REASON_CHARS] for line in lines[-TRACEBACK_LINES:])


def main() -> None:
    os.write(RESULT_FD, b"R")
    request = json.loads(sys.stdin.buffer.read())
    code = request["code"]
    # Tracebacks show the code's own lines.
    linecache.cache["task.py"] = (len(code), None, code.splitlines(True), "task.py")
    namespace = {"__name__": "task"}
    try:
        exec(compile(code, "task.py", "exec"), namespace)  # noqa: S102 - inside the sandbox
        run = namespace.get("run")
        if not callable(run):
            failed("exception", "The code defines no run(inputs) function.")
        outputs = run(request["inputs"])
    except MemoryError as error:
        failed("memory", "The code ran out of memory (MemoryError).", last_lines(error))
    except BaseException as error:  # noqa: BLE001 - any error of the code is its failure
        reason = traceback.format_exception_only(error)[-1].strip()
        failed("exception", reason, last_lines(error))
    try:
        result = json.dumps({"ok": True, "outputs": outputs}, allow_nan=False).encode()
    except (TypeError, ValueError, RecursionError) as error:
        failed("not JSON", f"run returned something that is not JSON: {error}")
    except MemoryError:
        failed("memory", "The outputs did not fit in memory.")
    finish(result)


main()
