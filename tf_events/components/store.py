"""Content-addressed, immutable component files under components/.

The path comes from the source's sha256, never from user input; files are written
atomically (temporary file + rename) and never changed afterwards.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tf_events.components.compiler import (
    CompileError,
    Compiler,
    ComponentCompileFailed,
)
from tf_events.errors import Invalid

MAX_SOURCE_BYTES = 64 * 1024


class ComponentRejected(Invalid):
    """The component cannot be saved; `problems` say where and why."""

    field = "source"

    def __init__(self, problems: list[CompileError]) -> None:
        super().__init__(
            "; ".join(str(e) for e in problems), errors={"source": [str(e) for e in problems]}
        )
        self.problems = problems


@dataclass(frozen=True)
class StoredComponent:
    sha256: str
    path: str  # relative to the store's root: "ab/abcdef....jsx"

    def as_layout(self, source: str) -> dict[str, str]:
        return {"sha256": self.sha256, "path": self.path, "source": source}


def digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


class ComponentStore:
    def __init__(self, root: Path, compiler: Compiler) -> None:
        self.root = root
        self.compiler = compiler

    def source_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.jsx"

    def compiled_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.js"

    def check(self, source: str) -> str:
        """Validate and compile without writing anything; return the compiled code."""
        size = len(source.encode())
        if size > MAX_SOURCE_BYTES:
            raise ComponentRejected(
                [
                    CompileError(
                        f"The component is {size:,} bytes; the limit is {MAX_SOURCE_BYTES:,}.",
                        None,
                        None,
                    )
                ]
            )
        if not source.strip():
            raise ComponentRejected([CompileError("The component is empty.", None, None)])
        try:
            return self.compiler.compile(source).code
        except ComponentCompileFailed as failed:
            raise ComponentRejected(failed.errors) from None

    def save(self, source: str) -> StoredComponent:
        """Validate, compile, and store; the same source always maps to the same file."""
        code = self.check(source)
        sha = digest(source)
        _write_once(self.source_path(sha), source)
        _write_once(self.compiled_path(sha), code)
        return StoredComponent(sha, str(self.source_path(sha).relative_to(self.root)))

    def restore(self, source: str) -> bool:
        """Re-create the files of a recorded source if they are missing. True if it did."""
        sha = digest(source)
        if self.source_path(sha).exists() and self.compiled_path(sha).exists():
            return False
        self.save(source)
        return True

    def code_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.py"

    def save_code(self, source: str) -> StoredComponent:
        """Keep a software task's code beside the layouts, by its hash."""
        sha = digest(source)
        _write_once(self.code_path(sha), source)
        return StoredComponent(sha, str(self.code_path(sha).relative_to(self.root)))

    def restore_code(self, source: str) -> bool:
        if self.code_path(digest(source)).exists():
            return False
        self.save_code(source)
        return True

    def compiled(self, sha256: str) -> str | None:
        path = self.compiled_path(sha256)
        return path.read_text() if path.exists() else None


def _write_once(path: Path, text: str) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.chmod(tmp, 0o444)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
