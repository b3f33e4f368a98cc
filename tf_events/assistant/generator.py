"""The generator interface: what every definition generator takes and returns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

Draft = dict[str, Any]  # a `ticketflower.definition-set/1` set, layouts as sources
Errors = dict[str, list[str]]
# Checks a draft as an import would, saving nothing: errors by path ({} when it is good).
Check = Callable[[Draft], Errors]
# Tells the person what is happening while a turn runs ("fixing a compile error (1/2)…").
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Document:
    name: str
    text: str


@dataclass(frozen=True)
class Message:
    role: str  # "user" or "assistant"
    text: str
    attachments: tuple[str, ...] = ()  # names of the documents sent with this message


@dataclass(frozen=True)
class Conversation:
    messages: tuple[Message, ...] = ()
    documents: tuple[Document, ...] = ()

    @property
    def last_user_text(self) -> str:
        return next((m.text for m in reversed(self.messages) if m.role == "user"), "")


@dataclass(frozen=True)
class Reply:
    text: str
    draft: Draft | None  # None: no draft yet (or the previous one stands)
    errors: Errors = field(default_factory=dict)  # the check's verdict on `draft`


class Generator(Protocol):
    """Answers one user turn. Generators never save anything: only Accept does."""

    name: str
    title: str

    def respond(
        self, conversation: Conversation, draft: Draft | None, check: Check, progress: Progress
    ) -> Reply: ...


class GeneratorFactory(Protocol):
    """What the registry (and an entry point) names: it builds its generator from the
    settings, or returns None when it is not configured here (then it is not offered)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Generator | None: ...
