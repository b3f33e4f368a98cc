"""Ticket lists, detail, comments and history over real HTTP: who sees what, and what a
bad parameter gets."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from tests.conftest import api
from tests.samples import definition_set
from tf_events.commands import CommentOnTicket, ImportDefinitionSet, SubmitTicket
from tf_projections.waiting import wait_for

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def submit(system):
    """Submit a laptop request as `username` through the application; returns its id.

    The submitter need not be registered yet: user ids follow from usernames."""
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(definition_set(), by="dana")), 5)
    count = iter(range(10_000))

    def make(username: str, summary: str = "Laptop"):
        user_id = system.app.user_id_for(username)
        _, written = system.app.handle(
            SubmitTicket(
                submission_key=f"test:{next(count)}",
                ticket_type_key="laptop-request",
                data={"summary": summary, "details": f"About: {summary}"},
                submitter={"id": str(user_id), "username": username},
                user_roles=frozenset(),
            )
        )
        wait_for(system.pool, written, 5)
        return written.aggregate_id

    return make


def references(html: str) -> list[str]:
    return re.findall(r">(TF-\d+)</a>", html)


def test_my_tickets_lists_only_my_own(signed_in, submit):
    sam = signed_in("sam")
    submit("sam", "Sam's laptop")
    submit("olga", "Olga's laptop")
    page = sam.get("/tickets/mine")
    assert page.status_code == 200
    assert "Sam&#39;s laptop" in page.text
    assert "Olga" not in page.text


def test_all_tickets_is_for_the_ticket_team_and_auditors(signed_in, submit):
    submit("sam", "Sam's laptop")
    submit("olga", "Olga's laptop")
    assert signed_in("sam").get("/tickets/").status_code == 403
    for name, role in (("tess", "ticket_team"), ("audrey", "auditor")):
        page = signed_in(name, (role,)).get("/tickets/")
        assert page.status_code == 200
        assert len(references(page.text)) == 2


def test_headers_sort_and_a_second_click_reverses(signed_in, submit):
    for summary in ("banana", "apple", "cherry"):
        submit("sam", summary)
    tess = signed_in("tess", ("ticket_team",))
    page = tess.get("/tickets/?sort=summary")
    assert re.findall(r'class="cell-summary">(\w+)<', page.text) == ["apple", "banana", "cherry"]
    header = re.search(r'aria-sort="ascending">\s*<a class="sort-link" href="([^"]+)"', page.text)
    reversed_page = tess.get(header.group(1).replace("&amp;", "&"))
    summaries = re.findall(r'class="cell-summary">(\w+)<', reversed_page.text)
    assert summaries == ["cherry", "banana", "apple"]


def test_filters_travel_in_the_url(signed_in, submit):
    submit("sam", "Broken screen")
    submit("olga", "Dead battery")
    tess = signed_in("tess", ("ticket_team",))
    assert "Dead battery" not in tess.get("/tickets/?q=screen").text
    assert "Broken screen" not in tess.get("/tickets/?submitter=olga").text
    assert "No tickets match" in tess.get("/tickets/?state=active&type=nope").text
    assert tess.get("/tickets/mine?submitter=olga").status_code == 400  # all are tess's


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("sort=password", "Sort by"),
        ("status=GONE", "Status"),
        ("created_from=soon", "Created from"),
        ("cursor=zzz", "Page link"),
        ("id=1", "id"),
    ],
)
def test_a_bad_list_parameter_is_a_clear_400_that_keeps_the_rest(signed_in, submit, query, named):
    submit("sam", "Broken screen")
    page = signed_in("sam").get(f"/tickets/mine?{query}&q=screen")
    assert page.status_code == 400
    assert "could not be used" in page.text
    assert f"<li>{named}: " in page.text
    assert "Broken screen" in page.text  # the rest of the query still applies
    assert 'value="screen"' in page.text


def test_pages_follow_keyset_cursors_while_tickets_arrive(signed_in, submit):
    first = [submit("sam", f"ticket {i}") for i in range(5)]
    sam = signed_in("sam")
    page_one = sam.get("/tickets/mine?limit=2")
    seen = references(page_one.text)
    next_link = re.search(r'rel="next" href="([^"]+)"', page_one.text).group(1)
    for i in range(3):
        submit("sam", f"late {i}")  # newer: they belong before page one
    while next_link:
        page = sam.get(next_link.replace("&amp;", "&"))
        seen += references(page.text)
        found = re.search(r'rel="next" href="([^"]+)"', page.text)
        next_link = found.group(1) if found else None
    assert len(seen) == len(set(seen)) == len(first)


def test_detail_is_for_the_submitter_the_team_and_auditors_and_404_for_others(signed_in, submit):
    ticket = submit("sam", "Sam's laptop")
    assert signed_in("sam").get(f"/tickets/{ticket}").status_code == 200
    assert signed_in("tess", ("ticket_team",)).get(f"/tickets/{ticket}").status_code == 200
    assert signed_in("audrey", ("auditor",)).get(f"/tickets/{ticket}").status_code == 200
    olga = signed_in("olga", ("designer",))
    assert olga.get(f"/tickets/{ticket}").status_code == 404
    assert olga.get("/tickets/00000000-0000-0000-0000-000000000000").status_code == 404
    assert olga.get(f"/tickets/{ticket}/history").status_code == 404


def test_detail_shows_fields_under_labels_tasks_and_escaped_text(signed_in, submit):
    ticket = submit("sam", HOSTILE)
    page = signed_in("sam").get(f"/tickets/{ticket}")
    assert HOSTILE not in page.text
    assert "&lt;script&gt;" in page.text
    assert re.search(r"<dt>Summary</dt>", page.text)
    assert "Pending assignment" in page.text


def test_a_comment_adds_a_version_and_an_empty_one_is_refused(signed_in, submit):
    ticket = submit("sam")
    sam = signed_in("sam")
    empty = sam.submit(f"/tickets/{ticket}", f"/tickets/{ticket}/comments", {"text": "  "})
    assert empty.status_code == 422
    assert "Write a comment first." in empty.text
    done = sam.submit(f"/tickets/{ticket}", f"/tickets/{ticket}/comments", {"text": HOSTILE})
    assert done.status_code == 303
    page = sam.get(f"/tickets/{ticket}")
    assert "&lt;script&gt;alert" in page.text
    assert HOSTILE not in page.text


def test_only_the_submitter_and_the_team_may_comment(signed_in, submit):
    ticket = submit("sam")
    audrey = signed_in("audrey", ("auditor",))
    refused = audrey.submit(f"/tickets/{ticket}", f"/tickets/{ticket}/comments", {"text": "Hi"})
    assert refused.status_code == 403
    olga = signed_in("olga")
    assert (
        olga.submit("/tickets/mine", f"/tickets/{ticket}/comments", {"text": "Hi"}).status_code
        == 404
    )


def test_history_steps_through_versions_and_shows_what_changed(signed_in, submit, system):
    ticket = submit("sam", "Old laptop")
    by = {"id": str(system.app.user_id_for("sam")), "username": "sam"}
    wait_for(system.pool, system.app.handle(CommentOnTicket(ticket, by=by, text="Any news?")), 5)
    audrey = signed_in("audrey", ("auditor",))
    latest = audrey.get(f"/tickets/{ticket}/history")
    assert "Version 2 of 2" in latest.text
    assert "Comment added" in latest.text
    assert "<td data-label=\"What\">Comment</td>" in latest.text and "Any news?" in latest.text
    assert "Raw event" in latest.text
    assert "Read tables agree with the event log" in latest.text
    first = audrey.get(f"/tickets/{ticket}/history?version=1")
    assert "Version 1 of 2" in first.text
    assert "Submitted with" in first.text and "Old laptop" in first.text
    assert "<td data-label=\"What\">Summary</td>" in first.text  # the field's label
    assert "Pending assignment" in first.text  # statuses in words, not NOT_STARTED
    assert "NOT_STARTED" not in first.text.split("Raw event")[0]
    assert re.search(r"<dt>Comments</dt><dd>0</dd>", first.text)
    assert audrey.get(f"/tickets/{ticket}/history?version=3").status_code == 404
    assert signed_in("sam").get(f"/tickets/{ticket}/history").status_code == 403


def test_history_and_cli_report_read_tables_that_disagree_with_the_replay(
    signed_in, submit, system, monkeypatch
):
    from tf_projections.rebuild import rebuild
    from tf_projections.tickets import TicketsReadModel
    from tf_web.cli import main

    ticket = submit("sam", "Real summary")
    submit("sam", "Another")
    monkeypatch.setenv("TF_DATABASE_URL", system.database_url)
    assert CliRunner().invoke(main, ["projections", "check"]).exit_code == 0
    with system.pool.connection() as conn:
        conn.execute("UPDATE tickets SET summary = 'Tampered' WHERE id = %s", (ticket,))

    page = signed_in("audrey", ("auditor",)).get(f"/tickets/{ticket}/history")
    assert "Read tables disagree" in page.text
    assert "tickets.summary: read table has &#39;Tampered&#39;" in page.text
    result = CliRunner().invoke(main, ["projections", "check"])
    assert result.exit_code == 1
    assert "2 ticket(s) checked; 1 disagree" in result.output

    rebuild(TicketsReadModel, system.app, system.pool)
    assert CliRunner().invoke(main, ["projections", "check"]).exit_code == 0


# -- the API -------------------------------------------------------------------------------


def test_api_lists_with_the_same_rules_and_links_to_the_next_page(live_server, token_for, submit):
    for i in range(3):
        submit("sam", f"Laptop {i}")
    submit("olga", "Olga's")
    sam = api(live_server, token_for("sam", ()))
    page = sam("GET", "/tickets?limit=2&sort=summary").json()
    assert [t["summary"] for t in page["items"]] == ["Laptop 0", "Laptop 1"]
    rest = sam("GET", page["next"].split("/api/v1", 1)[1]).json()
    assert [t["summary"] for t in rest["items"]] == ["Laptop 2"]
    assert rest["next"] is None and rest["previous"]
    assert sam("GET", "/tickets?scope=all").status_code == 403
    bad = sam("GET", "/tickets?sort=secret")
    assert bad.status_code == 400 and "sort" in bad.json()["errors"]
    tess = api(live_server, token_for("tess", ("ticket_team",)))
    assert len(tess("GET", "/tickets?scope=all").json()["items"]) == 4


def test_api_detail_and_events_follow_the_page_rules(live_server, token_for, submit):
    ticket = submit("sam", "Sam's laptop")
    sam = api(live_server, token_for("sam", ()))
    body = sam("GET", f"/tickets/{ticket}").json()
    assert body["data"]["summary"] == "Sam's laptop"
    assert [t["status"] for t in body["tasks"]] == ["OPEN", "PENDING"]
    assert sam("GET", f"/tickets/{ticket}/events").status_code == 403
    olga = api(live_server, token_for("olga", ()))
    assert olga("GET", f"/tickets/{ticket}").status_code == 404
    audrey = api(live_server, token_for("audrey", ("auditor",)))
    events = audrey("GET", f"/tickets/{ticket}/events").json()
    assert events["read_tables_agree"] is True
    assert [e["event"] for e in events["items"]] == ["Submitted"]
    changes = {c["path"]: c for c in events["items"][0]["changes"]}
    assert changes["data.summary"] == {
        "path": "data.summary",
        "what": "Summary",
        "kind": "added",
        "before": None,
        "after": "Sam's laptop",
    }


def test_api_comments_follow_the_same_rules(live_server, token_for, submit):
    ticket = submit("sam", "Sam's laptop")
    sam = api(live_server, token_for("sam", ()))
    assert sam("POST", f"/tickets/{ticket}/comments", json={"text": ""}).status_code == 422
    assert sam("POST", f"/tickets/{ticket}/comments", json={"text": 5}).status_code == 422
    added = sam("POST", f"/tickets/{ticket}/comments", json={"text": "Any news?"})
    assert added.status_code == 201
    assert [c["text"] for c in sam("GET", f"/tickets/{ticket}").json()["comments"]] == ["Any news?"]
    audrey = api(live_server, token_for("audrey", ("auditor",)))
    assert audrey("POST", f"/tickets/{ticket}/comments", json={"text": "Hi"}).status_code == 403
    olga = api(live_server, token_for("olga", ()))
    assert olga("POST", f"/tickets/{ticket}/comments", json={"text": "Hi"}).status_code == 404


def test_a_comment_sent_twice_is_added_once(signed_in, submit, live_server, token_for):
    from tests.conftest import csrf_token

    ticket = submit("sam")
    sam = signed_in("sam")
    page = sam.get(f"/tickets/{ticket}").text
    form = {
        "csrf_token": csrf_token(page),
        "comment_id": re.search(r'name="comment_id" value="([^"]+)"', page)[1],
        "text": "Double\r\nclick",
    }
    assert [sam.post(f"/tickets/{ticket}/comments", data=form).status_code for _ in "12"] == [
        303,
        303,
    ]
    shown = sam.get(f"/tickets/{ticket}", follow=True).text
    assert shown.count("Double\nclick") == 1
    assert "Comment added." in shown
    tess = api(live_server, token_for("tess", ("ticket_team",)))
    for _ in "12":
        tess(
            "POST",
            f"/tickets/{ticket}/comments",
            json={"text": "Retried"},
            headers={"Idempotency-Key": "retry-1"},
        )
    comments = tess("GET", f"/tickets/{ticket}").json()["comments"]
    assert [c["text"] for c in comments] == ["Double\nclick", "Retried"]
