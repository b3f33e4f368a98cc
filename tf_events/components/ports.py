"""The port through which the write side checks and keeps layout components. The adapter
(`store.ComponentStore`, compiling through a long-running esbuild process and writing
content-addressed files) is given to the application by the composition root; a check
that must write nothing calls only `check`."""

from __future__ import annotations

from typing import Protocol

from tf_events.components.store import StoredComponent


class Components(Protocol):
    def check(self, source: str) -> str:
        """Validate and compile; the compiled code, or ComponentRejected. Writes nothing."""
        ...

    def save(self, source: str) -> StoredComponent:
        """Check, then keep the source and its compiled code; the same source, one file."""
        ...

    def restore(self, source: str) -> bool:
        """Re-create a recorded source's files if they are missing; True if it did."""
        ...

    def save_code(self, source: str) -> StoredComponent:
        """Keep a software task's code (checked by the format): the same code, one file."""
        ...

    def restore_code(self, source: str) -> bool:
        """Re-create recorded code's file if it is missing; True if it did."""
        ...
