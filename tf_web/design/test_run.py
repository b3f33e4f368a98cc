"""The designer's Test run: the software task being edited runs in the sandbox on sample
inputs (nothing is saved), and the answer says what it returned, whether its outputs pass
the task's output fields, what it printed, and how long it took."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, jsonify, request
from flask_login import current_user

from tf_automation.worker import sandbox_limits
from tf_events.definitions.format import Kind, parse
from tf_events.tickets.data_schema import validate_data
from tf_web.design.forms import UploadError, definition_from_form
from tf_web.design.views import bp, designers_only
from tf_web.extensions import limiter, system

MAX_SAMPLE_BYTES = 256 * 1024


def _refused(errors: dict[str, list[str]]) -> tuple[Response, int]:
    return jsonify(ok=False, errors=errors), 422


@bp.route("/tasks/test-run", methods=["POST"])
@designers_only
@limiter.limit(
    "30 per minute",
    key_func=lambda: str(current_user.get_id()),
    error_message="That is a lot of test runs: wait a minute and try again.",
)
def test_run() -> tuple[Response, int] | Response:
    try:
        raw = definition_from_form(Kind.TASK, request.form, request.files)
    except UploadError as err:
        return _refused({err.path: [str(err)]})
    # A task not yet named or keyed can be tried all the same.
    named = {"name": raw["name"] or "Test run", "key": raw["key"] or "test-run"}
    content, errors = parse(Kind.TASK, {**raw, **named, "kind": "software"})
    if errors:
        return _refused(errors)
    sample = request.form.get("sample-inputs", "") or "{}"
    try:
        inputs = json.loads(sample) if len(sample) <= MAX_SAMPLE_BYTES else None
    except ValueError as err:
        return _refused({"sample-inputs": [f"Not JSON: {err}."]})
    if not isinstance(inputs, dict):
        return _refused({"sample-inputs": ["Give the inputs as a JSON object: {\"name\": …}."]})
    result = system().sandbox.run(content["code"], inputs, sandbox_limits(content["limits"]))
    checked: dict[str, list[str]] = {}
    if result.ok:
        outputs: Any = result.outputs
        if isinstance(outputs, dict):
            checked = validate_data(content["outputs"], outputs)[1]
        else:
            checked = {"_outputs": ["run must return a dict of outputs."]}
    return jsonify(
        ok=result.ok and not checked,
        outputs=result.outputs if result.ok else None,
        output_errors=checked,
        failure=result.reason if not result.ok else "",
        traceback=result.traceback,
        stdout=result.stdout,
        stderr=result.stderr,
        seconds=round(result.seconds, 3),
    )
