"""Defining tasks, workflows and ticket types against the real event store."""

from __future__ import annotations

import pytest

from tests.samples import APPROVE, TICKET_TYPE, TRIAGE, WORKFLOW, definition_set, sample
from tf_events.commands import ArchiveDefinition, Define, ImportDefinitionSet, ReviseDefinition
from tf_events.definitions.format import DefinitionInvalid, Kind
from tf_projections.waiting import wait_for


def define_all(app) -> None:
    app.handle(Define(Kind.TASK, TRIAGE, by="dana"))
    app.handle(Define(Kind.TASK, APPROVE, by="dana"))
    app.handle(Define(Kind.WORKFLOW, WORKFLOW, by="dana"))
    app.handle(Define(Kind.TICKET_TYPE, TICKET_TYPE, by="dana"))


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(DefinitionInvalid) as refused:
        call()
    return refused.value.errors


def test_a_workflow_and_its_ticket_type_are_defined_with_their_layout(system):
    define_all(system.app)
    ticket_type = system.app.find_definition(Kind.TICKET_TYPE, "laptop-request")
    layout = ticket_type.content["layouts"]["input"]
    assert (system.components.root / layout["path"]).read_text() == TICKET_TYPE["layouts"]["input"][
        "source"
    ]
    assert layout["sha256"] in layout["path"]


def test_every_change_is_a_new_version_and_old_versions_stay_readable(system):
    define_all(system.app)
    system.app.handle(
        ReviseDefinition(
            Kind.WORKFLOW, "it-request", sample(WORKFLOW, name="IT request v2"), by="dana"
        )
    )
    system.app.handle(ArchiveDefinition(Kind.WORKFLOW, "it-request", by="dana"))

    assert (
        system.app.find_definition(Kind.WORKFLOW, "it-request", version=1).content["name"]
        == "IT request"
    )
    latest = system.app.find_definition(Kind.WORKFLOW, "it-request")
    assert (latest.version, latest.archived, latest.content["name"]) == (3, True, "IT request v2")


def test_saving_an_unchanged_definition_makes_no_new_version(system):
    define_all(system.app)
    written = system.app.handle(ReviseDefinition(Kind.TASK, "triage", TRIAGE, by="dana"))
    assert written.positions == ()
    assert system.app.find_definition(Kind.TASK, "triage").version == 1


def test_a_key_is_unique_per_kind(system):
    system.app.handle(Define(Kind.TASK, TRIAGE, by="dana"))
    errors = errors_of(lambda: system.app.handle(Define(Kind.TASK, TRIAGE, by="dana")))
    assert errors == {"key": ["A task 'triage' already exists."]}


def test_a_workflow_needs_tasks_that_exist(system):
    errors = errors_of(lambda: system.app.handle(Define(Kind.WORKFLOW, WORKFLOW, by="dana")))
    assert errors["tasks.0"] == ["There is no active task 'triage'."]


def test_task_fields_must_match_the_workflow_fields_in_name_and_type(system):
    system.app.handle(Define(Kind.TASK, TRIAGE, by="dana"))
    system.app.handle(Define(Kind.TASK, APPROVE, by="dana"))
    fields = [f for f in WORKFLOW["fields"] if f["name"] != "approved"]
    fields = [f if f["name"] != "summary" else {**f, "type": "long_text"} for f in fields]
    errors = errors_of(
        lambda: system.app.handle(Define(Kind.WORKFLOW, sample(WORKFLOW, fields=fields), by="dana"))
    )
    assert "input 'summary' is text, but the workflow field is long_text" in errors["tasks.0"][0]
    assert "output 'approved' is not a field of this workflow" in errors["tasks.1"][0]


def test_a_ticket_type_collects_only_fields_of_its_workflow(system):
    define_all(system.app)
    bad = sample(TICKET_TYPE, key="other", fields=["summary", "colour"])
    errors = errors_of(lambda: system.app.handle(Define(Kind.TICKET_TYPE, bad, by="dana")))
    assert errors == {"fields.1": ["'colour' is not a field of workflow 'it-request'."]}


def test_field_names_must_be_identifiers_and_unique(system):
    fields = [
        {"name": "Summary", "type": "text", "label": "S"},
        {"name": "ok", "type": "text", "label": "A"},
    ]
    errors = errors_of(
        lambda: system.app.handle(Define(Kind.WORKFLOW, sample(WORKFLOW, fields=fields), by="d"))
    )
    assert list(errors) == ["fields.0.name"]
    twice = [{"name": "ok", "type": "text", "label": "A"}] * 2
    errors = errors_of(
        lambda: system.app.handle(Define(Kind.WORKFLOW, sample(WORKFLOW, fields=twice), by="d"))
    )
    assert errors == {"fields.1.name": ["'ok' is used twice."]}


@pytest.mark.parametrize(
    ("field", "path", "message"),
    [
        ({"name": "c", "type": "choice", "label": "C"}, "fields.0.options", "at least one option"),
        (
            {"name": "n", "type": "integer", "label": "N", "min": 5, "max": 1},
            "fields.0.max",
            "below the minimum",
        ),
        ({"name": "t", "type": "text", "label": "T", "min": 1}, "fields.0.min", "Only number"),
        ({"name": "t", "type": "colour", "label": "T"}, "fields.0.type", "Must be one of"),
        (
            {"name": "f", "type": "file", "label": "F", "max_size_mb": 500},
            "fields.0.max_size_mb",
            "less than or equal to 25",
        ),
    ],
)
def test_field_limits_are_checked(system, field, path, message):
    errors = errors_of(
        lambda: system.app.handle(Define(Kind.WORKFLOW, sample(WORKFLOW, fields=[field]), by="d"))
    )
    assert message in errors[path][0]


def test_a_layout_with_a_syntax_error_is_refused_with_line_and_column_and_writes_nothing(system):
    define_all(system.app)
    broken = "export default function Form() {\n  return <div>\n}\n"
    bad = sample(TICKET_TYPE, key="broken", layouts={"input": {"source": broken}})
    files_before = sorted(system.components.root.rglob("*"))
    errors = errors_of(lambda: system.app.handle(Define(Kind.TICKET_TYPE, bad, by="dana")))
    assert errors["layouts.input.source"][0].startswith("line 4, column 1: Unexpected end of file")
    assert sorted(system.components.root.rglob("*")) == files_before
    assert system.app.find_definition(Kind.TICKET_TYPE, "broken") is None


def test_a_definition_set_imports_all_or_nothing(system):
    broken = definition_set()
    broken["ticket_types"][0]["fields"] = ["nope"]
    errors = errors_of(lambda: system.app.handle(ImportDefinitionSet(broken, by="dana")))
    assert errors == {
        "ticket_types.0.fields.0": ["'nope' is not a field of workflow 'it-request'."]
    }
    assert system.app.find_definition(Kind.TASK, "triage") is None

    system.app.handle(ImportDefinitionSet(definition_set(), by="dana"))
    assert system.app.find_definition(Kind.TICKET_TYPE, "laptop-request").version == 1
    again = system.app.handle(ImportDefinitionSet(definition_set(), by="dana"))
    assert again.positions == (), "re-importing the same set changes nothing"


def test_the_read_tables_keep_every_version(system, workers):
    define_all(system.app)
    written = system.app.handle(
        ReviseDefinition(
            Kind.TICKET_TYPE, "laptop-request", sample(TICKET_TYPE, name="Laptops"), by="tess"
        )
    )
    wait_for(system.pool, written, 5)
    with system.pool.connection() as conn:
        current = conn.execute(
            "SELECT name, version, updated_by FROM definitions WHERE key = 'laptop-request'"
        ).fetchone()
        versions = conn.execute(
            "SELECT version, change, content->>'name' FROM definition_versions"
            " WHERE key = 'laptop-request' ORDER BY version"
        ).fetchall()
        links = conn.execute(
            "SELECT to_kind, to_key FROM definition_links ORDER BY to_key"
        ).fetchall()
    assert current == ("Laptops", 2, "tess")
    assert versions == [(1, "created", "Laptop request"), (2, "revised", "Laptops")]
    assert links == [("task", "approve"), ("workflow", "it-request"), ("task", "triage")]
