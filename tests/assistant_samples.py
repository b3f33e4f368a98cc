"""The three sample documents under tests/data/ and their hand-labelled expectations."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"
SAMPLES = ("equipment-request.md", "flower-order.docx", "maintenance-procedure.pdf")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    wrong: dict[str, tuple[str, str | None]]  # expected name → (expected type, generated)


def sample_bytes(name: str) -> bytes:
    return (DATA / name).read_bytes()


def expected(name: str) -> dict:
    return json.loads((DATA / f"{name.rsplit('.', 1)[0]}.expected.json").read_text())


def score(name: str, workflow_fields: list[dict]) -> Score:
    """A field counts when its name and type are both those of the hand-labelled list."""
    wanted: dict[str, str] = expected(name)["fields"]
    got = {f["name"]: f["type"] for f in workflow_fields}
    right = [n for n, kind in wanted.items() if got.get(n) == kind]
    wrong = {n: (kind, got.get(n)) for n, kind in wanted.items() if got.get(n) != kind}
    return Score(len(right) / max(len(got), 1), len(right) / len(wanted), wrong)
