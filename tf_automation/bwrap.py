"""The bubblewrap command line: what the sandbox can see. Only a read-only Python (its
binary, its standard library, the shared libraries it loads) and a small private tmpfs;
no project, no data folder, no /etc, no /proc, no network, no environment."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# The only writable place: a tmpfs of this size, gone with the sandbox.
SCRATCH_BYTES = 16 * 1024 * 1024
_PROBE = (
    "import json, sys, sysconfig; print(json.dumps([sys.executable,"
    " sysconfig.get_path('stdlib'), sysconfig.get_path('platstdlib'),"
    " sysconfig.get_config_var('MULTIARCH') or '']))"
)


class PythonNotFound(Exception):
    """The sandbox's Python is missing or broken: nothing can run."""


@dataclass(frozen=True)
class SandboxPython:
    """A Python outside the project, shown read-only inside the sandbox at the same paths."""

    executable: str
    directories: tuple[str, ...]  # the standard library and the shared libraries


@cache
def find_python(path: str) -> SandboxPython:
    """Ask `path` where its standard library lives (once per process). Its site-packages
    are never shown: the code gets the standard library only."""
    executable = os.path.realpath(path)
    try:
        answer = subprocess.run(  # noqa: S603 - our own probe
            [executable, "-I", "-S", "-c", _PROBE],
            capture_output=True,
            timeout=30,
            check=True,
            env={},
        )
        _, stdlib, platstdlib, multiarch = json.loads(answer.stdout)
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        raise PythonNotFound(f"The sandbox's Python {path} cannot start: {error}") from error
    prefix = Path(executable).parent.parent  # /usr/bin/python3.11 → /usr
    libraries = [prefix / "lib" / multiarch, prefix / "lib64"] if multiarch else []
    directories = dict.fromkeys([stdlib, platstdlib, *map(str, libraries)])
    return SandboxPython(executable, tuple(d for d in directories if os.path.isdir(d)))


def command(bwrap: str, python: SandboxPython, runner: str, result_fd: int) -> list[str]:
    """`bwrap … python -c runner result_fd`, run by the caller under its resource limits."""
    binds = [python.executable, *python.directories]
    if os.path.exists("/usr/share/zoneinfo"):  # so zoneinfo can name time zones
        binds.append("/usr/share/zoneinfo")
    args = [
        bwrap,
        "--unshare-all",  # user, pid, network, ipc, uts, cgroup: nothing shared
        "--unshare-user",
        "--disable-userns",  # and no nested namespaces for the code to build
        "--die-with-parent",
        "--as-pid-1",  # the runner is the namespace's init: no extra process, no orphan
        "--clearenv",
        "--hostname",
        "sandbox",
    ]
    for path in binds:
        args += ["--ro-bind", path, path]
    args += _loader_links()
    args += ["--dev", "/dev", "--remount-ro", "/dev"]
    # The sandbox's own /tmp, not the host's.
    args += ["--size", str(SCRATCH_BYTES), "--tmpfs", "/tmp"]  # noqa: S108
    args += ["--remount-ro", "/", "--chdir", "/tmp"]  # noqa: S108
    # -I: no environment, no user site, no script directory; -S: no site at all; -B: the
    # standard library is read-only anyway; -X utf8: whatever the (absent) locale says.
    args += ["--", python.executable, "-I", "-S", "-B", "-X", "utf8", "-c", runner]
    return [*args, str(result_fd)]


def _loader_links() -> list[str]:
    """/lib and /lib64 as the host has them (merged /usr: links; else read-only dirs), so
    the dynamic loader and the C library are found at the paths the binary names."""
    args = []
    for path in ("/lib", "/lib64"):
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    return args
