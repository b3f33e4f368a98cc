"""The rules of the definition format: a field's limits fit its type, and definitions agree
with the ones they name (cross-checks), in memory."""

from __future__ import annotations

import pytest

from tests.samples import TICKET_TYPE, WORKFLOW, sample
from tf_events.definitions.cross_checks import cross_check
from tf_events.definitions.format import FieldSpecSchema, Kind, parse
from tf_events.errors import flatten_errors


def field_errors(spec: dict) -> dict[str, list[str]]:
    return flatten_errors(FieldSpecSchema().validate(spec))


@pytest.mark.parametrize(
    ("spec", "path", "message"),
    [
        ({"type": "choice", "options": []}, "options", "needs at least one option"),
        ({"type": "choice", "options": ["a", "a"]}, "options", "different from each other"),
        ({"type": "text", "options": ["a"]}, "options", "Only choice fields have options"),
        ({"type": "text", "min": 1}, "min", "Only number fields have a minimum"),
        ({"type": "number", "min": 5, "max": 1}, "max", "below the minimum"),
        ({"type": "number", "max_length": 5}, "max_length", "Only text fields have length"),
        ({"type": "text", "min_length": 9, "max_length": 2}, "max_length", "below the minimum"),
        ({"type": "text", "max_size_mb": 1}, "max_size_mb", "Only file fields"),
    ],
)
def test_a_fields_limits_must_fit_its_type(spec, path, message):
    errors = field_errors({"name": "f", "label": "F", **spec})
    assert any(message in m for m in errors[path]), errors


def test_sensible_limits_pass():
    assert field_errors({"name": "n", "label": "N", "type": "number", "min": 0, "max": 9}) == {}
    assert field_errors({"name": "c", "label": "C", "type": "choice", "options": ["a"]}) == {}


TASKS = {
    "triage": {"inputs": [{"name": "summary", "type": "text"}], "outputs": []},
    "wrong": {"inputs": [{"name": "summary", "type": "number"}], "outputs": []},
    "stray": {"inputs": [], "outputs": [{"name": "colour", "type": "text"}]},
}


def lookup(kind: Kind, key: str) -> dict | None:
    if kind is Kind.TASK:
        return TASKS.get(key)
    if kind is Kind.WORKFLOW and key == "it-request":
        return parse(Kind.WORKFLOW, sample(WORKFLOW))[0]
    return None


def test_a_workflows_tasks_must_exist_and_agree_with_its_fields():
    workflow = parse(Kind.WORKFLOW, sample(WORKFLOW, tasks=["triage", "nope", "wrong", "stray"]))[0]
    errors = cross_check(Kind.WORKFLOW, workflow, lookup)
    assert "tasks.0" not in errors
    assert errors["tasks.1"] == ["There is no active task 'nope'."]
    assert "is number, but the workflow field is text" in errors["tasks.2"][0]
    assert "'colour' is not a field of this workflow" in errors["tasks.3"][0]


def test_a_ticket_types_workflow_must_exist_and_hold_its_fields():
    plain = {k: v for k, v in TICKET_TYPE.items() if k != "layouts"}
    assert cross_check(Kind.TICKET_TYPE, sample(plain), lookup) == {}
    missing = cross_check(Kind.TICKET_TYPE, sample(plain, workflow="gone"), lookup)
    assert missing == {"workflow": ["There is no active workflow 'gone'."]}
    stray = cross_check(Kind.TICKET_TYPE, sample(plain, fields=["summary", "colour"]), lookup)
    assert stray == {"fields.1": ["'colour' is not a field of workflow 'it-request'."]}


def test_a_ticket_types_summary_names_only_fields_its_form_collects():
    plain = {k: v for k, v in TICKET_TYPE.items() if k != "layouts"}
    good = sample(plain, summary="{summary} ({details})")
    assert cross_check(Kind.TICKET_TYPE, good, lookup) == {}
    bad = cross_check(Kind.TICKET_TYPE, sample(plain, summary="{summary}: {priority}"), lookup)
    assert bad == {"summary": ["The form does not collect priority."]}
    _, errors = parse(Kind.TICKET_TYPE, sample(plain, summary="{not closed"))
    assert "summary" in errors
