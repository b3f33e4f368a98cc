"""The demo: a private PostgreSQL, demo users, and the Procfile's processes under honcho."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

from honcho.environ import expand_processes, parse_procfile
from honcho.manager import Manager

from tf_automation.process import start_automation
from tf_automation.worker import wait_for_runs
from tf_events.application import TicketFlower
from tf_events.commands import CommentOnTicket, ImportDefinitionSet, RegisterUser
from tf_events.errors import UsernameTaken
from tf_events.written import Written
from tf_system.bootstrap import build_system
from tf_system.database import resolve_database_url
from tf_system.demo_history import seed_demo_history
from tf_system.demo_notifications import seed_demo_notifications
from tf_system.demo_public import publish_demo_form
from tf_system.demo_work import seed_demo_stages, submit_demo_ticket
from tf_system.settings import PROJECT_ROOT, Settings

DEMO_PASSWORD = "ticketflower"  # noqa: S105 - printed on start: demo data only
# (username, display name, roles). Demo mode adds the ticket team to everyone.
DEMO_USERS = (
    ("admin", "Ada Admin", ("admin",)),
    ("dana", "Dana Designer", ("designer",)),
    ("tess", "Tess Team", ()),
    ("dora", "Dora Dispatcher", ("dispatcher",)),
    ("audrey", "Audrey Auditor", ("auditor",)),
)
# Someone outside the ticket team: registered with demo mode off.
OUTSIDER = ("sam", "Sam Submitter", ())


DEMO_DEFINITIONS = Path(__file__).parent / "demo_definitions"
DEMO_TICKETS = Path(__file__).parent / "demo_tickets.json"


def seed_demo(settings: Settings) -> None:
    """Demo users, three definition sets, a few waiting tickets, one at each stage of
    its work, and nine weeks of past work for the reports; safe to run again."""
    system = build_system(settings)
    try:
        for username, display_name, roles in DEMO_USERS:
            _register(system.app, username, display_name, roles)
        system.app.default_roles = ()
        _register(system.app, *OUTSIDER)
        seed_demo_notifications(system.app, [name for name, _, _ in (*DEMO_USERS, OUTSIDER)])
        automation = start_automation(system, system.sandbox, settings.automation_concurrency)
        try:
            seed_demo_data(system.app)
            seed_demo_stages(system.app)
            publish_demo_form(system.app)
            wait_for_runs(system.pool, timeout=60)  # the flower orders' software steps
        finally:
            automation.stop()
        # After the live automation stopped: the history runs its own past software steps.
        seed_demo_history(system.app, system.sandbox)
    finally:
        system.close()


def seed_demo_data(app: TicketFlower) -> Written:
    """The demo's definition sets, and a few tickets with comments so the lists and
    histories have something to show. Returns where the last event landed.

    Each ticket has a fixed submission key, so a second run finds the first run's ticket."""
    for path in sorted(DEMO_DEFINITIONS.glob("*.json")):
        written = app.handle(ImportDefinitionSet(json.loads(path.read_text()), by="demo"))
    for spec in json.loads(DEMO_TICKETS.read_text()):
        ticket, written = submit_demo_ticket(app, spec)
        if not written.positions:
            continue  # seeded on an earlier run
        for i, (username, text) in enumerate(spec["comments"]):
            by = {"id": str(app.user_id_for(username)), "username": username}
            written = app.handle(CommentOnTicket(ticket.id, by=by, text=text, key=f"demo:{i}"))
    return written


def _register(app: TicketFlower, username: str, display_name: str, roles: tuple[str, ...]) -> None:
    with contextlib.suppress(UsernameTaken):  # seeded on an earlier run
        app.handle(
            RegisterUser(
                username,
                DEMO_PASSWORD,
                display_name=display_name,
                roles=roles,
                registered_by="demo",
            )
        )


def run_demo(host: str, port: int) -> int:
    base = Settings.from_env()
    settings = replace(base, demo_mode=True, secure_cookies=False)
    url = resolve_database_url(settings)  # starts the embedded server; stopped at exit
    settings = replace(settings, database_url=url)
    seed_demo(settings)

    env = {
        **os.environ,
        "TF_DATABASE_URL": url,
        "TF_DATA_DIR": str(settings.data_dir),
        "TF_DEMO": "1",
        "TF_SECURE_COOKIES": "0",
        "TF_HOST": host,
        "PORT": str(port),
        "TF_BASE_URL": os.environ.get("TF_BASE_URL") or f"http://{host}:{port}",
        "PYTHONUNBUFFERED": "1",
        "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    procfile = parse_procfile((PROJECT_ROOT / "Procfile").read_text())
    processes = {k: v for k, v in procfile.processes.items() if k != "release"}
    manager = Manager()
    for process in expand_processes(processes, env=env):
        manager.add_process(process.name, process.cmd, env=process.env, cwd=str(PROJECT_ROOT))

    logins = ", ".join(name for name, _, _ in (*DEMO_USERS, OUTSIDER))
    print(
        f"\n  TicketFlower is starting at http://{host}:{port}/\n"
        f"  Demo users: {logins} (password: {DEMO_PASSWORD}).\n"
        f"  'admin' manages users; 'dora' dispatches tasks; 'sam' is not on the ticket team.\n"
        f"  Press Ctrl-C to stop everything, PostgreSQL included.\n",
        flush=True,
    )
    manager.loop()
    return manager.returncode or 0
