"""The definition assistant's pages. Designers and admins talk and accept; auditors may
read every conversation (its history) but not change it."""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from tf_assistant.documents import SUFFIXES, DocumentUnreadable
from tf_events.assistant.turn import take_turn
from tf_events.commands import AcceptDraft, StartConversation
from tf_events.definitions.format import DefinitionInvalid
from tf_events.errors import DomainError
from tf_events.policy import Action
from tf_projections.waiting import ProjectionsLagging
from tf_web.assistant.artifact import build_artifact
from tf_web.assistant.documents import MAX_REQUEST_BYTES, documents_from
from tf_web.assistant.generators import chosen, offered
from tf_web.commanding import execute
from tf_web.extensions import system
from tf_web.identity import allowed_to
from tf_web.queries import conversations as queries
from tf_web.request_input import body_limit

log = logging.getLogger(__name__)
bp = Blueprint("assistant", __name__, url_prefix="/assistant")
designers_only = allowed_to(Action.DESIGN)
readers = allowed_to(Action.READ_CONVERSATIONS)


def _conversation_or_404(conversation_id: UUID) -> queries.ConversationRow:
    row = queries.get_conversation(system().pool, conversation_id)
    if row is None:
        abort(404)
    return row


@bp.route("/")
@readers
def index() -> str:
    """List conversations, most recent first."""
    return render_template(
        "assistant/index.html",
        conversations=queries.list_conversations(system().pool),
        generators=offered(),
    )


@bp.route("/new", methods=["POST"])
@designers_only
def start() -> Response:
    """Start a conversation with the chosen generator."""
    generator = chosen(request.form.get("generator"))
    written = execute(StartConversation(generator.name, by=current_user.username))
    return redirect(url_for("assistant.chat", conversation_id=written.aggregate_id))


@bp.route("/<uuid:conversation_id>")
@readers
def chat(conversation_id: UUID) -> str:
    """The conversation on the left, the draft on the right."""
    row = _conversation_or_404(conversation_id)
    wired = system()
    return render_template(
        "assistant/chat.html",
        conversation=row,
        messages=queries.messages_of(wired.pool, conversation_id),
        documents=queries.documents_of(wired.pool, conversation_id),
        accepted=queries.accepted_definitions(wired.pool, conversation_id),
        artifact=build_artifact(
            row.draft,
            row.draft_errors,
            wired.components,
            wired.pool,
            accepted=row.accepted_number == row.draft_number and row.draft_number > 0,
        ),
        may_talk=current_user.can_design,
        suffixes=", ".join(SUFFIXES),
    )


@bp.route("/<uuid:conversation_id>/documents/<int:version>")
@readers
def document(conversation_id: UUID, version: int) -> str:
    """A document's extracted text: what the generator read."""
    row = _conversation_or_404(conversation_id)
    found = [
        d for d in queries.documents_of(system().pool, conversation_id) if d.version == version
    ]
    if not found:
        abort(404)
    return render_template("assistant/document.html", conversation=row, document=found[0])


@bp.route("/<uuid:conversation_id>/messages", methods=["POST"])
@body_limit(MAX_REQUEST_BYTES)
@designers_only
def post_message(conversation_id: UUID) -> Response:
    """Send a message (and documents); the generator answers with a new draft.
    With `Accept: text/event-stream` the progress streams as server-sent events."""
    row = _conversation_or_404(conversation_id)
    text = request.form.get("text", "")
    page = url_for("assistant.chat", conversation_id=conversation_id)
    try:
        documents = documents_from(request.files.getlist("documents"))
    except DocumentUnreadable as err:
        return _refused(str(err), page)
    wired = system()
    generator = chosen(row.generator)
    by = current_user.username

    def turn(progress: Any) -> None:
        written = take_turn(
            wired.app,
            conversation_id,
            text,
            documents,
            generator=generator,
            by=by,
            progress=progress,
        )
        try:
            wired.positions.wait_for(written, wired.settings.read_your_writes_timeout)
        except ProjectionsLagging:
            progress("Saved; the page may take a few seconds to show it.")

    if "text/event-stream" in request.headers.get("Accept", ""):
        return Response(
            stream_with_context(_stream(turn, page)),
            mimetype="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    try:
        turn(lambda _: None)
    except DomainError as err:
        return _refused(err.message, page)
    return redirect(f"{page}#latest")


def _refused(message: str, page: str) -> Response:
    if "text/event-stream" in request.headers.get("Accept", ""):
        return Response(_event("failed", {"error": message}), mimetype="text/event-stream")
    flash(message, "error")
    return redirect(page)


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def _stream(turn: Any, page: str) -> Iterator[str]:
    """Run the turn in a thread; relay its progress, then say where the result is."""
    updates: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()

    def run() -> None:
        try:
            turn(lambda text: updates.put(("progress", {"text": text})))
        except DomainError as err:
            updates.put(("failed", {"error": err.message}))
        except Exception:  # the person must hear back; the log has the rest
            log.exception("assistant turn failed")
            updates.put(("failed", {"error": "Something went wrong; your draft is kept."}))
        else:
            updates.put(("done", {"url": f"{page}#latest"}))

    threading.Thread(target=run, daemon=True).start()
    yield _event("progress", {"text": "Working…"})
    while True:
        try:
            name, data = updates.get(timeout=15)
        except queue.Empty:
            yield ": still working\n\n"  # keeps proxies from closing a quiet stream
            continue
        yield _event(name, data)
        if name != "progress":
            return


@bp.route("/<uuid:conversation_id>/accept", methods=["POST"])
@designers_only
def accept(conversation_id: UUID) -> Response:
    """Import the draft as new versions, all or nothing."""
    _conversation_or_404(conversation_id)
    page = url_for("assistant.chat", conversation_id=conversation_id)
    try:
        execute(AcceptDraft(conversation_id, by=current_user.username))
    except DefinitionInvalid as invalid:
        path, messages = next(iter(invalid.errors.items()))
        flash(f"Nothing was saved: {path}: {messages[0]}", "error")
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash("Accepted: the definitions are saved as new versions. Try it!", "success")
    return redirect(page)
