"""Uploaded files: size-limited, typed by their content (not their name), stored outside
the web root under their SHA-256, and referenced from the ticket's data."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO, Any

import filetype

from tf_events.errors import DomainError

DEFAULT_MAX_MB = 10.0
MAX_FILES_PER_TICKET = 10
CHUNK = 64 * 1024
ALLOWED_TYPES = {
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}


class UploadRejected(DomainError):
    pass


class UploadTooLarge(UploadRejected):
    pass


def display_name(filename: str) -> str:
    """A file's name without folders or unprintable characters, fit for a header."""
    name = PureWindowsPath(PurePosixPath(filename).name).name
    return "".join(ch for ch in name if ch.isprintable()).strip()[:255] or "file"


def _content_type(head: bytes, name: str) -> str | None:
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 4:  # not just a character cut at the end of the sample
            return None
    return "text/csv" if name.lower().endswith(".csv") else "text/plain"


class UploadStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def save(self, stream: IO[bytes], filename: str, max_mb: float | None) -> dict[str, Any]:
        """Store one upload and return its reference, or raise UploadRejected."""
        limit = int((max_mb or DEFAULT_MAX_MB) * 1024 * 1024)
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        head = b""
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        megabytes = limit // 1024 // 1024
                        raise UploadTooLarge(
                            f"'{display_name(filename)}' is larger than {megabytes} MB."
                        )
                    if len(head) < 8192:
                        head += chunk[: 8192 - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
            name = display_name(filename)
            content_type = _content_type(head, name)
            if content_type not in ALLOWED_TYPES:
                raise UploadRejected(
                    f"'{name}' is not a type we accept (images, PDF, text, CSV, office files)."
                )
            sha = digest.hexdigest()
            target = self.path(sha)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(tmp, 0o440)
                os.replace(tmp, target)
            return {"sha256": sha, "name": name, "size": size, "content_type": content_type}
        finally:
            Path(tmp).unlink(missing_ok=True)
