"""How much a software task's code may use: the designer picks, within maxima."""

from __future__ import annotations

from dataclasses import dataclass, fields

from tf_events.definitions.software import LIMITS


class LimitOutOfRange(ValueError):
    """A limit outside what the system allows, with the message for the designer."""


@dataclass(frozen=True)
class Limits:
    """Per run. `output_kb` caps the returned JSON and each of stdout and stderr: code that
    sends back more is stopped, so a flood cannot fill the worker's memory or the log."""

    cpu_seconds: float = 2.0
    wall_seconds: float = 5.0
    memory_mb: int = 256
    output_kb: int = 64

    def __post_init__(self) -> None:
        for spec in fields(self):
            low, high = RANGES[spec.name]
            value = getattr(self, spec.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise LimitOutOfRange(f"{spec.name} must be a number.")
            if not low <= value <= high:
                raise LimitOutOfRange(f"{spec.name} must be between {low} and {high}.")


# (minimum, maximum): the task format's, so what a designer may save is what runs.
RANGES: dict[str, tuple[float, float]] = {
    name: (low, high) for name, (low, _, high) in LIMITS.items()
}
