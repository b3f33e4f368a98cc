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
import re
import secrets
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, send_file
from flask_login import login_required

from tf_system.settings import PROJECT_ROOT
from tf_web.extensions import system

bp = Blueprint("sandbox", __name__, url_prefix="/sandbox")

SHA256 = re.compile(r"^[0-9a-f]{64}$")
BUILD_DIR = PROJECT_ROOT / "build"
SANDBOX_FLAGS = "allow-scripts allow-forms"


@bp.app_context_processor
def sandbox_flags() -> dict[str, str]:
    """Every template's iframes use the same flags as the frame documents' policy."""
    return {"sandbox_flags": SANDBOX_FLAGS}


def sandbox_csp(nonce: str) -> str:
    return (
        f"sandbox {SANDBOX_FLAGS}; default-src 'none';"
        f" script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src data: blob:;"
        " font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none';"
        " frame-src 'none'; worker-src 'none'; manifest-src 'none'; form-action 'none';"
        " base-uri 'none'; frame-ancestors 'self'"
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


def preview_dir() -> Path:
    return system().settings.data_dir / "previews"


def _checked(sha256: str) -> str:
    if not SHA256.fullmatch(sha256):
        abort(404)
    return sha256


def _frame(script_url: str) -> Response:
    nonce = secrets.token_urlsafe(16)
    response = Response(render_template("sandbox/frame.html", nonce=nonce, script_url=script_url))
    response.headers["Content-Security-Policy"] = sandbox_csp(nonce)
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def _script(code: str | None) -> Response:
    if code is None:
        abort(404)
    response = Response(code, mimetype="text/javascript")
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@bp.route("/runtime.js")
def runtime() -> Response:
    """Serve the shared React runtime bundle."""
    response = send_file(runtime_path(), mimetype="text/javascript", max_age=31536000)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.route("/components/<sha256>")
@login_required
def component_frame(sha256: str) -> Response:
    """The sandboxed document that renders a saved component."""
    return _frame(f"/sandbox/components/{_checked(sha256)}.js")


@bp.route("/components/<sha256>.js")
def component_script(sha256: str) -> Response:
    """A saved component, compiled. Content-addressed: anyone holding the hash may load it;
    the sandboxed frame requests it without cookies."""
    return _script(system().components.compiled(_checked(sha256)))


@bp.route("/previews/<sha256>")
@login_required
def preview_frame(sha256: str) -> Response:
    """The sandboxed document that renders a component being previewed."""
    return _frame(f"/sandbox/previews/{_checked(sha256)}.js")


@bp.route("/previews/<sha256>.js")
def preview_script(sha256: str) -> Response:
    path = preview_dir() / f"{_checked(sha256)}.js"
    return _script(path.read_text() if path.exists() else None)


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
