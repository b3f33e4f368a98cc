"""The safe creation of layout components: validated, compiled, content-addressed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.integration.test_automation import definitions
from tests.integration.test_definitions import define_all, errors_of
from tests.samples import INPUT_FORM, TICKET_TYPE, sample
from tf_events.commands import Define, ImportDefinitionSet
from tf_events.components.store import MAX_SOURCE_BYTES, ComponentRejected
from tf_events.definitions.format import Kind


def test_saving_the_same_source_twice_maps_to_one_file(system):
    first = system.components.save(INPUT_FORM)
    second = system.components.save(INPUT_FORM)
    assert first == second
    assert len(list(system.components.root.rglob("*.jsx"))) == 1


def test_an_import_other_than_react_is_refused(system):
    source = 'import React from "react";\nimport _ from "lodash";\nexport default () => <p/>;\n'
    with pytest.raises(ComponentRejected, match='Only "react" may be imported, not "lodash"'):
        system.components.save(source)
    assert not system.components.root.exists() or not any(system.components.root.rglob("*"))


@pytest.mark.parametrize("module", ["react-dom", "react-dom/client", "./secrets", "node:fs"])
def test_no_other_module_can_sneak_in(system, module):
    source = f'import x from "{module}";\nexport default () => <p>{{String(x)}}</p>;\n'
    with pytest.raises(ComponentRejected):
        system.components.save(source)


def test_an_oversized_component_is_refused(system):
    source = "export default () => <p>hi</p>;\n// " + "x" * MAX_SOURCE_BYTES
    with pytest.raises(ComponentRejected, match="the limit is 65,536"):
        system.components.save(source)


def test_the_refusal_reaches_the_definition_at_its_field(system):
    define_all(system.app)
    bad = sample(
        TICKET_TYPE,
        key="sneaky",
        layouts={"display": {"source": 'import fs from "fs";\nexport default fs;'}},
    )
    errors = errors_of(lambda: system.app.handle(Define(Kind.TICKET_TYPE, bad, by="dana")))
    assert errors["layouts.display.source"] == ['line 1: Only "react" may be imported, not "fs".']


def test_a_deleted_file_is_re_created_from_the_log(system, monkeypatch):
    define_all(system.app)
    layout = system.app.find_definition(Kind.TICKET_TYPE, "laptop-request").content["layouts"][
        "input"
    ]
    path = system.components.root / layout["path"]
    path.chmod(0o644)
    path.unlink()
    system.components.compiled_path(layout["sha256"]).unlink()

    from tf_web.cli import main

    monkeypatch.setenv("TF_DATABASE_URL", system.database_url)
    monkeypatch.setenv("TF_COMPONENTS_DIR", str(system.components.root))
    result = CliRunner().invoke(main, ["components", "restore"])

    assert result.exit_code == 0, result.output
    assert "Re-created 1 component file(s)" in result.output
    assert path.read_text() == INPUT_FORM
    assert system.components.compiled(layout["sha256"])


def test_a_software_task_s_code_is_kept_by_its_hash_and_restored(system, tmp_path):
    system.app.handle(ImportDefinitionSet(definitions("def run(inputs):\n    return {}\n"), by="d"))
    content = system.app.find_definition(Kind.TASK, "tag").content
    path = system.components.root / content["code_sha256"][:2] / f"{content['code_sha256']}.py"
    assert path.read_text() == content["code"]
    path.unlink()
    assert system.app.restore_component_files() == 1
    assert path.read_text() == content["code"]
