"""The sandbox: where user-supplied React components run, and nowhere else.

Each component renders in `<iframe sandbox="allow-scripts allow-forms">` (never
allow-same-origin), so it has an opaque origin: no cookies, no storage, no access to the host
page. Its document carries the same sandbox in its Content-Security-Policy (sandboxed even if
opened directly) and denies every network request, form submissions included. The host page
talks to it by postMessage.

`allow-forms` only lets the browser fire `submit` events (without it Chromium blocks a form's
submission before any event): the frame's runtime catches them and routes them to the host,
and `form-action 'none'` stops anything that would still try to leave.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, render_template, url_for
from flask_login import login_required
from markupsafe import Markup

from tf_system.settings import PROJECT_ROOT
from tf_web.extensions import system

bp = Blueprint("sandbox", __name__, url_prefix="/sandbox")

SHA256 = re.compile(r"^[0-9a-f]{64}$")
BUILD_DIR = PROJECT_ROOT / "build"
FRAME_SCRIPT = Path(__file__).parent / "static" / "js" / "sandbox-frame.js"
SANDBOX_FLAGS = "allow-scripts allow-forms"


def sandbox_csp(nonce: str, ancestors: str = "'self'") -> str:
    return (
        f"sandbox {SANDBOX_FLAGS}; default-src 'none';"
        f" script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src data: blob:;"
        " font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none';"
        " frame-src 'none'; worker-src 'none'; manifest-src 'none'; form-action 'none';"
        f" base-uri 'none'; frame-ancestors {ancestors}"
    )


def runtime_path() -> Path:
    """The shared React runtime, bundled once per package-lock.json."""
    lock = (PROJECT_ROOT / "package-lock.json").read_bytes()
    path = BUILD_DIR / f"react-runtime-{hashlib.sha256(lock).hexdigest()[:16]}.js"
    if not path.exists():
        BUILD_DIR.mkdir(exist_ok=True)
        tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        system().components.compiler.build_runtime(tmp)
        tmp.replace(path)
    return path


@lru_cache(maxsize=1)
def _shared_scripts() -> tuple[str, str, str]:
    """The React runtime and the frame's own script, and a version naming both."""
    runtime = runtime_path().read_text()
    frame = FRAME_SCRIPT.read_text()
    version = hashlib.sha256(f"{runtime}\0{frame}".encode()).hexdigest()[:16]
    return runtime, frame, version


def frame_url(
    sha256: str,
    state: Mapping[str, Any] | None = None,
    *,
    preview: bool = False,
    public_key: str | None = None,
) -> str:
    """A frame's address: it changes whenever what the frame document holds changes. The
    first props ride in the fragment, which is never sent and leaves the cached document
    alone: the frame renders them at once, without waiting for the page's scripts."""
    if public_key is not None:  # a published form's frame, open to its websites
        url = url_for(
            "public.component_frame", key=public_key, sha256=sha256, v=_shared_scripts()[2]
        )
    else:
        endpoint = "sandbox.preview_frame" if preview else "sandbox.component_frame"
        url = url_for(endpoint, sha256=sha256, v=_shared_scripts()[2])
    if state is not None:
        url += "#" + quote(current_app.json.dumps(state), safe="")
    return url


@bp.app_context_processor
def sandbox_helpers() -> dict[str, Any]:
    """Every template's iframes use the frame documents' own sandbox flags and addresses."""
    return {"sandbox_flags": SANDBOX_FLAGS, "sandbox_frame_url": frame_url}


def preview_dir() -> Path:
    return system().settings.data_dir / "previews"


def checked_sha256(sha256: str) -> str:
    if not SHA256.fullmatch(sha256):
        abort(404)
    return sha256


def _inline(code: str) -> Markup:
    # esbuild already escapes "</script" in strings; this keeps any other occurrence from
    # ending the element early.
    return Markup(re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE))  # noqa: S704


def frame_response(sha256: str, code: str | None, ancestors: tuple[str, ...] = ()) -> Response:
    """One self-contained document: the runtime, the component and the frame's script
    inline. A sandboxed frame's origin is opaque, and Chromium does not cache what such a
    document fetches, so this document (cached for a year: its address names the component
    and the scripts' version) is the only thing a warm visit loads. `ancestors`: websites
    besides TicketFlower that may frame the page holding it (a published form's)."""
    if code is None:
        abort(404)
    runtime, frame, version = _shared_scripts()
    # The same document for the same content, so it may be cached; the nonce only keeps
    # scripts that are not ours out, and the frame has no markup anyone else writes.
    key = system().settings.secret_key.encode()
    nonce = hmac.new(key, f"{sha256}:{version}".encode(), "sha256").hexdigest()[:24]
    response = Response(
        render_template(
            "sandbox/frame.html",
            nonce=nonce,
            scripts=[_inline(runtime), _inline(code), _inline(frame)],
        )
    )
    response.headers["Content-Security-Policy"] = sandbox_csp(
        nonce, " ".join(("'self'", *ancestors))
    )
    if not ancestors:  # X-Frame-Options cannot name other sites: CSP alone says who
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@bp.route("/components/<sha256>")
@login_required
def component_frame(sha256: str) -> Response:
    """The sandboxed document that renders a saved component."""
    return frame_response(sha256, system().components.compiled(checked_sha256(sha256)))


@bp.route("/previews/<sha256>")
@login_required
def preview_frame(sha256: str) -> Response:
    """The sandboxed document that renders a component being previewed."""
    path = preview_dir() / f"{checked_sha256(sha256)}.js"
    return frame_response(sha256, path.read_text() if path.exists() else None)


def store_preview(code: str) -> str:
    """Keep compiled preview code (never under components/: it was not saved)."""
    sha = hashlib.sha256(code.encode()).hexdigest()
    folder = preview_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sha}.js"
    if not path.exists():
        tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        tmp.write_text(code)
        tmp.replace(path)
    current_app.logger.debug("preview %s stored", sha)
    return sha
