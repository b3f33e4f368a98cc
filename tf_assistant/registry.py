"""Generators by name: the built-in ones and any a third party registers under the
`ticketflower.generators` entry point group. `TF_GENERATOR` picks the default."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import entry_points

from tf_assistant.interface import Generator

GROUP = "ticketflower.generators"
BUILT_IN = {
    "offline": "tf_assistant.offline.generator:OfflineGenerator",
    "ai": "tf_assistant.ai.generator:AIGenerator",
}


class UnknownGenerator(LookupError):
    pass


def _factories() -> dict[str, object]:
    found: dict[str, object] = {}
    for name, target in BUILT_IN.items():
        module, _, attr = target.partition(":")
        found[name] = (module, attr)
    for point in entry_points(group=GROUP):
        found.setdefault(point.name, point)
    return found


def _load(target: object) -> object:
    if isinstance(target, tuple):
        import importlib

        return getattr(importlib.import_module(target[0]), target[1])
    return target.load()  # type: ignore[attr-defined]


def available_generators(env: Mapping[str, str]) -> dict[str, Generator]:
    """Every generator that is configured here, by name (unconfigured ones are left out)."""
    offered: dict[str, Generator] = {}
    for name, target in _factories().items():
        generator = _load(target).from_env(env)  # type: ignore[attr-defined]
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
