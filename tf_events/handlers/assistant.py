"""Handlers of the conversation commands: start one, post a message (with documents),
record the generator's reply and draft (checked, never saved as definitions), and accept
the draft (imported as new versions, all or nothing, in the acceptance's transaction)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from tf_events import commands as c
from tf_events.assistant.aggregate import Conversation, MessageInvalid
from tf_events.handlers.definitions import definitions_to_import, save_together
from tf_events.text import clean_text, scrubbed, unstorable
from tf_events.written import Written

if TYPE_CHECKING:
    from tf_events.application import TicketFlower

MAX_MESSAGE_CHARS = 10_000
MAX_DRAFT_BYTES = 2 * 1024 * 1024
MAX_DOCUMENTS = 20
TITLE_CHARS = 120


def start_conversation(app: TicketFlower, cmd: c.StartConversation) -> Written:
    title = clean_text(cmd.title).strip()[:TITLE_CHARS]
    conversation = Conversation(
        title=title or "New conversation", generator=cmd.generator, by=cmd.by
    )
    return Written.of(conversation.id, app.save(conversation))


def post_message(app: TicketFlower, cmd: c.PostMessage) -> Written:
    """Record the person's message and its documents together; the generator answers
    afterwards (`tf_events.assistant.turn`), so a model that fails loses nothing."""
    text = cmd.text.strip()
    if unstorable(text) is not None:
        raise MessageInvalid("The message holds characters that cannot be stored (NUL).")
    if len(text) > MAX_MESSAGE_CHARS:
        raise MessageInvalid(f"Keep a message under {MAX_MESSAGE_CHARS:,} characters.")
    if not text and not cmd.documents:
        raise MessageInvalid("Write a message or attach a document.")
    conversation = app.find_conversation(cmd.conversation_id)
    if len(conversation.documents) + len(cmd.documents) > MAX_DOCUMENTS:
        raise MessageInvalid(f"A conversation holds at most {MAX_DOCUMENTS} documents.")
    for document in cmd.documents:
        conversation.attach_document(
            name=document.name, text=document.text, size=len(document.text), by=cmd.by
        )
    names = [d.name for d in cmd.documents]
    conversation.post_message(role="user", text=text, attachments=names, by=cmd.by)
    return Written.of(conversation.id, app.save(conversation))


def propose_draft(app: TicketFlower, cmd: c.ProposeDraft) -> Written:
    """Record the generator's reply, and its draft when it is a new one."""
    conversation = app.find_conversation(cmd.conversation_id)
    answer, draft, errors = clean_text(cmd.text), scrubbed(cmd.draft), scrubbed(cmd.errors)
    if draft is not None and len(json.dumps(draft)) > MAX_DRAFT_BYTES:
        answer, draft = f"{answer} (The draft was too large to keep; ask for less.)", None
    conversation.post_message(role="assistant", text=answer, attachments=[], by=cmd.by)
    if draft is not None and (draft != conversation.draft or errors != conversation.draft_errors):
        conversation.propose_draft(draft=draft, errors=errors)
    return Written.of(conversation.id, app.save(conversation))


def accept_draft(app: TicketFlower, cmd: c.AcceptDraft) -> Written:
    """Import the draft as new versions and record which, all in one transaction."""
    conversation = app.find_conversation(cmd.conversation_id)
    conversation.check_acceptable()
    assert conversation.draft is not None
    changed, _ = definitions_to_import(app, conversation.draft, by=cmd.by)
    accepted = [{"kind": d.kind, "key": d.key, "version": d.version} for d in changed]
    conversation.accept_draft(definitions=accepted, by=cmd.by)
    return Written.of(conversation.id, save_together(app, [*changed, conversation]))
