"""The check that the tickets read tables agree with a fresh replay of the event store."""

from __future__ import annotations

import pytest

from tests.samples import definition_set
from tf_events.commands import CommentOnTicket, ImportDefinitionSet, SubmitTicket
from tf_projections.comment_digest import READ_DIGEST, digest
from tf_projections.ticket_agreement import check_all, comment_rows, differences
from tf_projections.waiting import wait_for

SAM = {"id": "337ff5b2-f5b8-5bfb-9ba6-5020f90a3a7e", "username": "sam"}


@pytest.fixture
def ticket(system, workers):
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(definition_set(), by="dana")), 5)
    _, written = system.app.handle(
        SubmitTicket(
            submission_key="t1",
            ticket_type_key="laptop-request",
            data={"summary": "Laptop"},
            submitter=SAM,
            user_roles=frozenset(),
        )
    )
    wait_for(system.pool, system.app.handle(CommentOnTicket(written.aggregate_id, SAM, "Hi")), 5)
    return written.aggregate_id


def tamper(system, sql: str, ticket_id) -> None:
    with system.pool.connection() as conn:
        conn.execute(sql, (ticket_id,))


def test_tables_built_by_the_projection_agree(system, ticket):
    assert differences(system.app, system.pool, ticket) == []
    assert check_all(system.app, system.pool).agrees


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("UPDATE tickets SET status = 'COMPLETED' WHERE id = %s", "tickets.status"),
        ("UPDATE tickets SET data = '{}' WHERE id = %s", "tickets.data"),
        ("UPDATE ticket_tasks SET assignee = 'eve' WHERE ticket_id = %s", "ticket_tasks"),
        ("UPDATE ticket_comments SET text = 'Bye' WHERE ticket_id = %s", "ticket_comments"),
        (
            "UPDATE ticket_comments SET created_at = created_at + interval '1 microsecond'"
            " WHERE ticket_id = %s",
            "ticket_comments",
        ),
        ("DELETE FROM ticket_comments WHERE ticket_id = %s", "ticket_comments"),
        ("DELETE FROM tickets WHERE id = %s", "has no row"),
    ],
)
def test_any_edited_row_is_a_difference(system, ticket, sql, named):
    tamper(system, sql, ticket)
    assert named in " ".join(differences(system.app, system.pool, ticket))
    assert not check_all(system.app, system.pool).agrees


def test_rows_for_a_ticket_the_event_store_never_had_are_found(system, ticket):
    tamper(
        system,
        "UPDATE ticket_tasks SET ticket_id = gen_random_uuid() WHERE ticket_id = %s"
        " AND position = 1",
        ticket,
    )
    agreement = check_all(system.app, system.pool)
    assert agreement.checked == 2
    [(_, found)] = [item for item in agreement.differences.items() if item[0] != ticket]
    assert found == ["the read tables hold rows for a ticket the event store does not have"]


def test_a_read_model_that_is_merely_behind_is_not_called_wrong(system, ticket, workers):
    for worker in workers:
        worker.stop()
    for worker in workers:
        worker.join(timeout=10)
    system.app.handle(CommentOnTicket(ticket, SAM, "Not projected yet"))
    assert differences(system.app, system.pool, ticket) == []


def test_the_database_digests_comment_rows_as_python_does(system, ticket):
    for text in ("a:b\nc:1", "Ünïcødé 🌸 — 'quoted' \\ back", "x" * 5000):
        written = system.app.handle(CommentOnTicket(ticket, SAM, text))
    wait_for(system.pool, written, 5)
    with system.pool.connection() as conn:
        [(in_the_database,)] = conn.execute(READ_DIGEST, (ticket,)).fetchall()
    rows = comment_rows(system.pool, ticket)
    assert len(rows) == 4
    assert in_the_database == digest(rows)
    assert digest(rows[:-1]) != in_the_database
    assert differences(system.app, system.pool, ticket) == []
