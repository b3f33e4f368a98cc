"""Software tasks: untrusted Python run in a bubblewrap sandbox, and the save-time check of
its source. The automation worker and the designer's Test run call `CodeRunner.run`."""

from tf_automation.limits import LimitOutOfRange, Limits
from tf_automation.result import Failure, RunResult
from tf_automation.sandbox import BubblewrapSandbox, CodeRunner

__all__ = ["BubblewrapSandbox", "CodeRunner", "Failure", "LimitOutOfRange", "Limits", "RunResult"]
