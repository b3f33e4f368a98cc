"""Automatic assignment: which team member a task goes to when it opens, by the rule its
definition names. The rules are pure; the candidates come through a port (`Candidates`)
that reads who is active, not away, and how busy, from the read tables."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from tf_events.policy import Action, Actor, may
from tf_events.tickets.workflow import Person

# Who the events name as having assigned a task by rule: no account, so nobody signs in
# as it, and History reads "automatic assignment".
AUTOMATIC = Person(UUID("00000000-0000-5000-8000-00000000a551"), "automatic assignment")


class AssignmentRule(StrEnum):
    MANUAL = "manual"  # the task waits in the queue for a claim or a dispatcher
    ROUND_ROBIN = "round_robin"  # whoever was given this task least recently
    LEAST_BUSY = "least_busy"  # whoever holds the fewest open tasks

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS = {
    AssignmentRule.MANUAL: "Manual: it waits in the queue",
    AssignmentRule.ROUND_ROBIN: "Round robin: take turns",
    AssignmentRule.LEAST_BUSY: "Least busy: fewest open tasks",
}


@dataclass(frozen=True)
class Candidate:
    """An active team member who is not away, with what the rules weigh."""

    id: UUID
    username: str
    roles: frozenset[str]
    open_tasks: int = 0  # OPEN or ERROR tasks assigned to them, of any kind
    last_given: datetime | None = None  # when they last got a task of this key

    @property
    def person(self) -> Person:
        return Person(self.id, self.username)


class Candidates(Protocol):
    def __call__(self, task_key: str) -> Sequence[Candidate]:
        """Active users on the ticket team who are not away, with their load and when
        each last got a task of `task_key`."""
        ...


def no_candidates(task_key: str) -> Sequence[Candidate]:
    """Without a read side (tests of the write side alone) nobody is chosen."""
    return ()


def ranked(
    rule: AssignmentRule, candidates: Sequence[Candidate], roles_allowed: Collection[str]
) -> list[Candidate]:
    """Who should get the task, best first, among those who may claim it. Ties go to
    the alphabetically first username, so the same state always gives the same choice."""
    eligible = [
        c
        for c in candidates
        if may(Actor(c.id, c.roles, c.username), Action.CLAIM, roles_allowed=roles_allowed)
    ]
    if rule is AssignmentRule.ROUND_ROBIN:
        return sorted(eligible, key=lambda c: (*_turn(c), c.username))
    if rule is AssignmentRule.LEAST_BUSY:
        return sorted(eligible, key=lambda c: (c.open_tasks, *_turn(c), c.username))
    return []


def _turn(candidate: Candidate) -> tuple[bool, float]:
    """Never given this task comes first, then the longest ago."""
    if candidate.last_given is None:
        return (False, 0.0)
    return (True, candidate.last_given.timestamp())
