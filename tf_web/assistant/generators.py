"""Which generators this process offers (from the environment, read once)."""

from __future__ import annotations

import os
from functools import cache

from tf_assistant.registry import available_generators, generator_named
from tf_events.assistant.generator import Generator


@cache
def offered() -> dict[str, Generator]:
    return available_generators(os.environ)


def default_generator() -> Generator:
    return generator_named(None, os.environ)


def chosen(name: str | None) -> Generator:
    """The generator called `name` if it is offered here, else the default."""
    return offered().get(name or "") or default_generator()
