"""Examples for the OpenAPI document's request bodies: what a program's first call sends."""

from __future__ import annotations

import json

TASK = {
    "key": "triage",
    "name": "Triage",
    "description": "Read the request and set its priority.",
    "references": [{"uri": "https://wiki.example.com/triage", "type": "link"}],
    "roles": ["ticket_team"],
    "inputs": [{"name": "summary", "type": "text", "label": "Summary"}],
    "outputs": [
        {
            "name": "priority",
            "type": "choice",
            "label": "Priority",
            "options": ["low", "normal", "high"],
        }
    ],
    "assignment": "least_busy",
}
DEFINITION_SET = {
    "format": "ticketflower.definition-set/1",
    "tasks": [TASK],
    "workflows": [
        {
            "key": "it-request",
            "name": "IT request",
            "fields": [
                {"name": "summary", "type": "text", "label": "Summary", "required": True},
                {
                    "name": "priority",
                    "type": "choice",
                    "label": "Priority",
                    "options": ["low", "normal", "high"],
                },
            ],
            "tasks": ["triage"],
        }
    ],
    "ticket_types": [
        {
            "key": "laptop-request",
            "name": "Laptop request",
            "workflow": "it-request",
            "fields": ["summary"],
        }
    ],
}
SUBMISSION = {
    "ticket_type": "laptop-request",
    "data": {
        "summary": "New laptop for Sam",
        "details": "The screen flickers.",
        "photo": {"upload": "<token from POST /api/v1/uploads>"},
    },
}
COMMENT = {"text": "The courier comes on Tuesday."}
SUBMISSION_PARTS = {"payload": json.dumps(SUBMISSION)}
