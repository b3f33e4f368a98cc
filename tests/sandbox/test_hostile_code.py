"""Hostile code in the real sandbox: each attack ends as a clear failure within its limit,
and each test fails when the defence it names is taken away (tried by hand, see the
closing note of issue 11). Loops that could hurt the machine in a weakened sandbox are
bounded in the test code itself."""

from __future__ import annotations

import time

from tests.sandbox.conftest import SMALL
from tf_automation import Failure, Limits
from tf_automation.sandbox import MAX_PROCESSES

# CPU time comes slower than wall time on a busy machine: room for a second or two of it.
CPU_BOUND = Limits(cpu_seconds=1, wall_seconds=20, memory_mb=128, output_kb=16)
SHORT = Limits(cpu_seconds=1, wall_seconds=2, memory_mb=128, output_kb=16)


def test_an_infinite_loop_is_stopped_by_the_cpu_limit(run):
    started = time.monotonic()
    result = run("def run(inputs):\n    while True:\n        pass", limits=CPU_BOUND)
    assert result.failure is Failure.CPU_LIMIT, result.reason
    assert result.reason == "Stopped: it used more than 1 s of CPU time."
    assert time.monotonic() - started < CPU_BOUND.wall_seconds


def test_a_loop_that_ignores_the_cpu_signal_is_stopped_all_the_same(run):
    result = run(
        """
        import signal
        def run(inputs):
            signal.signal(signal.SIGXCPU, signal.SIG_IGN)
            while True:
                pass
        """,
        limits=CPU_BOUND,
    )
    assert result.failure is Failure.CPU_LIMIT, result.reason


def test_code_that_sleeps_forever_is_killed_at_the_wall_clock_limit(run):
    started = time.monotonic()
    result = run("import time\ndef run(inputs):\n    time.sleep(3600)", limits=SHORT)
    assert result.failure is Failure.TIMEOUT
    assert result.reason == "Stopped after 2 s (wall clock)."
    assert SHORT.wall_seconds <= time.monotonic() - started < SHORT.wall_seconds + 2


def test_a_fake_result_followed_by_running_past_the_deadline_is_not_accepted(run):
    result = run(
        """
        import os, sys, time
        def run(inputs):
            forged = b'{"ok": true, "outputs": {"total": 1}}'
            os.write(int(sys.argv[1]), forged)  # the runner's own result descriptor
            print(forged.decode(), flush=True)
            while True:
                time.sleep(0.05)
        """,
        limits=SHORT,
    )
    assert result.failure is Failure.TIMEOUT
    assert result.outputs is None


def test_a_fork_bomb_is_stopped_by_the_process_limit(run):
    started = time.monotonic()
    result = run("import os\ndef run(inputs):\n    while True:\n        os.fork()")
    assert result.failure is Failure.EXCEPTION, result.reason
    assert result.reason == "BlockingIOError: [Errno 11] Resource temporarily unavailable"
    assert time.monotonic() - started < SMALL.wall_seconds


def test_forking_stops_at_the_process_limit(run):
    result = run(
        """
        import os, time
        def run(inputs):
            children = 0
            try:
                for _ in range(100):  # bounded: a weakened sandbox must not take the machine
                    if os.fork() == 0:
                        time.sleep(30)
                        os._exit(0)
                    children += 1
            except BlockingIOError:
                pass
            return {"children": children}
        """
    )
    assert result.ok, result.reason
    assert 0 < result.outputs["children"] < MAX_PROCESSES


def test_a_process_that_leaves_the_group_dies_with_the_sandbox(run):
    # The `run` fixture then checks that no process of the sandbox is left anywhere.
    result = run(
        """
        import os, time
        def run(inputs):
            if os.fork() == 0:
                os.setsid()
                time.sleep(30)
                os._exit(0)
            return {"left": "a child behind"}
        """
    )
    assert result.ok, result.reason


def test_allocating_10_gb_fails_with_memory_error(run):
    result = run("def run(inputs):\n    return {'n': len(bytearray(10 * 1024**3))}")
    assert result.failure is Failure.MEMORY
    assert "MemoryError" in result.traceback


def test_reserving_10_gb_of_address_space_fails(run):
    # mmap only reserves: without the limit it succeeds at no cost, so it proves the limit.
    result = run("import mmap\ndef run(inputs):\n    mmap.mmap(-1, 10 * 1024**3)\n    return {}")
    assert result.failure is Failure.EXCEPTION, result.reason
    assert "Cannot allocate memory" in result.reason


def test_growing_a_list_until_memory_runs_out_fails_with_memory_error(run):
    result = run(
        """
        def run(inputs):
            hoard = []
            for _ in range(4096):  # 4 GB at most
                hoard.append(bytes(1024 * 1024))
            return {}
        """
    )
    assert result.failure is Failure.MEMORY, result.reason


def test_writing_a_1_gb_file_fails_at_the_file_size_limit(run):
    result = run(
        """
        def run(inputs):
            chunk = b"x" * (1024 * 1024)
            with open("/tmp/big", "wb") as file:
                for _ in range(1024):
                    file.write(chunk)
            return {}
        """
    )
    assert result.failure is Failure.EXCEPTION
    assert result.reason == "OSError: [Errno 27] File too large"


def test_many_files_fail_when_the_private_tmpfs_is_full(run):
    result = run(
        """
        def run(inputs):
            chunk = b"x" * (1024 * 1024)
            for n in range(1024):  # 1 GB at most
                with open(f"/tmp/part{n}", "wb") as file:
                    file.write(chunk)
            return {}
        """
    )
    assert result.failure is Failure.EXCEPTION
    assert result.reason == "OSError: [Errno 28] No space left on device"


def test_nothing_outside_the_private_tmpfs_is_writable(run):
    result = run(
        """
        def run(inputs):
            refused = {}
            # (/usr is root's: its files would be refused to the sandbox's user anyway.)
            for path in ["/x", "/dev/x", "/dev/shm/x", "/tmp/../x"]:
                try:
                    open(path, "a").close()
                except OSError as error:
                    refused[path] = error.strerror
            return refused
        """
    )
    assert result.ok
    assert set(result.outputs.values()) == {"Read-only file system"}
    assert len(result.outputs) == 4


def test_printing_100_mb_is_stopped_at_the_output_limit(run):
    started = time.monotonic()
    result = run(
        """
        import sys
        def run(inputs):
            for _ in range(100):
                sys.stdout.write("x" * (1024 * 1024))
            return {}
        """
    )
    assert result.failure is Failure.OUTPUT_TOO_LARGE
    assert result.reason == "Stopped: its stdout is over 16 KB."
    assert time.monotonic() - started < SMALL.wall_seconds


def test_returning_10_mb_is_stopped_at_the_output_limit(run):
    result = run("def run(inputs):\n    return {'big': 'x' * (10 * 1024 * 1024)}")
    assert result.failure is Failure.OUTPUT_TOO_LARGE
    assert result.reason == "Stopped: its outputs are over 16 KB."


def test_a_forged_result_nested_too_deeply_to_parse_is_not_json(run):
    result = run(
        """
        import os, sys
        def run(inputs):
            forged = b'{"ok": true, "outputs": ' + b"[" * 8000 + b"]" * 8000 + b"}"
            os.write(int(sys.argv[1]), forged)
            os._exit(0)
        """
    )
    assert result.failure is Failure.NOT_JSON


def test_a_forged_failure_with_a_huge_reason_is_capped(run):
    result = run(
        """
        import os, sys
        def run(inputs):
            forged = '{"ok": false, "kind": "exception", "reason": "%s", "traceback": "%s"}'
            os.write(int(sys.argv[1]), (forged % ("r" * 7000, "t" * 7000)).encode())
            os._exit(0)
        """
    )
    assert result.failure is Failure.EXCEPTION
    assert len(result.reason) == 1000
    assert len(result.traceback) == 4000
