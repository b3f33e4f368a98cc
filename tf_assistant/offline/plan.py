"""What the offline generator understands of a document: a title, the submission form's
sections of fields, and the workflow's tasks with the fields each fills. Chat edits
change a Plan; the definition set is always built from it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

NAME_LIMIT = 50


@dataclass
class FieldPlan:
    name: str
    label: str
    type: str = "text"
    required: bool = False
    options: list[str] = field(default_factory=list)
    help: str = ""


@dataclass
class Section:
    title: str
    fields: list[FieldPlan] = field(default_factory=list)


@dataclass
class TaskPlan:
    name: str
    description: str = ""
    outputs: list[FieldPlan] = field(default_factory=list)


@dataclass
class Plan:
    title: str
    description: str = ""
    sections: list[Section] = field(default_factory=list)
    tasks: list[TaskPlan] = field(default_factory=list)

    @property
    def form_fields(self) -> list[FieldPlan]:
        return [f for section in self.sections for f in section.fields]

    @property
    def all_fields(self) -> list[FieldPlan]:
        return [*self.form_fields, *(f for task in self.tasks for f in task.outputs)]

    def unique_name(self, label: str) -> str:
        base = identifier(label)
        taken = {f.name for f in self.all_fields}
        name, n = base, 2
        while name in taken:
            name = f"{base[: NAME_LIMIT - 3]}_{n}"
            n += 1
        return name


def ascii_words(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", folded.lower()).strip()


def identifier(label: str) -> str:
    """A field name from a label: "Customer's e-mail *" → "customer_s_e_mail"."""
    words = ascii_words(label).split()
    name = "_".join(words)[:NAME_LIMIT].strip("_") or "field"
    return name if name[0].isalpha() else f"f_{name}"[:NAME_LIMIT]


def slug(text: str, limit: int = 40) -> str:
    words = ascii_words(text).split()
    value = "-".join(words)[:limit].strip("-")
    return value if len(value) >= 2 else f"{value or 'x'}-form"
