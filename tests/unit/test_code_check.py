"""The save-time check of a software task's code."""

from __future__ import annotations

import pytest

from tf_events.definitions.code_check import MAX_CODE_BYTES, Problem, check_code

GOOD = "import json\n\ndef run(inputs):\n    return {'total': 1}\n"


def test_a_plain_run_function_passes_without_warnings():
    checked = check_code(GOOD)
    assert checked.ok
    assert checked.warnings == ()


def test_a_syntax_error_names_its_line_and_column():
    checked = check_code("def run(inputs):\n    total = 1 +* 2\n    return {'a': 1\n")
    assert not checked.ok
    (problem,) = checked.errors
    assert str(problem) == "Line 2, column 16: invalid syntax"
    (unclosed,) = check_code("def run(inputs):\n    return {'a': 1\n").errors
    assert str(unclosed) == "Line 2, column 12: '{' was never closed"


def test_an_indentation_error_names_its_line():
    (problem,) = check_code("def run(inputs):\nreturn {}\n").errors
    assert problem.line == 2
    assert "indented block" in problem.message


def test_code_over_the_size_limit_is_refused_before_it_is_parsed():
    source = GOOD + "#" * MAX_CODE_BYTES
    (problem,) = check_code(source).errors
    assert problem.message.startswith(f"The code is {len(source.encode()):,} bytes")


def test_a_nul_character_is_refused():
    assert str(check_code(GOOD + "\x00").errors[0]) == "The code holds a NUL character."


def test_deeply_nested_code_is_refused_with_an_error_not_a_crash():
    assert not check_code("def run(inputs):\n    return " + "[" * 5000 + "]" * 5000).ok


@pytest.mark.parametrize(
    "source",
    ["x = 1\n", "class run:\n    pass\n", "if True:\n    def run(inputs):\n        return {}\n"],
    ids=["no run", "a class", "not at the top level"],
)
def test_the_code_must_define_run_at_the_top_level(source):
    assert check_code(source).errors == (
        Problem("The code must define a function run(inputs) at the top level."),
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def run():\n    return {}\n", "def run(inputs)"),
        ("def run(a, b):\n    return {}\n", "one argument only"),
        ("def run(a, *, key):\n    return {}\n", "one argument only"),
        ("async def run(inputs):\n    return {}\n", "not async"),
    ],
)
def test_run_must_take_the_inputs_as_its_one_argument(source, message):
    (problem,) = check_code(source).errors
    assert message in problem.message
    assert (problem.line, problem.column) == (1, 1)


@pytest.mark.parametrize(
    "source",
    ["def run(inputs, extra=None):\n    return {}\n", "def run(*args):\n    return {}\n"],
)
def test_run_may_take_more_arguments_with_defaults(source):
    assert check_code(source).ok


def test_imports_outside_the_standard_library_warn_with_their_line():
    checked = check_code(
        "import json, requests\nfrom os import path\n\ndef run(inputs):\n"
        "    from numpy.linalg import inv\n    return {}\n"
    )
    assert checked.ok
    assert [(w.line, w.message.split()[0]) for w in checked.warnings] == [
        (1, "requests"),
        (5, "numpy"),
    ]
    assert "will fail when the task runs" in checked.warnings[0].message


def test_relative_imports_are_left_to_fail_when_the_task_runs():
    assert check_code("from . import helpers\n" + GOOD).warnings == ()
