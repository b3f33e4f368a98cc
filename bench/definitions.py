"""Definitions: how long saving a layout component takes, compile included, and saving a
whole definition through the application."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import fresh_system, report, summary
from tests.samples import INPUT_FORM, TRIAGE, sample
from tf_events.commands import Define
from tf_events.components.compiler import Compiler
from tf_events.components.store import ComponentStore
from tf_events.definitions.format import Kind

SAVES = 300


def run() -> None:
    store = ComponentStore(Path(tempfile.mkdtemp(prefix="tf-bench-")), Compiler())
    store.save("export default () => null;\n")  # start the esbuild service first
    component_saves = []
    for i in range(SAVES):
        source = INPUT_FORM + f"\n// variant {i}\n"  # a new file each time
        started = time.perf_counter()
        store.save(source)
        component_saves.append(time.perf_counter() - started)
    store.compiler.close()

    with fresh_system() as system:
        system.app.components.save("export default () => null;\n")
        definition_saves = []
        for i in range(SAVES):
            layout = {"display": {"source": INPUT_FORM + f"\n// task {i}\n"}}
            started = time.perf_counter()
            system.app.handle(
                Define(Kind.TASK, sample(TRIAGE, key=f"task-{i}", layouts=layout), by="bench")
            )
            definition_saves.append(time.perf_counter() - started)

    report(
        "definitions",
        [
            ("component save (validate, esbuild, write)", summary(component_saves)),
            ("task definition save with a new layout", summary(definition_saves)),
        ],
    )
