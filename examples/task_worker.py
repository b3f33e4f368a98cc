"""An autonomous worker: a program holding an API token that takes the tasks of one kind
from the work queue, does them, and reports each one done.

    TF_TOKEN=... python examples/task_worker.py --url http://127.0.0.1:8000 --task triage

The token's user must be on the ticket team (and hold the task's roles, if it has any):
the API asks the same policy as the pages. Change `do_task` to do the real work.

Each step is safe to repeat: a claim someone else won is skipped (409), and a completion
carries an Idempotency-Key made from the task, so a retry after a lost answer is applied
once. Tasks this worker already holds (it stopped half-way) are finished first.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

import requests

RETRIES = 5


def do_task(api: Api, task: dict[str, Any]) -> dict[str, Any]:
    """The work itself: read the ticket, return the task's outputs (field name → value).
    This example sets a priority from the words of the summary."""
    ticket = api.get(task["ticket_url"])
    summary = ticket.get("summary", "").lower()
    return {"priority": "high" if "urgent" in summary or "broken" in summary else "normal"}


class Api:
    def __init__(self, base: str, token: str) -> None:
        self.base = base.rstrip("/")
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One request, retried while the server is briefly away (503, a dropped line)."""
        url = url if url.startswith("http") else f"{self.base}/api/v1{url}"
        for attempt in range(RETRIES):
            try:
                answer = self.http.request(method, url, timeout=30, **kwargs)
            except requests.ConnectionError:
                answer = None
            if answer is not None and answer.status_code != 503:
                return answer
            wait = int(answer.headers.get("Retry-After", "2")) if answer is not None else 2
            time.sleep(wait * (attempt + 1))
        raise SystemExit(f"{method} {url}: the server stayed unavailable")

    def get(self, url: str, **params: Any) -> Any:
        answer = self.call("GET", url, params=params)
        answer.raise_for_status()
        return answer.json()


def tasks(api: Api, view: str, task_key: str) -> list[dict[str, Any]]:
    """Every task of this kind in the view (queue or mine), oldest first, page by page."""
    found: list[dict[str, Any]] = []
    page = api.get("/tasks", view=view, task=task_key, limit=50)
    found += page["items"]
    while page["next"]:
        page = api.get(page["next"])
        found += page["items"]
    return found


def claim(api: Api, task: dict[str, Any]) -> bool:
    """Take the task; False if someone else took it first (or it is no longer open)."""
    answer = api.call("POST", f"{task['url']}/claim")
    if answer.status_code in (409, 404):
        print(f"  {task['ticket_reference']}: {answer.json().get('error')}", file=sys.stderr)
        return False
    answer.raise_for_status()
    return True


def complete(api: Api, task: dict[str, Any]) -> None:
    """Do the task and report it done; outputs the task refuses are reported as a problem,
    so a dispatcher sees it instead of the worker trying forever."""
    outputs = do_task(api, task)
    key = f"task-worker:{task['ticket_id']}:{task['number']}"
    answer = api.call(
        "POST",
        f"{task['url']}/complete",
        json={"outputs": outputs},
        headers={"Idempotency-Key": key},
    )
    if answer.status_code in (403, 409):  # reassigned or cancelled meanwhile
        print(f"  {task['ticket_reference']}: {answer.json().get('error')}", file=sys.stderr)
        return
    if answer.status_code == 422:
        errors = answer.json().get("errors", {})
        reason = "; ".join(f"{field}: {' '.join(m)}" for field, m in errors.items())
        api.call(
            "POST", f"{task['url']}/fail", json={"reason": f"Worker outputs refused: {reason}"}
        )
        print(f"  {task['ticket_reference']}: refused ({reason}), reported", file=sys.stderr)
        return
    answer.raise_for_status()
    print(f"  {task['ticket_reference']}: {task['name']} done")


def work(api: Api, task_key: str) -> int:
    """One round: finish what this worker holds, then take and do what waits. Returns the
    number of tasks done."""
    done = 0
    for task in tasks(api, "mine", task_key):
        if task["status"] == "OPEN":
            complete(api, task)
            done += 1
    for task in tasks(api, "queue", task_key):
        if claim(api, task):
            complete(api, task)
            done += 1
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--task", required=True, help="the task definition's key")
    parser.add_argument("--every", type=float, default=0, help="poll every N seconds")
    args = parser.parse_args()
    token = os.environ.get("TF_TOKEN")
    if not token:
        sys.exit("Set TF_TOKEN to an API token (create one on your account page).")
    api = Api(args.url, token)
    while True:
        print(f"{work(api, args.task)} task(s) done")
        if not args.every:
            return
        time.sleep(args.every)


if __name__ == "__main__":
    main()
