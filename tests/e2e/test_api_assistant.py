"""The definition assistant through the API: create, post with documents, read, accept."""

from __future__ import annotations

from tests.assistant_samples import sample_bytes
from tests.conftest import api


def test_a_conversation_through_the_api_from_a_pdf_to_accepted_definitions(live_server, token_for):
    call = api(live_server, token_for("dana", ("designer",)))
    created = call("POST", "/conversations", json={"generator": "offline"})
    assert created.status_code == 201
    url = f"/conversations/{created.json()['id']}"

    pdf = (
        "maintenance-procedure.pdf",
        sample_bytes("maintenance-procedure.pdf"),
        "application/pdf",
    )
    answered = call(
        "POST", f"{url}/messages", data={"text": "Our procedure"}, files={"documents": pdf}
    )
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["acceptable"] is True and body["errors"] == {}
    assert [t["name"] for t in body["draft"]["tasks"]] == [
        "Isolate the machine",
        "Inspect and repair",
        "Test and return to service",
    ]
    assert body["documents"][0]["text"].startswith("Machine Maintenance Procedure")

    edited = call("POST", f"{url}/messages", json={"text": "make location required"})
    fields = {f["name"]: f for f in edited.json()["draft"]["workflows"][0]["fields"]}
    assert fields["location"]["required"] is True

    accepted = call("POST", f"{url}/accept")
    assert accepted.status_code == 200, accepted.text
    assert {"kind": "ticket_type", "key": "machine-maintenance-procedure", "version": 1} in (
        accepted.json()["accepted"]
    )
    again = call("POST", f"{url}/accept")
    assert (again.status_code, again.json()["error"]) == (409, "This draft is already accepted.")
    listed = call("GET", "/conversations").json()["items"]
    assert [c["title"] for c in listed] == ["maintenance-procedure.pdf"]


def test_bad_input_is_refused_by_field(live_server, token_for):
    call = api(live_server, token_for("dana", ("designer",)))
    url = f"/conversations/{call('POST', '/conversations').json()['id']}"
    assert call("POST", f"{url}/messages", json={"text": 5}).status_code == 422
    nul = call("POST", f"{url}/messages", json={"text": "a\u0000b"})
    assert nul.status_code == 422 and "cannot be stored" in nul.json()["errors"]["text"][0]
    scanned = ("scan.pdf", b"%PDF-1.4 broken", "application/pdf")
    refused = call("POST", f"{url}/messages", files={"documents": scanned})
    assert refused.status_code == 422
    assert "not a readable PDF" in refused.json()["errors"]["documents"][0]
    unknown = call("POST", "/conversations", json={"generator": "gpt-99"})
    assert unknown.status_code == 422
    missing = call("GET", "/conversations/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    assert call("POST", f"{url}/accept").status_code == 409


def test_only_designers_and_admins_may_talk_and_auditors_may_read(live_server, token_for):
    dana = api(live_server, token_for("dana", ("designer",)))
    url = f"/conversations/{dana('POST', '/conversations').json()['id']}"
    tess = api(live_server, token_for("tess", ("ticket_team",)))
    for method, path in [
        ("GET", "/conversations"),
        ("POST", "/conversations"),
        ("GET", url),
        ("POST", f"{url}/messages"),
        ("POST", f"{url}/accept"),
    ]:
        assert tess(method, path).status_code == 403, (method, path)
    audrey = api(live_server, token_for("audrey", ("auditor",)))
    assert audrey("GET", url).status_code == 200
    assert audrey("POST", f"{url}/messages", json={"text": "hi"}).status_code == 403
    assert api(live_server, None)("GET", "/conversations").status_code == 401
