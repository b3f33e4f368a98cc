"""Generators are chosen by name; a third party adds one through an entry point."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from tf_assistant import registry
from tf_assistant.registry import UnknownGenerator, generator_named
from tf_events.assistant.generator import Reply


class EchoGenerator:
    """A third party's generator, as its package would register it."""

    name = "echo"
    title = "Echo"

    @classmethod
    def from_env(cls, env):
        return cls()

    def respond(self, conversation, draft, check, progress):
        return Reply(conversation.last_user_text, draft)


def test_the_offline_generator_is_the_default():
    assert generator_named(None, {}).name == "offline"


def test_tf_generator_names_the_generator():
    env = {"TF_GENERATOR": "ai", "TF_AI_BASE_URL": "http://127.0.0.1:9/v1", "TF_AI_MODEL": "m"}
    assert generator_named(None, env).name == "ai"


def test_an_unconfigured_or_unknown_generator_is_refused_by_name():
    with pytest.raises(UnknownGenerator, match="No generator 'ai' is available here"):
        generator_named(None, {"TF_GENERATOR": "ai"})


def test_a_third_party_generator_comes_in_through_the_entry_point_group(monkeypatch):
    point = EntryPoint("echo", f"{__name__}:EchoGenerator", registry.GROUP)
    real = registry.entry_points
    monkeypatch.setattr(
        registry,
        "entry_points",
        lambda group: [*real(group=group), point] if group == registry.GROUP else [],
    )
    assert isinstance(generator_named("echo", {}), EchoGenerator)
