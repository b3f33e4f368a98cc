"""A client of the long-running esbuild service (tools/component-compiler.mjs)."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SERVICE = PROJECT_ROOT / "tools" / "component-compiler.mjs"


@dataclass(frozen=True)
class CompileError:
    text: str
    line: int | None
    column: int | None

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else ""
        if self.line and self.column:
            where += f", column {self.column}"
        return f"{where}: {self.text}" if where else self.text


@dataclass(frozen=True)
class Compiled:
    code: str
    imports: tuple[str, ...]


class ComponentCompileFailed(Exception):
    def __init__(self, errors: list[CompileError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


class Compiler:
    """One node process per Compiler, started on first use, restarted if it dies.

    Compiling through a warm service costs about a millisecond; starting node per
    component would cost tens.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            for attempt in range(2):
                process = self._ensure_started()
                assert process.stdin is not None and process.stdout is not None
                try:
                    process.stdin.write(json.dumps(request) + "\n")
                    process.stdin.flush()
                    line = process.stdout.readline()
                except BrokenPipeError:
                    line = ""
                if line:
                    return json.loads(line)
                self._process = None  # it died: start a fresh one and retry once
                if attempt:
                    break
        raise RuntimeError("the component compiler (node + esbuild) is not answering")

    def _ensure_started(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            node = shutil.which("node")
            if node is None:
                raise RuntimeError("Node.js is needed to compile components (see README)")
            self._process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                [node, str(SERVICE)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                cwd=PROJECT_ROOT,
            )
        return self._process

    def compile(self, source: str) -> Compiled:
        answer = self._ask({"op": "compile", "source": source})
        if not answer["ok"]:
            raise ComponentCompileFailed([CompileError(**e) for e in answer["errors"]])
        return Compiled(answer["code"], tuple(answer["imports"]))

    def build_runtime(self, outfile: Path) -> None:
        answer = self._ask({"op": "runtime", "outfile": str(outfile)})
        if not answer["ok"]:
            raise RuntimeError(f"could not build the React runtime: {answer['errors']}")

    def close(self) -> None:
        with self._lock:
            if self._process is not None:
                self._process.terminate()
                self._process.wait(timeout=5)
                self._process = None
