"""How much a software task's code may use: the designer picks, within maxima."""

from __future__ import annotations

from dataclasses import dataclass, fields


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


# (minimum, maximum). Python itself needs about 30 MB of address space to start.
RANGES: dict[str, tuple[float, float]] = {
    "cpu_seconds": (1, 30),  # enforced in whole seconds, rounded up
    "wall_seconds": (1, 60),  # a start takes ~30 ms of CPU, far longer on a busy machine
    "memory_mb": (64, 2048),
    "output_kb": (1, 1024),
}
