"""The `ticketflower` console script."""

from __future__ import annotations

from click.testing import CliRunner

from tf_events.commands import RegisterUser
from tf_web.cli import main


def test_create_admin_makes_a_user_who_can_sign_in_as_admin(system, client, monkeypatch):
    monkeypatch.setenv("TF_DATABASE_URL", system.database_url)
    result = CliRunner().invoke(
        main, ["create-admin", "root", "--password-stdin"], input="long enough\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created user root" in result.output

    assert client.login("root", "long enough").status_code == 302
    assert client.get("/admin/users").status_code == 200


def test_creating_a_taken_username_fails_with_a_clear_message(system, monkeypatch):
    monkeypatch.setenv("TF_DATABASE_URL", system.database_url)
    system.app.handle(RegisterUser("root", "long enough"))
    result = CliRunner().invoke(
        main, ["users", "create", "root", "--password-stdin"], input="long enough\n"
    )
    assert result.exit_code == 1
    assert "already taken" in result.output


def test_rebuild_reports_what_it_replayed(system, monkeypatch):
    monkeypatch.setenv("TF_DATABASE_URL", system.database_url)
    system.app.handle(RegisterUser("alice", "long enough"))
    result = CliRunner().invoke(main, ["projections", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "users: rebuilt from 1 events" in result.output


def test_automation_status_says_the_sandbox_works_and_what_waits(system, monkeypatch):
    monkeypatch.setenv("TF_DATABASE_URL", system.database_url)
    result = CliRunner().invoke(main, ["automation", "status"])
    assert result.exit_code == 0, result.output
    assert "sandbox:   works" in result.output
    assert "queue:     0 due now, 0 waiting to retry" in result.output
