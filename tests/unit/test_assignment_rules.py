"""The assignment rules choose among those who may do the task, the same way every time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from tf_events.tickets.assignment import AssignmentRule, Candidate, ranked

TEAM = frozenset({"ticket_team"})


def person(name: str, *, roles=TEAM, open_tasks: int = 0, given: int | None = None) -> Candidate:
    return Candidate(
        id=uuid.uuid5(uuid.NAMESPACE_DNS, name),
        username=name,
        roles=frozenset(roles),
        open_tasks=open_tasks,
        last_given=None if given is None else datetime(2026, 11, given, tzinfo=UTC),
    )


def names(found: list[Candidate]) -> list[str]:
    return [c.username for c in found]


def test_manual_chooses_nobody():
    assert ranked(AssignmentRule.MANUAL, [person("tess")], ()) == []


def test_round_robin_prefers_who_never_had_the_task_then_who_had_it_longest_ago():
    team = [person("tess", given=20), person("dan", given=3), person("zoe"), person("amy", given=9)]
    assert names(ranked(AssignmentRule.ROUND_ROBIN, team, ())) == ["zoe", "dan", "amy", "tess"]


def test_round_robin_ignores_how_busy_people_are():
    team = [person("tess", open_tasks=9, given=1), person("dan", open_tasks=0, given=2)]
    assert names(ranked(AssignmentRule.ROUND_ROBIN, team, ())) == ["tess", "dan"]


def test_least_busy_prefers_the_fewest_open_tasks_then_the_longest_wait_for_this_task():
    team = [
        person("tess", open_tasks=1),
        person("dan", open_tasks=3),
        person("amy", open_tasks=1, given=4),
        person("bob", open_tasks=1, given=2),
    ]
    assert names(ranked(AssignmentRule.LEAST_BUSY, team, ())) == ["tess", "bob", "amy", "dan"]


def test_ties_go_to_the_alphabetically_first_username_whatever_the_order_read():
    team = [person("zoe"), person("amy"), person("max")]
    for rule in (AssignmentRule.ROUND_ROBIN, AssignmentRule.LEAST_BUSY):
        assert names(ranked(rule, team, ())) == ["amy", "max", "zoe"]
        assert names(ranked(rule, list(reversed(team)), ())) == ["amy", "max", "zoe"]


def test_only_people_whose_roles_the_task_admits_are_chosen():
    team = [
        person("tess", open_tasks=5),
        person("dan", roles={"ticket_team", "dispatcher"}, open_tasks=7),
        person("ada", roles={"admin"}),  # not on the ticket team: may not claim
    ]
    assert names(ranked(AssignmentRule.LEAST_BUSY, team, ("dispatcher",))) == ["dan"]
    assert names(ranked(AssignmentRule.LEAST_BUSY, team, ())) == ["tess", "dan"]


def test_nobody_eligible_means_no_choice():
    assert ranked(AssignmentRule.ROUND_ROBIN, [], ()) == []
    assert ranked(AssignmentRule.LEAST_BUSY, [person("ada", roles={"admin"})], ()) == []
