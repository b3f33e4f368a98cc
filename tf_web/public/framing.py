"""Who may frame a published form's pages: the websites its designer named, and no one
else (Content-Security-Policy frame-ancestors; X-Frame-Options cannot name sites)."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response

from tf_web.errors import PAGE_CSP


def framed_by(response: Response, origins: Sequence[str]) -> Response:
    ancestors = " ".join(("'self'", *origins))
    response.headers["Content-Security-Policy"] = PAGE_CSP.replace(
        "frame-ancestors 'none'", f"frame-ancestors {ancestors}"
    )
    return response


def private(response: Response) -> Response:
    """A page whose address is a secret (a status link): kept out of caches and indexes."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
