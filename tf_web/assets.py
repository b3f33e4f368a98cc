"""Our own static files, addressed by their content: `url_for("static", ...)` adds
`?v=<hash>`, and a versioned address is cached for a year, so a warm page asks nothing."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, request

YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    static = Path(app.static_folder or "")

    @lru_cache(maxsize=256)
    def version(filename: str) -> str:
        path = static / filename
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else ""

    @app.url_defaults
    def versioned(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = version(values["filename"])

    def max_age(filename: str | None) -> int | None:
        return YEAR if request.args.get("v") else None

    app.get_send_file_max_age = max_age  # type: ignore[method-assign]
