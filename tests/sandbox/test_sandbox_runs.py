"""What a software task's code gets back from the sandbox when it behaves, or fails in the
ordinary ways a person's code fails."""

from __future__ import annotations

from tf_automation import Failure, Limits


def test_run_gets_the_inputs_and_its_outputs_come_back_as_json(run):
    result = run(
        """
        def run(inputs):
            total = sum(item["price"] * item["qty"] for item in inputs["items"])
            return {"total": total, "note": "🌷 " + inputs["name"]}
        """,
        {"items": [{"price": 4.5, "qty": 2}, {"price": 10, "qty": 1}], "name": "Mia"},
    )
    assert result.ok, result.reason
    assert result.outputs == {"total": 19.0, "note": "🌷 Mia"}
    assert 0 < result.seconds < 5


def test_outputs_of_any_json_shape_are_returned_for_the_caller_to_validate(run):
    result = run("def run(inputs):\n    return [1, 'two', None]")
    assert result.ok
    assert result.outputs == [1, "two", None]


def test_prints_are_captured_apart_from_the_result(run):
    result = run(
        """
        import sys
        def run(inputs):
            print('{"ok": true, "outputs": {"forged": 1}}')
            print("a warning", file=sys.stderr)
            return {"real": 1}
        """
    )
    assert result.outputs == {"real": 1}
    assert result.stdout == '{"ok": true, "outputs": {"forged": 1}}\n'
    assert result.stderr == "a warning\n"


def test_the_standard_library_is_there(run):
    result = run(
        """
        import datetime, decimal, json, re, zoneinfo
        def run(inputs):
            due = datetime.datetime(2026, 3, 1, 9, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
            return {"due": due.isoformat(), "price": str(decimal.Decimal("1.10") * 3)}
        """
    )
    assert result.outputs == {"due": "2026-03-01T09:00:00+01:00", "price": "3.30"}


def test_an_exception_gives_its_message_and_the_last_lines_of_its_traceback(run):
    result = run(
        """
        def run(inputs):
            return {"tag": make_tag(inputs)}

        def make_tag(inputs):
            return "IT-" + inputs["serial"]
        """
    )
    assert result.failure is Failure.EXCEPTION
    assert result.reason == "KeyError: 'serial'"
    assert 'File "task.py", line 6, in make_tag' in result.traceback
    assert 'return "IT-" + inputs["serial"]' in result.traceback
    assert "runner" not in result.traceback


def test_code_without_a_run_function_is_an_exception(run):
    result = run("def main(inputs):\n    return {}")
    assert result.failure is Failure.EXCEPTION
    assert result.reason == "The code defines no run(inputs) function."


def test_a_result_that_is_not_json_is_refused_with_its_type(run):
    result = run("def run(inputs):\n    return {'when': {1, 2}}")
    assert result.failure is Failure.NOT_JSON
    assert "set is not JSON serializable" in result.reason
    nan = run("def run(inputs):\n    return {'x': float('nan')}")
    assert nan.failure is Failure.NOT_JSON


def test_code_that_leaves_without_a_result_is_a_crash(run):
    result = run("import os\ndef run(inputs):\n    os._exit(3)")
    assert result.failure is Failure.CRASHED
    assert result.reason == "The code ended without a result (exit status 3)."


def test_text_from_the_code_is_always_storable(run):
    result = run(
        """
        import sys
        def run(inputs):
            print("nul\\x00here")
            sys.stderr.write("half \\udc80 surrogate")
            raise ValueError("bad\\x00 \\ud800")
        """
    )
    assert result.failure is Failure.EXCEPTION
    for text in (result.reason, result.traceback, result.stdout, result.stderr):
        assert "\x00" not in text
        text.encode("utf-8")  # no lone surrogate
    assert result.stdout == "nul\ufffdhere\n"


def test_long_prints_keep_their_tail(run):
    result = run(
        """
        def run(inputs):
            for n in range(2000):
                print(f"line {n}")
            return {}
        """,
        limits=Limits(output_kb=64),
    )
    assert result.ok
    assert result.stdout.startswith("…")
    assert result.stdout.endswith("line 1999\n")
    assert len(result.stdout) <= 4001


def test_large_inputs_arrive_whole(run):
    text = "🌷" * 1_000_000  # 4 MB of UTF-8, far more than a pipe holds
    result = run("def run(inputs):\n    return {'n': len(inputs['text'])}", {"text": text})
    assert result.outputs == {"n": 1_000_000}


def test_the_least_memory_and_output_still_run_a_trivial_task(run):
    smallest = Limits(cpu_seconds=1, memory_mb=64, output_kb=1)
    result = run("def run(inputs):\n    return {'ok': True}", limits=smallest)
    assert result.ok, result.reason
