"""The software-task sandbox: start-to-result of a trivial `run` in bubblewrap (target p95
≤ 100 ms), beside a plain Python subprocess doing the same JSON round trip without a
sandbox, and bubblewrap starting `true` (the namespaces' own cost), all in the same run.
Then trivial runs per second with two at a time (the worker's default concurrency).
TF_BENCH_SANDBOX_RUNS sets the number of runs of each (default 100)."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bench.automation_pipeline import pipeline
from bench.common import report, summary
from tf_automation import BubblewrapSandbox
from tf_automation.bwrap import command, find_python

TRIVIAL = "def run(inputs):\n    return {'total': inputs['price'] * inputs['qty']}\n"
INPUTS = {"price": 4.5, "qty": 3}
ECHO = "import json, sys; inputs = json.load(sys.stdin); print(json.dumps({'total': 13.5}))"
PARALLEL = 2


def _cpu() -> float:
    """CPU seconds used so far by this process and its reaped children: unlike wall time,
    it hardly depends on how busy the shared machine is."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(action: Callable[[], None], runs: int, cpu: list[float]) -> list[float]:
    samples = []
    cpu_before = _cpu()
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    cpu.append((_cpu() - cpu_before) / runs)
    return samples


def run() -> None:
    runs = int(os.environ.get("TF_BENCH_SANDBOX_RUNS", "100"))
    sandbox = BubblewrapSandbox()
    python = find_python(sandbox.python)
    first = sandbox.run(TRIVIAL, INPUTS)
    if not first.ok:
        raise SystemExit(f"the sandbox does not run: {first.failure}: {first.reason}")

    def sandboxed() -> None:
        assert sandbox.run(TRIVIAL, INPUTS).outputs == {"total": 13.5}

    def plain() -> None:
        subprocess.run(
            [python.executable, "-I", "-S", "-c", ECHO],
            input=b'{"price": 4.5}',
            check=True,
            capture_output=True,
        )

    # The sandbox's own command line, with /usr/bin/true bound in and run instead.
    setup = command("bwrap", python, "", 0)
    setup = setup[: setup.index("--")]
    bind = setup.index("--ro-bind")
    true_in_bwrap = [*setup[:bind], "--ro-bind", "/usr/bin/true", "/usr/bin/true"]
    true_in_bwrap += [*setup[bind:], "--", "/usr/bin/true"]

    def bwrap_only() -> None:
        subprocess.run(true_in_bwrap, check=True, capture_output=True)

    # Interleaved rounds, so a busy moment of the shared machine hits all three alike.
    actions = {"sandboxed": sandboxed, "plain": plain, "bwrap": bwrap_only}
    samples: dict[str, list[float]] = {name: [] for name in actions}
    cpu: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(max(1, runs // 10)):
        for name, action in actions.items():
            samples[name] += _timed(action, 10, cpu[name])

    def figures(name: str) -> str:
        return f"{summary(samples[name])}; CPU {statistics.fmean(cpu[name]) * 1000:.1f} ms a run"

    started = time.perf_counter()
    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(lambda _: sandbox.run(TRIVIAL, INPUTS), range(runs)))
    rate = runs / (time.perf_counter() - started)
    assert all(result.ok for result in results)

    report(
        "automation: sandbox start to result, trivial run(inputs)",
        [
            ("in bubblewrap (the sandbox)", figures("sandboxed")),
            ("baseline: plain python3 -I -S -c, same JSON", figures("plain")),
            ("bubblewrap starting /bin/true", figures("bwrap")),
            (f"sandboxed runs per second, {PARALLEL} at a time", f"{rate:.1f}/s (n={runs})"),
            (
                "load average (1 min) at the end",
                f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores",
            ),
        ],
    )
    pipeline()
