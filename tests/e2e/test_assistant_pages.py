"""The definition assistant's pages over real HTTP: upload, chat, the draft, Accept."""

from __future__ import annotations

import re
from uuid import UUID

from tests.assistant_samples import sample_bytes
from tests.conftest import csrf_token, routes_under
from tf_events.written import Written
from tf_projections.waiting import wait_for

CHAT_ACCEPT = "application/json, text/event-stream;q=0.9"  # as assistant.js sends it
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def start(http) -> str:
    response = http.submit("/assistant/", "/assistant/new", {})
    assert response.status_code == 302
    return response.headers["Location"]


def say(http, page: str, text: str, files=None, **headers):
    token = csrf_token(http.get(page).text)
    return http.post(
        f"{page}/messages",
        data={"csrf_token": token, "text": text},
        files=files or [],
        headers=headers,
    )


def test_a_designer_uploads_a_docx_edits_it_and_accepts_the_draft(signed_in):
    dana = signed_in("dana", ("designer",))
    page = start(dana)
    docx = ("documents", ("flower-order.docx", sample_bytes("flower-order.docx"), DOCX))
    assert say(dana, page, "Our order form", files=[docx]).status_code == 302

    html = dana.get(page).text
    assert "I read flower-order.docx." in html
    assert re.search(r'<iframe[^>]+id="draft-input"[^>]+src="/sandbox/previews/[0-9a-f]{64}"', html)
    assert "Phone number" in html and 'id="accept"' in html
    document_link = re.search(r'href="(/assistant/[^"]+/documents/\d+)"', html).group(1)
    assert "# Flower Order Form" in dana.get(document_link).text

    assert say(dana, page, "rename Company to Business name").status_code == 302
    assert "Renamed “Company” to “Business name”." in dana.get(page).text

    accepted = dana.submit(page, f"{page}/accept", {})
    assert accepted.status_code == 302
    html = dana.get(page).text
    assert "Accepted: the definitions are saved as new versions." in html
    assert 'href="/tickets/new/flower-order-form"' in html
    assert "ticket type flower-order-form v1" in html
    form = dana.get("/tickets/new/flower-order-form")
    assert form.status_code == 200
    detail = dana.get("/design/ticket-types/flower-order-form").text
    assert f'Version 1 came from <a href="{page}">a conversation with the assistant</a>' in detail


def test_the_answer_streams_as_server_sent_events(signed_in):
    dana = signed_in("dana", ("designer",))
    page = start(dana)
    response = say(
        dana, page, "Repairs\nBike model: ____\nWhat is broken?: ____", Accept=CHAT_ACCEPT
    )
    assert response.headers["Content-Type"].startswith("text/event-stream")
    events = re.findall(r"event: (\w+)\ndata: (.*)\n\n", response.text)
    names = [name for name, _ in events]
    assert names[0] == "progress" and names[-1] == "done"
    assert '"text": "Checking the draft\\u2026"' in response.text or "Checking the draft" in (
        response.text
    )
    assert "Bike model" in dana.get(page).text


def test_documents_that_cannot_be_read_are_refused_with_a_reason(signed_in):
    dana = signed_in("dana", ("designer",))
    page = start(dana)
    exe = ("documents", ("setup.exe", b"MZ\x90\x00", "application/octet-stream"))
    response = say(dana, page, "", files=[exe])
    assert response.status_code == 302
    assert "setup.exe: send Markdown, plain text, DOCX or PDF" in dana.get(page).text
    # Refused where it enters, before any turn: the chat's script asks for JSON refusals.
    refused = say(dana, page, "a\x00b", Accept=CHAT_ACCEPT)
    assert refused.status_code == 422 and "cannot be stored" in refused.json()["errors"]["text"][0]
    assert "No draft yet" in dana.get(page).text


def test_only_designers_and_admins_talk_and_auditors_may_read(signed_in, system):
    dana = signed_in("dana", ("designer",))
    page = start(dana)
    conversation_id = page.rsplit("/", 1)[1]
    examples = {"<uuid:conversation_id>": conversation_id, "<int:version>": "1"}
    routes = routes_under(system, "/assistant", examples)
    assert len(routes) == 6
    for roles in [(), ("ticket_team",)]:
        outsider = signed_in(f"user-{len(roles)}", roles)
        token = csrf_token(outsider.get("/").text)
        for method, path in routes:
            data = {"csrf_token": token} if method == "POST" else None
            assert outsider.request(method, path, data=data).status_code == 403, (method, path)
    audrey = signed_in("audrey", ("auditor",))
    assert audrey.get(page).status_code == 200
    assert "chat-form" not in audrey.get(page).text
    token = csrf_token(audrey.get("/").text)
    assert audrey.post(f"{page}/messages", data={"csrf_token": token}).status_code == 403
    assert audrey.post(f"{page}/accept", data={"csrf_token": token}).status_code == 403


def test_check_errors_show_next_to_their_part_and_accept_is_withheld(signed_in, system):
    dana = signed_in("dana", ("designer",))
    page = start(dana)
    assert say(dana, page, "Jobs\nName: ____\nWhat needs doing?: ____").status_code == 302
    conversation = system.app.find_conversation(UUID(page.rsplit("/", 1)[1]))
    draft = conversation.draft
    draft["ticket_types"][0]["layouts"]["input"]["source"] = "export default () => <p>;\n"
    conversation.propose_draft(draft=draft, errors=system.app.check_definition_set(draft))
    wait_for(system.pool, Written.of(conversation.id, system.app.save(conversation)), 5)

    html = dana.get(page).text
    assert "The draft does not pass the check yet." in html
    tree = html[html.index('class="draft-tree"') :]
    assert re.search(
        r"Ticket type</span> <strong>Jobs</strong>.*?line 2, column 1: Unexpected end of file",
        tree,
        re.S,
    )
    assert 'id="accept"' not in html
    assert 'id="draft-input"' not in html  # a layout that does not compile is not previewed


def test_a_draft_that_revises_current_definitions_shows_what_changes(signed_in):
    dana = signed_in("dana", ("designer",))
    page = start(dana)
    say(dana, page, "Jobs\nName: ____\nWhat needs doing?: ____")
    dana.submit(page, f"{page}/accept", {})
    say(dana, page, "make name required")
    html = dana.get(page).text
    assert "What accepting changes" in html
    assert "a new version of the current one" in html
    assert "fields.0.required" in html
