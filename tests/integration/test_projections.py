"""Projection workers: read-your-writes, rebuilds, restarts and poison events."""

from __future__ import annotations

import json
import time
import uuid

import psycopg
import pytest
from eventsourcing.utils import get_topic

from tests.report_history import record_history
from tf_events.commands import (
    ArchiveDefinition,
    ChangeRoles,
    CommentOnTicket,
    CreateApiToken,
    DeactivateUser,
    ImportDefinitionSet,
    RegisterUser,
    RestoreDefinition,
    RevokeApiToken,
    SubmitTicket,
)
from tf_events.users import User
from tf_projections import worker as worker_module
from tf_projections.rebuild import rebuild
from tf_projections.registry import READ_MODELS
from tf_projections.reports import ReportsReadModel
from tf_projections.status import projection_status
from tf_projections.users import UsersReadModel
from tf_projections.waiting import (
    ProjectionsLagging,
    wait_for,
    wait_for_positions,
    wait_until_caught_up,
)
from tf_projections.worker import start_workers


def user_rows(system) -> list[tuple]:
    with system.pool.connection() as conn:
        return conn.execute("SELECT * FROM users ORDER BY id").fetchall()


def run_workers(system):
    return start_workers(
        list(READ_MODELS),
        system.app.recorder,
        system.app.mapper,
        system.pool,
        system.database_url,
    )


def stop(workers) -> None:
    for worker in workers:
        worker.stop()
    for worker in workers:
        worker.join(timeout=10)


def test_a_write_is_in_the_read_table_as_soon_as_the_wait_returns(system, workers):
    for i in range(20):
        written = system.app.handle(RegisterUser(f"user{i}", "long enough", roles=["auditor"]))
        wait_for(system.pool, written, timeout=5)
        with system.pool.connection() as conn:
            row = conn.execute(
                "SELECT username, roles FROM users WHERE id = %s", (written.aggregate_id,)
            ).fetchone()
        assert row == (f"user{i}", ["auditor"])


def test_waiting_without_a_worker_gives_up_after_the_bound(system):
    written = system.app.handle(RegisterUser("alice", "long enough"))
    with pytest.raises(ProjectionsLagging, match="users"):
        wait_for(system.pool, written, timeout=0.2)


def make_history(system) -> None:
    for i in range(12):
        user_id = system.app.handle(RegisterUser(f"person{i}", "long enough")).aggregate_id
        if i % 3 == 0:
            system.app.handle(ChangeRoles(user_id, ["designer", "auditor"], changed_by="admin"))
        if i % 4 == 0:
            system.app.handle(DeactivateUser(user_id, changed_by="admin"))


def test_a_rebuild_from_the_log_gives_identical_rows(system, workers):
    make_history(system)
    last = system.app.handle(RegisterUser("last", "long enough"))
    wait_for(system.pool, last, timeout=5)
    before = user_rows(system)

    replayed = rebuild(UsersReadModel, system.app, system.pool)

    assert replayed == system.app.recorder.max_notification_id()
    assert user_rows(system) == before
    assert projection_status(system.pool, UsersReadModel).lag == 0


def test_readers_keep_the_old_rows_while_a_rebuild_replays(system, workers):
    make_history(system)
    wait_for(system.pool, system.app.handle(RegisterUser("last", "long enough")), timeout=5)
    before = user_rows(system)
    seen_meanwhile = []

    def meanwhile(_replayed: int) -> None:
        with psycopg.connect(system.database_url, autocommit=True) as reader:
            reader.execute("SET lock_timeout = '1s'")  # a reader blocked by the rebuild fails
            seen_meanwhile.append(reader.execute("SELECT count(*) FROM users").fetchone()[0])

    rebuild(UsersReadModel, system.app, system.pool, on_page=meanwhile)

    assert seen_meanwhile == [len(before)]
    assert user_rows(system) == before


def test_events_recorded_after_the_replay_are_applied_before_the_swap(system, workers, monkeypatch):
    from tf_projections import rebuild as rebuild_module

    make_history(system)
    replay = rebuild_module._replay

    def replay_then_register(*args, **kwargs):
        replayed = replay(*args, **kwargs)
        wait_for(system.pool, system.app.handle(RegisterUser("late", "long enough")), timeout=5)
        return replayed

    monkeypatch.setattr(rebuild_module, "_replay", replay_then_register)
    rebuild(UsersReadModel, system.app, system.pool)

    assert "late" in [row[1] for row in user_rows(system)]
    assert projection_status(system.pool, UsersReadModel).lag == 0


def test_two_rebuilds_at_once_take_turns_and_lose_nothing(system, workers):
    from concurrent.futures import ThreadPoolExecutor

    make_history(system)
    wait_for(system.pool, system.app.handle(RegisterUser("last", "long enough")), timeout=5)
    before = user_rows(system)
    with ThreadPoolExecutor(2) as pool:
        runs = [pool.submit(rebuild, UsersReadModel, system.app, system.pool) for _ in range(2)]
        every_event = system.app.recorder.max_notification_id()
        assert [run.result() for run in runs] == [every_event] * 2

    assert user_rows(system) == before


def test_a_read_model_whose_schema_changed_is_rebuilt_when_a_process_starts(system, workers):
    from tf_system.bootstrap import ensure_schema

    make_history(system)
    wait_for(system.pool, system.app.handle(RegisterUser("last", "long enough")), timeout=5)
    before = user_rows(system)
    with system.pool.connection() as conn:  # as if built by an older schema file
        conn.execute("ALTER TABLE users DROP COLUMN display_name")
        conn.execute("UPDATE read_model_schemas SET schema_hash = 'old' WHERE projection = 'users'")

    ensure_schema(system.database_url, system.app)

    assert user_rows(system) == before


def test_a_worker_restarted_mid_stream_resumes_without_loss_or_duplication(system, monkeypatch):
    apply_registration = UsersReadModel.user_registered

    def slowly(self, cur, event):  # so that the stop lands mid-stream
        time.sleep(0.005)
        apply_registration(self, cur, event)

    monkeypatch.setattr(UsersReadModel, "user_registered", slowly)
    monkeypatch.setattr(worker_module, "BATCH_SIZE", 10)
    early = [system.app.handle(RegisterUser(f"early{i}", "long enough")) for i in range(100)]
    first = run_workers(system)
    wait_for(system.pool, early[19], timeout=10)
    stop(first)
    stopped_at = projection_status(system.pool, UsersReadModel).position
    assert early[19].positions[0][0] <= stopped_at < early[-1].positions[0][0]

    for i in range(30):
        system.app.handle(
            ChangeRoles(system.app.user_id_for(f"early{i}"), ["auditor"], changed_by="x")
        )
        written = system.app.handle(RegisterUser(f"late{i}", "long enough"))
    second = run_workers(system)
    try:
        wait_for(system.pool, written, timeout=10)
    finally:
        stop(second)

    status = projection_status(system.pool, UsersReadModel)
    assert (status.lag, status.failures) == (0, 0)
    assert len(user_rows(system)) == 130
    with system.pool.connection() as conn:
        changed = conn.execute(
            "SELECT count(*) FROM users WHERE username LIKE 'early%%'"
            " AND roles = ARRAY['auditor'] AND version = 3"  # RolesChanged, SessionsEnded
        ).fetchone()
    assert changed == (30,)


def insert_raw_event(system, topic: str, state: dict) -> None:
    with system.pool.connection() as conn:
        conn.execute(
            "INSERT INTO ticketflower_events (originator_id, originator_version, topic, state)"
            " VALUES (%s, 1, %s, %s)",
            (uuid.uuid4(), topic, json.dumps(state).encode()),
        )


def test_a_poison_event_is_recorded_and_skipped_and_the_worker_goes_on(system, workers):
    # A Registered event missing most of its fields: the handler cannot apply it.
    insert_raw_event(system, get_topic(User.Registered), {"username": "half"})
    # And one whose class no longer exists.
    insert_raw_event(system, get_topic(User.Registered).replace("Registered", "Vanished"), {})
    written = system.app.handle(RegisterUser("after", "long enough"))

    wait_for(system.pool, written, timeout=5)

    assert [row[1] for row in user_rows(system)] == ["after"]
    status = projection_status(system.pool, UsersReadModel)
    assert status.failures == 1
    assert status.lag == 0
    assert "User.Registered" in (status.last_failure or "")


def test_a_pipelined_read_model_sets_aside_a_poison_event_between_good_ones(system):
    from tests.samples import definition_set
    from tf_events.tickets.aggregate import Ticket
    from tf_projections.tickets import TicketsReadModel

    system.app.handle(ImportDefinitionSet(definition_set(), by="dana"))
    user = {"id": str(uuid.uuid4()), "username": "sam"}

    def submit(key: str):
        return system.app.handle(
            SubmitTicket(
                submission_key=key,
                ticket_type_key="laptop-request",
                data={"summary": key},
                submitter=user,
                user_roles=frozenset(),
            )
        )[1]

    submit("before")
    # A submission whose reference collides with the first ticket's: the unique index
    # refuses it, in the middle of a pipelined batch.
    with system.pool.connection() as conn:
        state = conn.execute(
            "SELECT state FROM ticketflower_events WHERE topic = %s",
            (get_topic(Ticket.Submitted),),
        ).fetchone()[0]
    insert_raw_event(system, get_topic(Ticket.Submitted), json.loads(state))
    written = submit("after")
    running = run_workers(system)
    try:
        wait_for(system.pool, written, timeout=5)
    finally:
        stop(running)

    with system.pool.connection() as conn:
        summaries = [r[0] for r in conn.execute("SELECT summary FROM tickets ORDER BY number")]
    assert summaries == ["before", "after"]
    assert projection_status(system.pool, TicketsReadModel).failures == 1


def all_rows(system) -> dict[str, list[tuple]]:
    with system.pool.connection() as conn:
        return {
            # The whole row breaks ties: pre-aggregated tables share their first columns.
            table: conn.execute(f"SELECT * FROM {table} AS t ORDER BY 1, 2, t::text").fetchall()
            for model in READ_MODELS
            for table in model.tables
        }


def converse_and_accept(system) -> None:
    from tf_assistant.offline.generator import OfflineGenerator
    from tf_events.assistant.generator import Document
    from tf_events.assistant.turn import take_turn
    from tf_events.commands import AcceptDraft, StartConversation

    app = system.app
    conversation_id = app.handle(StartConversation("offline", by="dana")).aggregate_id
    form = Document("jobs.md", "# Odd jobs\nName*: ____\nWhat needs doing?: ____")
    take_turn(app, conversation_id, "A form", [form], generator=OfflineGenerator(), by="dana")
    wait_for(system.pool, app.handle(AcceptDraft(conversation_id, by="dana")), 5)


def register_a_webhook(system):
    """A webhook registered, changed, rotated and disabled: every event its table reads."""
    from tf_events.policy import Actor
    from tf_notifications.webhooks import service

    admin = Actor(uuid.uuid4(), frozenset({"admin"}), "ada")
    settings = {"ticket_types": [], "event_kinds": ["ticket.closed"], "allow_private": True}
    written, _ = service.register_webhook(
        system.app, admin, key="hook", name="Shop", url="http://127.0.0.1:8200/", **settings
    )
    service.change_webhook(
        system.app,
        admin,
        written.aggregate_id,
        name="Shop",
        url="http://127.0.0.1:8201/",
        **settings,
    )
    service.rotate_webhook_secret(system.app, admin, written.aggregate_id)
    return service.set_webhook_enabled(system.app, admin, written.aggregate_id, False)


def publish_and_take_a_public_ticket(system) -> None:
    from datetime import date

    from tf_events.commands import PublishTicketType, SubmitPublicTicket, UnpublishTicketType
    from tf_events.policy import Actor

    dana = Actor(system.app.user_id_for("person1"), frozenset({"designer"}), "person1")
    system.app.handle(PublishTicketType("laptop-request", ["https://a.example"], [], 5, dana))
    system.app.handle(UnpublishTicketType("laptop-request", dana))
    system.app.handle(PublishTicketType("laptop-request", ["https://b.example"], [], 9, dana))
    public = SubmitPublicTicket(
        submission_key="public:n1",
        ticket_type_key="laptop-request",
        data={"summary": "From the website"},
        version=None,
        contact={"name": "Ana", "email": "ana@example.com"},
        day=date(2026, 11, 30),
        status_token_hash="ab" * 32,
    )
    wait_for(system.pool, system.app.handle(public).written, 5)


def test_every_read_model_rebuilds_to_identical_rows(system, workers):
    from tests.samples import definition_set
    from tf_events.definitions.format import Kind

    make_history(system)
    system.app.handle(ImportDefinitionSet(definition_set(), by="dana"))
    system.app.handle(ArchiveDefinition(Kind.TASK, "triage", by="dana"))
    system.app.handle(RestoreDefinition(Kind.TASK, "triage", by="dana"))
    person = system.app.user_id_for("person1")
    system.app.handle(CreateApiToken(person, "script"))
    system.app.handle(CreateApiToken(person, "old script"))
    system.app.handle(RevokeApiToken(person, system.app.get_user(person).api_tokens.popitem()[0]))
    user = {"id": str(person), "username": "person1"}
    for i in range(5):
        _, written = system.app.handle(
            SubmitTicket(
                submission_key=f"t{i}",
                ticket_type_key="laptop-request",
                data={"summary": f"Laptop {i}"},
                submitter=user,
                user_roles=frozenset(),
            )
        )
    ticket_id = written.aggregate_id
    written = system.app.handle(CommentOnTicket(ticket_id, by=user, text="Any news?"))
    wait_for(system.pool, written, 5)
    # Tickets worked to closed, software runs included; writes never wait for the reports.
    wait_for_positions(system.pool, {ReportsReadModel: record_history(system.app)}, 10)
    converse_and_accept(system)
    from tf_events.commands import SetNotificationPreferences

    choice = SetNotificationPreferences(person, "p1@example.com", {"closed": "digest"})
    wait_for(system.pool, system.app.handle(choice), 5)
    wait_for(system.pool, register_a_webhook(system), 5)
    publish_and_take_a_public_ticket(system)
    wait_until_caught_up(system.pool, READ_MODELS, 10)
    before = all_rows(system)
    assert all(before.values()), "every table has rows to compare"

    for model in READ_MODELS:
        rebuild(model, system.app, system.pool)

    assert all_rows(system) == before
