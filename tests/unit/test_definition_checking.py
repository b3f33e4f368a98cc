"""check_definition_set: everything an import checks, with nothing saved or written."""

from __future__ import annotations

import copy

import pytest

from tests.samples import definition_set
from tf_events.components.compiler import Compiler
from tf_events.components.store import ComponentStore
from tf_events.definitions.checking import check_definition_set


@pytest.fixture(scope="module")
def components(tmp_path_factory):
    compiler = Compiler()
    yield ComponentStore(tmp_path_factory.mktemp("components") / "store", compiler)
    compiler.close()


def test_a_good_set_has_no_errors_and_writes_no_file(components):
    assert check_definition_set(definition_set(), components) == {}
    assert not components.root.exists()


def test_format_errors_come_back_keyed_by_path(components):
    raw = definition_set()
    raw["tasks"][0]["inputs"][0]["type"] = "colour"
    errors = check_definition_set(raw, components)
    assert list(errors) == ["tasks.0.inputs.0.type"]


def test_a_workflow_naming_a_missing_task_is_a_cross_check_error(components):
    raw = definition_set()
    raw["workflows"][0]["tasks"].append("no-such-task")
    errors = check_definition_set(raw, components)
    assert errors == {"workflows.0.tasks.2": ["There is no active task 'no-such-task'."]}


def test_a_layout_syntax_error_says_line_and_column(components):
    raw = definition_set()
    raw["ticket_types"][0]["layouts"]["input"]["source"] = (
        'import React from "react";\nexport default () => <p>oops</b>;\n'
    )
    errors = check_definition_set(raw, components)
    [message] = errors["ticket_types.0.layouts.input.source"]
    assert message.startswith("line 2, column")


def test_a_layout_importing_anything_but_react_is_refused(components):
    raw = definition_set()
    raw["ticket_types"][0]["layouts"]["input"]["source"] = (
        'import x from "node:fs";\nexport default () => <p>{String(x)}</p>;\n'
    )
    errors = check_definition_set(raw, components)
    assert "may be imported" in errors["ticket_types.0.layouts.input.source"][0]
    assert not components.root.exists()


def test_definitions_outside_the_set_are_found_through_the_lookup(components):
    raw = definition_set()
    tasks = {t["key"]: t for t in raw.pop("tasks")}
    assert "workflows.0.tasks.0" in check_definition_set(copy.deepcopy(raw), components)
    found = check_definition_set(
        raw, components, lambda kind, key: tasks.get(key) if kind == "task" else None
    )
    assert found == {}
