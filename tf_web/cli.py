"""The `ticketflower` command: users, projections, database and the demo."""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading

import click
from flask.cli import FlaskGroup

from tf_automation.cli import automation
from tf_events.commands import ChangePassword, RegisterUser, SetTemporaryPassword
from tf_events.errors import DomainError
from tf_events.users import Role
from tf_notifications.cli import notifications
from tf_projections.waiting import ProjectionsLagging, wait_for
from tf_system.bootstrap import System, build_system
from tf_system.settings import Settings


def _create_app() -> object:
    from tf_web import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """TicketFlower: tickets and workflows for small businesses."""


def _system() -> System:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return build_system(Settings.from_env())


# -- users -----------------------------------------------------------------------------


@main.group(cls=click.Group)
def users() -> None:
    """Manage users."""


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("create")
@click.argument("username")
@click.option("--display-name", default="")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="Repeat for several roles.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(
    username: str, display_name: str, roles: tuple[str, ...], password_stdin: bool
) -> None:
    """Create a user."""
    system = _system()
    try:
        written = system.app.handle(
            RegisterUser(
                username,
                _password(password_stdin),
                display_name=display_name,
                roles=roles,
                registered_by="cli",
            )
        )
        # Signing in reads the users table: with the projections running, return once
        # it shows the new user.
        wait_for(system.pool, written, timeout=3)
    except DomainError as err:
        raise click.ClickException(err.message) from None
    except ProjectionsLagging:
        click.echo("The user will be able to sign in once the projections run.")
    finally:
        system.close()
    click.echo(f"Created user {username.strip().lower()} ({written.aggregate_id}).")


@users.command("set-password")
@click.argument("username")
@click.option(
    "--temporary",
    is_flag=True,
    help="The user must choose a new password at their next sign-in.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def set_password(username: str, temporary: bool, password_stdin: bool) -> None:
    """Set a user's password. Every session of the user ends."""
    from tf_projections.waiting import ProjectionsLagging, wait_for

    system = _system()
    try:
        user_id = system.app.user_id_for(username)
        password = _password(password_stdin)
        if temporary:
            written = system.app.handle(SetTemporaryPassword(user_id, password, set_by="cli"))
        else:
            written = system.app.handle(ChangePassword(user_id, password))
        # Sessions are checked against the users read table: say so only once it shows it.
        wait_for(system.pool, written, timeout=system.settings.read_your_writes_timeout)
        ended = "their sessions have ended"
    except DomainError as err:
        raise click.ClickException(err.message) from None
    except ProjectionsLagging:
        ended = "their sessions end once the projection workers catch up"
    finally:
        system.close()
    note = " (temporary: to be changed at the next sign-in)" if temporary else ""
    click.echo(f"Password set for {username.strip().lower()}{note}; {ended}.")


@main.command("create-admin", with_appcontext=False)
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def create_admin(ctx: click.Context, username: str, password_stdin: bool) -> None:
    """Create the first admin (or another one)."""
    ctx.invoke(
        create_user,
        username=username,
        display_name="",
        roles=(Role.ADMIN.value,),
        password_stdin=password_stdin,
    )


# -- projections -----------------------------------------------------------------------


@main.group(cls=click.Group)
def projections() -> None:
    """Run, inspect and rebuild the read tables."""


@projections.command("run")
@click.option(
    "--only",
    multiple=True,
    metavar="NAME",
    help="Run only these read models (repeatable), and none of the processes.",
)
@click.option(
    "--without",
    multiple=True,
    metavar="NAME",
    help="Leave these read models out (repeatable), e.g. to run reports apart.",
)
def run_projections(only: tuple[str, ...], without: tuple[str, ...]) -> None:
    """Run every projection worker, and every process, until SIGTERM or Ctrl-C."""
    from tf_processes.registry import PROCESSES, start_processes
    from tf_projections.registry import READ_MODELS, read_model_class
    from tf_projections.worker import start_workers

    try:
        models = [read_model_class(n) for n in only] if only else list(READ_MODELS)
        left_out = {read_model_class(n) for n in without}
    except KeyError as err:
        raise click.BadParameter(str(err.args[0])) from None
    models = [m for m in models if m not in left_out]
    processes = [] if only else PROCESSES
    settings = Settings.from_env()
    system = build_system(settings, app_pool_size=2 + 2 * (len(models) + len(processes)))
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    workers = start_workers(
        models, system.app.recorder, system.app.mapper, system.pool, system.database_url
    )
    if processes:
        workers += start_processes(system.app, system.pool, system.database_url)
    click.echo(f"projection workers running: {', '.join(m.name for m in models)}")
    click.echo(f"processes running: {', '.join(p.name for p in processes) or 'none'}")
    stop.wait()
    for worker in workers:
        worker.stop()
    for worker in workers:
        worker.join(timeout=10)
    system.close()


@projections.command("rebuild")
@click.argument("names", nargs=-1)
def rebuild_projections(names: tuple[str, ...]) -> None:
    """Drop and rebuild read tables from the event log (all of them by default)."""
    from tf_projections.rebuild import rebuild
    from tf_projections.registry import READ_MODELS, read_model_class

    try:
        models = [read_model_class(n) for n in names] if names else list(READ_MODELS)
    except KeyError as err:
        raise click.BadParameter(str(err.args[0])) from None
    system = _system()
    try:
        for model in models:
            count = rebuild(model, system.app, system.pool, progress=True)
            click.echo(f"{model.name}: rebuilt from {count} events")
    finally:
        system.close()


@projections.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def projection_status(as_json: bool) -> None:
    """Show each projection's position, lag and poison events."""
    from tf_projections.status import all_statuses

    system = _system()
    try:
        statuses = all_statuses(system.pool)
    finally:
        system.close()
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in statuses], indent=2))
        return
    click.echo(f"{'projection':<16}{'position':>10}{'head':>10}{'lag':>8}{'failures':>10}")
    for s in statuses:
        click.echo(f"{s.name:<16}{s.position:>10}{s.head:>10}{s.lag:>8}{s.failures:>10}")
        if s.last_failure:
            click.echo(f"  last poison event: {s.last_failure}")


@projections.command("check")
def check_projections() -> None:
    """Check that the tickets and report tables agree with a fresh replay of every ticket."""
    from tqdm import tqdm

    from tf_projections.report_agreement import check_reports
    from tf_projections.ticket_agreement import check_all

    system = _system()
    try:
        with tqdm(desc="tickets", unit="ticket") as bar:
            agreement = check_all(system.app, system.pool, on_progress=lambda _: bar.update())
        with tqdm(desc="reports", unit="ticket") as bar:
            reports = check_reports(system.app, system.pool, on_progress=lambda _: bar.update())
    finally:
        system.close()
    for what, found in [*agreement.differences.items(), *reports.differences.items()]:
        click.echo(f"{what}:")
        for difference in found:
            click.echo(f"  {difference}")
    for name, result in (("tickets", agreement), ("reports", reports)):
        click.echo(
            f"{name}: {result.checked} ticket(s) checked; "
            + (
                "the read tables agree with the event store."
                if result.agrees
                else f"{len(result.differences)} disagree. Run `ticketflower projections rebuild`."
            )
        )
    if not (agreement.agrees and reports.agrees):
        raise SystemExit(1)


# -- components ------------------------------------------------------------------------


@main.group(cls=click.Group)
def components() -> None:
    """Layout component files."""


@components.command("restore")
def restore_components() -> None:
    """Re-create missing component files from the sources recorded in the event log."""
    system = _system()
    try:
        count = system.app.restore_component_files()
    finally:
        system.close()
    click.echo(f"Re-created {count} component file(s) in {system.settings.components_dir}.")


# -- database and demo -----------------------------------------------------------------


@main.group(cls=click.Group)
def db() -> None:
    """Database set-up."""


@db.command("init")
def init_db() -> None:
    """Create the event table and every read table (safe to run again)."""
    _system().close()
    click.echo("Database ready.")


@main.command(with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def demo(host: str, port: int) -> None:
    """Run the whole system with demo users on an embedded PostgreSQL."""
    from tf_system.demo import run_demo

    logging.basicConfig(level=logging.WARNING)
    sys.exit(run_demo(host, port))


main.add_command(automation)
main.add_command(notifications)
