"""A readable page of the API, rendered from the OpenAPI document that flask-smorest
generates from the routes (no third-party script: our pages load only our own)."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, render_template

from tf_events.definitions.format import (
    DefinitionSetSchema,
    FieldSpecSchema,
    TaskSchema,
    TicketTypeSchema,
    WorkflowSchema,
)

docs_bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")

# The definition format, for the request bodies that take definitions.
FORMAT_SCHEMAS = {
    "FieldSpec": FieldSpecSchema,
    "Task": TaskSchema,
    "Workflow": WorkflowSchema,
    "TicketType": TicketTypeSchema,
    "DefinitionSet": DefinitionSetSchema,
}


def spec() -> dict[str, Any]:
    return current_app.extensions["tf_api"].spec.to_dict()


@docs_bp.route("/docs")
def docs() -> str:
    """A readable page of the API, rendered from the OpenAPI document."""
    return render_template(
        "api/docs.html", spec=spec(), pretty=lambda v: json.dumps(v, indent=2, default=str)
    )
