"""A ticket's file can only be one its submitter uploaded: nobody attaches (and then
downloads) another user's file by naming its hash, and a download never breaks on a name."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import api
from tests.e2e.test_api_tickets import JSON_VALID
from tests.e2e.test_ticket_submission import PNG, VALID, every_field_type_set, submit
from tf_events.commands import ImportDefinitionSet
from tf_projections.waiting import wait_for


@pytest.fixture
def everything(system, workers):
    data = every_field_type_set()
    data["workflows"][0]["fields"][-2]["max_size_mb"] = 10  # the "quote" file field
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(data, by="dana")), 5)


def submit_json(call, data: dict):
    return call("POST", "/tickets", json={"ticket_type": "everything", "data": data})


def file_link(http, ticket_url: str) -> str:
    page = http.get(ticket_url).text
    return re.search(r'href="(/tickets/[^"]+/files/[0-9a-f]{64})"', page).group(1)


def test_naming_another_users_file_by_its_hash_is_refused(
    everything, signed_in, token_for, live_server, system
):
    ana = signed_in("ana")
    mine = submit(ana, VALID, files={"quote": ("secret.png", PNG, "image/png")})
    sha = file_link(ana, mine.headers["Location"].replace("/submitted", "")).rsplit("/", 1)[1]
    call = api(live_server, token_for("bob", ()))
    claim = {"sha256": sha, "name": "x.txt", "size": 1, "content_type": "text/plain"}
    for value in (claim, {"sha256": sha}, {"upload": sha}, sha):
        response = submit_json(call, {**JSON_VALID, "quote": value})
        assert response.status_code == 422, response.text
        assert list(response.json()["errors"]) == ["data.quote"]
    with system.pool.connection() as conn:
        assert conn.execute("SELECT count(*) FROM tickets").fetchone() == (1,)


def test_a_program_uploads_then_references_its_upload_and_only_its_own(
    everything, token_for, live_server
):
    bob = api(live_server, token_for("bob", ()))
    uploaded = bob("POST", "/uploads", files={"file": ("scan.png", PNG, "text/plain")})
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    assert (body["name"], body["size"], body["content_type"]) == ("scan.png", len(PNG), "image/png")
    ana = api(live_server, token_for("ana", ()))
    stolen = submit_json(ana, {**JSON_VALID, "quote": {"upload": body["upload"]}})
    assert stolen.status_code == 422
    assert "not an upload of yours" in stolen.json()["errors"]["data.quote"][0]
    created = submit_json(bob, {**JSON_VALID, "quote": {"upload": body["upload"]}})
    assert created.status_code == 201, created.text
    ticket = bob("GET", f"/tickets/{created.json()['id']}").json()
    assert ticket["data"]["quote"]["content_type"] == "image/png"  # measured, not claimed


def test_a_multipart_file_part_for_no_file_field_is_refused(everything, token_for, live_server):
    call = api(live_server, token_for("bob", ()))
    payload = {"payload": json.dumps({"ticket_type": "everything", "data": JSON_VALID})}
    response = call("POST", "/tickets", data=payload, files={"summary": ("a.png", PNG)})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["data.summary"]


def test_a_kept_upload_of_a_failed_form_serves_only_its_uploader(everything, signed_in):
    ana = signed_in("ana")
    failed = submit(ana, {**VALID, "summary": ""}, files={"quote": ("q.png", PNG, "image/png")})
    assert failed.status_code == 422
    kept = re.search(r'name="quote__kept" value="([^"]+)"', failed.text).group(1)
    assert "Attached: <strong>q.png</strong>" in failed.text
    bob = signed_in("bob")
    refused = submit(bob, {**VALID, "quote__kept": kept})
    assert refused.status_code == 422
    assert "not an upload of yours" in refused.text
    again = submit(ana, {**VALID, "quote__kept": kept})
    assert again.status_code == 303
    download = ana.get(file_link(ana, again.headers["Location"].replace("/submitted", "")))
    assert download.content == PNG


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("a\r\nSet-Cookie: x=1.txt", "text/plain\r\nX-Evil: 1"),
        ("\x01\x1b[31m", "text/html"),
        ("", None),
        ('q"u;o\\te€.txt', "application/x-msdownload"),
    ],
)
def test_a_download_never_breaks_on_what_an_older_ticket_stored(
    everything, signed_in, system, name, content_type
):
    """Tickets made before uploads were checked may hold a client's claims: the download
    still answers, with a header-safe name and a type from the accepted list."""
    ana = signed_in("ana")
    made = submit(ana, VALID, files={"quote": ("q.png", PNG, "image/png")})
    ticket_url = made.headers["Location"].replace("/submitted", "")
    link = file_link(ana, ticket_url)
    sha = link.rsplit("/", 1)[1]
    with system.pool.connection() as conn:  # as an older, unchecked version stored it
        conn.execute(
            "UPDATE tickets SET data = jsonb_set(data, '{quote}', %s::jsonb)",
            (json.dumps({"sha256": sha, "name": name, "size": 1, "content_type": content_type}),),
        )
    download = ana.get(link)
    assert download.status_code == 200
    assert download.content == PNG
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\n" not in disposition
    assert "X-Evil" not in download.headers and "Set-Cookie" not in download.headers
    assert download.headers["Content-Type"] in ("image/png", "application/octet-stream")


def test_a_five_megabyte_file_fits_a_ten_megabyte_field_on_the_web_form(everything, signed_in):
    ana = signed_in("ana")
    big = b"a" * (5 * 1024 * 1024)
    response = submit(ana, VALID, files={"quote": ("big.txt", big, "text/plain")})
    assert response.status_code == 303, response.text[:300]
    ticket_url = response.headers["Location"].replace("/submitted", "")
    assert len(ana.get(file_link(ana, ticket_url)).content) == len(big)


def test_an_upload_past_its_limit_is_a_413_with_the_field_named(token_for, live_server):
    call = api(live_server, token_for("bob", ()))
    too_big = b"a" * (11 * 1024 * 1024)
    response = call("POST", "/uploads", files={"file": ("big.txt", too_big)})
    assert response.status_code == 413
    nothing = call("POST", "/uploads", data={"x": "1"})
    assert nothing.status_code == 422
    assert list(nothing.json()["errors"]) == ["file"]
