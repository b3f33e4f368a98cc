"""The software parts of a task definition: kind, code, limits and retries."""

from __future__ import annotations

from tf_events.definitions.format import Kind, parse

CODE = "def run(inputs):\n    return {'total': 1}\n"


def task(**extra):
    return {"key": "total", "name": "Total", **extra}


def test_a_human_task_reads_as_before_software_tasks_existed():
    content, errors = parse(Kind.TASK, task(kind="human"))
    assert errors == {}
    assert not {"kind", "code", "limits", "retries"} & set(content)


def test_a_software_task_gets_default_limits_and_retries():
    content, errors = parse(Kind.TASK, task(kind="software", code=CODE, limits={"cpu_seconds": 3}))
    assert errors == {}
    assert content["kind"] == "software"
    assert content["limits"] == {
        "cpu_seconds": 3,
        "wall_seconds": 5,
        "memory_mb": 256,
        "output_kb": 64,
    }
    assert content["retries"] == {"count": 2, "backoff_seconds": 5}


def test_a_software_task_needs_code_and_a_human_one_has_none():
    assert parse(Kind.TASK, task(kind="software"))[1] == {
        "code": ["A software task needs its code."]
    }
    assert parse(Kind.TASK, task(code=CODE, limits={"cpu_seconds": 1}))[1] == {
        "code": ["Only software tasks have this."],
        "limits": ["Only software tasks have this."],
    }


def test_limits_have_maxima_and_unknown_names_are_refused():
    _, errors = parse(
        Kind.TASK, task(kind="software", code=CODE, limits={"memory_mb": 99_999, "gpu": 1})
    )
    assert set(errors) == {"limits.memory_mb", "limits.gpu"}
    assert parse(Kind.TASK, task(kind="robot"))[1] == {"kind": ["Must be one of: human, software."]}
