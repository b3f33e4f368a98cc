"""/healthz: is the database reachable, and how far behind is each read model."""

from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from tf_projections.status import all_statuses
from tf_web.extensions import system

bp = Blueprint("health", __name__)

# A read model this many events behind is reported, not failed: it may be catching up.
LAG_WARNING = 1000
# Lag is counted up to here (the cost of counting grows with it); "at least" beyond.
LAG_COUNTED_UP_TO = 10 * LAG_WARNING
# A load balancer's probe must get an answer fast, whatever the database is doing.
TIMEOUT_SECONDS = 0.5


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    """Report database reachability, projection positions, lag and poison events, without
    waiting on anything: a lagging projection is reported, a slow database is a 503."""
    try:
        statuses = all_statuses(system().pool, lag_limit=LAG_COUNTED_UP_TO, timeout=TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001 - any failure here means "unhealthy"
        return jsonify(status="error", database="unreachable", error=type(exc).__name__), 503
    degraded = any(s.failures or s.lag > LAG_WARNING for s in statuses)
    body = {
        "status": "degraded" if degraded else "ok",
        "database": "ok",
        "projections": [s.as_dict() for s in statuses],
        "lag_counted_up_to": LAG_COUNTED_UP_TO,
    }
    return jsonify(body), 200
