"""Documents sent with a message, from a multipart request: the same size limit as ticket
files, read by tf_assistant.documents."""

from __future__ import annotations

from werkzeug.datastructures import FileStorage

from tf_assistant.documents import MAX_DOCUMENT_BYTES, DocumentUnreadable, read_document
from tf_events.assistant.generator import Document

MAX_DOCUMENTS_PER_MESSAGE = 5
MAX_REQUEST_BYTES = MAX_DOCUMENTS_PER_MESSAGE * MAX_DOCUMENT_BYTES + 1024 * 1024


def documents_from(files: list[FileStorage]) -> list[Document]:
    """Raise DocumentUnreadable with a message naming the file that cannot be used."""
    chosen = [f for f in files if f and f.filename]
    if len(chosen) > MAX_DOCUMENTS_PER_MESSAGE:
        raise DocumentUnreadable(f"Send at most {MAX_DOCUMENTS_PER_MESSAGE} documents at once.")
    return [
        read_document(upload.filename or "document", upload.read(MAX_DOCUMENT_BYTES + 1))
        for upload in chosen
    ]
