"""Sample definitions for tests: a small IT request workflow."""

from __future__ import annotations

import copy
from typing import Any

INPUT_FORM = """import React from "react";

export default function RequestForm({ fields, values, errors, setValue }) {
  return (
    <form>
      {fields.map((field) => (
        <p key={field.name}>
          <label htmlFor={field.name}>{field.label}</label>
          <input id={field.name} value={values[field.name] || ""}
                 onChange={(e) => setValue(field.name, e.target.value)} />
          {(errors[field.name] || []).map((m) => <em key={m}>{m}</em>)}
        </p>
      ))}
    </form>
  );
}
"""

# The triage task's own form: a React component, run in the sandbox like a ticket form.
TRIAGE_FORM = """import React from "react";

export default function TriageForm({ fields, values, errors, setValue, ticket }) {
  const priority = fields.find((field) => field.name === "priority");
  return (
    <form>
      <p>How urgent is {ticket ? ticket.reference : "this ticket"}?</p>
      <label htmlFor="priority">{priority.label}</label>
      <select id="priority" value={values.priority || ""}
              aria-invalid={errors.priority ? "true" : undefined}
              onChange={(e) => setValue("priority", e.target.value)}>
        <option value="">Choose…</option>
        {priority.options.map((option) => <option key={option} value={option}>{option}</option>)}
      </select>
      {(errors.priority || []).map((m) => <em key={m} role="alert">{m}</em>)}
      <button type="submit">Triage done</button>
    </form>
  );
}
"""

TRIAGE = {
    "key": "triage",
    "name": "Triage",
    "description": "Read the request and set its priority.",
    "references": [{"uri": "https://wiki.example.com/triage", "type": "link"}],
    "inputs": [{"name": "summary", "type": "text", "label": "Summary"}],
    "outputs": [
        {
            "name": "priority",
            "type": "choice",
            "label": "Priority",
            "options": ["low", "normal", "high"],
        }
    ],
}
APPROVE = {
    "key": "approve",
    "name": "Approve",
    "inputs": [
        {
            "name": "priority",
            "type": "choice",
            "label": "Priority",
            "options": ["low", "normal", "high"],
        }
    ],
    "outputs": [{"name": "approved", "type": "boolean", "label": "Approved"}],
}
WORKFLOW = {
    "key": "it-request",
    "name": "IT request",
    "description": "Equipment and access requests.",
    "fields": [
        {
            "name": "summary",
            "type": "text",
            "label": "Summary",
            "required": True,
            "max_length": 120,
        },
        {"name": "details", "type": "long_text", "label": "Details"},
        {
            "name": "priority",
            "type": "choice",
            "label": "Priority",
            "options": ["low", "normal", "high"],
        },
        {"name": "approved", "type": "boolean", "label": "Approved"},
    ],
    "tasks": ["triage", "approve"],
}
TICKET_TYPE = {
    "key": "laptop-request",
    "name": "Laptop request",
    "description": "Ask for a new laptop.",
    "workflow": "it-request",
    "fields": ["summary", "details"],
    "layouts": {"input": {"source": INPUT_FORM}},
}


def sample(definition: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(definition), **changes}


def definition_set() -> dict[str, Any]:
    return {
        "format": "ticketflower.definition-set/1",
        "tasks": [sample(TRIAGE, layouts={"input": {"source": TRIAGE_FORM}}), sample(APPROVE)],
        "workflows": [sample(WORKFLOW)],
        "ticket_types": [sample(TICKET_TYPE)],
    }
