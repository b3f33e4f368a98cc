"""Generators by name: the built-in ones below and any a third-party package registers
under the `ticketflower.generators` entry point group. `TF_GENERATOR` picks the default.
A factory is a class with `from_env(env)` returning the generator, or None when it is
not configured here (then it is not offered)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import Any

from tf_events.assistant.generator import Generator

GROUP = "ticketflower.generators"
BUILT_IN = {
    "offline": "tf_assistant.offline.generator:OfflineGenerator",
    "ai": "tf_assistant.ai.generator:AIGenerator",
}


class UnknownGenerator(LookupError):
    pass


def _load(target: str) -> Any:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def _factories() -> dict[str, Any]:
    found = {name: _load(target) for name, target in BUILT_IN.items()}
    for point in entry_points(group=GROUP):
        if point.name not in found:  # a plug-in cannot replace a built-in generator
            found[point.name] = point.load()
    return found


def available_generators(env: Mapping[str, str]) -> dict[str, Generator]:
    """Every generator that is configured here, by name (unconfigured ones are left out)."""
    offered: dict[str, Generator] = {}
    for name, factory in _factories().items():
        generator = factory.from_env(env)
        if generator is not None:
            offered[name] = generator
    return offered


def generator_named(name: str | None, env: Mapping[str, str]) -> Generator:
    """The generator called `name` (default: TF_GENERATOR, else "offline")."""
    wanted = name or env.get("TF_GENERATOR") or "offline"
    offered = available_generators(env)
    if wanted not in offered:
        known = ", ".join(sorted(offered))
        raise UnknownGenerator(f"No generator '{wanted}' is available here; choose {known}.")
    return offered[wanted]
