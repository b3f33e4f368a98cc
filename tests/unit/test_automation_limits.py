"""The limits a software task may set, within the system's maxima."""

from __future__ import annotations

import pytest

from tf_automation import LimitOutOfRange, Limits
from tf_automation.limits import RANGES


def test_the_defaults_are_within_their_ranges():
    defaults = Limits()
    for name, (low, high) in RANGES.items():
        assert low <= getattr(defaults, name) <= high


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("cpu_seconds", 0),
        ("cpu_seconds", 31),
        ("wall_seconds", 61),
        ("memory_mb", 32),
        ("memory_mb", 4096),
        ("output_kb", 0),
        ("output_kb", 2048),
    ],
)
def test_a_limit_outside_its_range_is_refused_with_the_range(name, value):
    with pytest.raises(LimitOutOfRange, match=rf"{name} must be between"):
        Limits(**{name: value})


@pytest.mark.parametrize("value", ["5", None, True])
def test_a_limit_must_be_a_number(value):
    with pytest.raises(LimitOutOfRange, match="must be a number"):
        Limits(cpu_seconds=value)
