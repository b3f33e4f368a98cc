"""Runs inside the sandbox (its source is passed to `python -c`): reads {"code", "inputs"}
in marshal's format on stdin, defines the code, calls run(inputs) and writes one JSON
envelope to the result descriptor named by argv[1]:
    b"R" as soon as it starts (the sandbox is up), then
    {"ok": true, "outputs": ...} or {"ok": false, "kind": ..., "reason": ..., "traceback": ...}
The code's own prints go to stdout and stderr, which the parent captures separately, so a
print can never be mistaken for the result. Standard library only: this is the sandbox's
Python, not the project's. It imports nothing: `json` (through `re`, `enum`, `functools`)
would double the CPU time of a start, `traceback` add more. So the input comes as marshal
(the parent writes it; marshal is built in), the output is encoded here, and the parent
parses it with json, checking what untrusted code made.
"""

import marshal
import os
import sys

RESULT_FD = int(sys.argv[1]) if __name__ == "__main__" else -1
ROOT_PID = os.getpid()
TRACEBACK_LINES = 12
REASON_CHARS = 500
# What JSON escapes in a string; a lone surrogate is escaped when encoding (backslashreplace
# writes exactly JSON's \udc80).
ESCAPES = {code: f"\\u{code:04x}" for code in range(0x20)} | {0x22: '\\"', 0x5C: "\\\\"}
INFINITY = float("inf")


def to_json(value: object, parts: list) -> None:
    """As json.dumps(allow_nan=False) would, with the same errors for what is not JSON."""
    if value is None:
        parts.append("null")
    elif value is True or value is False:
        parts.append("true" if value else "false")
    elif isinstance(value, str):
        parts.append(f'"{value.translate(ESCAPES)}"')
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        if value != value or value in (INFINITY, -INFINITY):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        parts.append(float.__repr__(value))
    elif isinstance(value, list | tuple):
        parts.append("[")
        for index, item in enumerate(value):
            parts.append("," if index else "")
            to_json(item, parts)
        parts.append("]")
    elif isinstance(value, dict):
        parts.append("{")
        for index, (key, item) in enumerate(value.items()):
            parts.append("," if index else "")
            to_json(json_key(key), parts)
            parts.append(":")
            to_json(item, parts)
        parts.append("}")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def json_key(key: object) -> str:
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool):
        return {None: "null", True: "true", False: "false"}[key]
    if isinstance(key, int | float):
        parts: list = []
        to_json(key, parts)
        return parts[0]
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def encode(value: object) -> bytes:
    parts: list = []
    to_json(value, parts)
    return "".join(parts).encode("utf-8", "backslashreplace")


def send(data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(RESULT_FD, view) :]


def finish(envelope: bytes) -> None:
    """Send the envelope and end. A process the code forked ends here without a word:
    only the runner answers."""
    if os.getpid() == ROOT_PID:
        for stream in (sys.stdout, sys.stderr):
            try:  # noqa: SIM105 - contextlib would slow the start
                stream.flush()
            except Exception:  # noqa: BLE001, S110 - the code may have broken its streams
                pass
        send(envelope)
    os._exit(0)


def failed(kind: str, reason: str, trace: str = "") -> None:
    # Capped here, so a huge exception message is still reported as what it is.
    envelope = {"ok": False, "kind": kind, "reason": reason[:REASON_CHARS], "traceback": trace}
    finish(encode(envelope))


def describe(error: BaseException) -> str:
    """As Python's last traceback line: `KeyError: 'serial'`, `socket.gaierror: …`."""
    kind = type(error)
    name = kind.__qualname__
    if kind.__module__ not in ("builtins", "__main__"):
        name = f"{kind.__module__}.{name}"
    try:
        text = str(error)
    except Exception:  # noqa: BLE001 - the code's own __str__ may fail
        text = "<unprintable>"
    return f"{name}: {text}" if text else name


def last_lines(error: BaseException, code_lines: list[str]) -> str:
    """The traceback's last lines, the code's own source lines shown, this file's frame
    left out."""
    lines = ["Traceback (most recent call last):"]
    frames = error.__traceback__.tb_next if error.__traceback__ else None
    while frames is not None:
        code = frames.tb_frame.f_code
        lines.append(f'  File "{code.co_filename}", line {frames.tb_lineno}, in {code.co_name}')
        if code.co_filename == "task.py" and 0 < frames.tb_lineno <= len(code_lines):
            lines.append("    " + code_lines[frames.tb_lineno - 1].strip())
        frames = frames.tb_next
    lines.append(describe(error))
    return "\n".join(line[:REASON_CHARS] for line in lines[-TRACEBACK_LINES:])


def main() -> None:
    send(b"R")
    request = marshal.loads(sys.stdin.buffer.read())  # noqa: S302 - written by the parent
    code = request["code"]
    namespace: dict[str, object] = {"__name__": "task"}
    try:
        exec(compile(code, "task.py", "exec"), namespace)  # noqa: S102 - inside the sandbox
        run = namespace.get("run")
        if not callable(run):
            return failed("exception", "The code defines no run(inputs) function.")
        outputs = run(request["inputs"])
    except MemoryError as error:
        del namespace  # what the code holds, so the report has room
        failed("memory", "The code ran out of memory (MemoryError).", last_lines(error, []))
    except BaseException as error:  # noqa: BLE001 - any error of the code is its failure
        failed("exception", describe(error), last_lines(error, code.splitlines()))
    try:
        result = encode({"ok": True, "outputs": outputs})
    except (TypeError, ValueError, RecursionError) as error:
        failed("not JSON", f"run returned something that is not JSON: {error}")
    except MemoryError:
        failed("memory", "The outputs did not fit in memory.")
    finish(result)


if __name__ == "__main__":  # as `python -c`; imported only by its tests
    main()
