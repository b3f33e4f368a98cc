"""The save-time check of a software task's code, as for a React layout: a size limit, a
syntax check that names the line and column, a top-level `run(inputs)`. Imports outside
the standard library only warn: the check is a help for the designer, not a security
boundary (the sandbox is), and the sandbox's Python has the standard library only."""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass

MAX_CODE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Problem:
    message: str
    line: int | None = None
    column: int | None = None  # 1-based, as editors count

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        where = f"Line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class CodeCheck:
    errors: tuple[Problem, ...] = ()  # any error refuses the save
    warnings: tuple[Problem, ...] = ()  # shown, the save goes on

    @property
    def ok(self) -> bool:
        return not self.errors


def check_code(source: str) -> CodeCheck:
    size = len(source.encode("utf-8", errors="surrogatepass"))
    if size > MAX_CODE_BYTES:
        return _refused(f"The code is {size:,} bytes; the most is {MAX_CODE_BYTES:,}.")
    if "\x00" in source:
        return _refused("The code holds a NUL character.")
    try:
        tree = ast.parse(source, filename="task.py")
    except SyntaxError as error:
        return CodeCheck((Problem(error.msg, error.lineno, error.offset),))
    except (RecursionError, MemoryError, ValueError):
        return _refused("The code is nested too deeply to read.")
    return CodeCheck(_run_problems(tree), _import_warnings(tree))


def _refused(message: str) -> CodeCheck:
    return CodeCheck((Problem(message),))


def _run_problems(tree: ast.Module) -> tuple[Problem, ...]:
    run = next(
        (
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "run"
        ),
        None,
    )
    if run is None:
        return (Problem("The code must define a function run(inputs) at the top level."),)
    where = {"line": run.lineno, "column": run.col_offset + 1}
    if isinstance(run, ast.AsyncFunctionDef):
        return (Problem("run must be a plain function, not async def.", **where),)
    positional = [*run.args.posonlyargs, *run.args.args]
    required = len(positional) - len(run.args.defaults)
    if not positional and not run.args.vararg:
        return (Problem("run must take the inputs as its argument: def run(inputs).", **where),)
    if required > 1 or run.args.kw_defaults.count(None):
        return (Problem("run must need one argument only, the inputs.", **where),)
    return ()


def _import_warnings(tree: ast.Module) -> tuple[Problem, ...]:
    warnings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.partition(".")[0]
            if top not in sys.stdlib_module_names:
                warnings.append(
                    Problem(
                        f"{top} is not in Python's standard library; the sandbox has "
                        "nothing else, so this import will fail when the task runs.",
                        node.lineno,
                        node.col_offset + 1,
                    )
                )
    return tuple(warnings)
