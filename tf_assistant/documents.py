"""Document text: Markdown, plain text, DOCX and PDF read as text, with the same size
limit as ticket files. DOCX headings become Markdown headings and its tables Markdown
rows, so one parser reads every format."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

from tf_events.assistant.generator import Document
from tf_events.text import clean_text
from tf_events.tickets.uploads import DEFAULT_MAX_MB

MAX_DOCUMENT_BYTES = int(DEFAULT_MAX_MB * 1024 * 1024)
MAX_TEXT_CHARS = 200_000
TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".text"}
SUFFIXES = (*sorted(TEXT_SUFFIXES), ".docx", ".pdf")


class DocumentUnreadable(ValueError):
    """The document cannot be read as text; the message says why in plain words."""


def document_name(filename: str) -> str:
    name = PureWindowsPath(PurePosixPath(filename).name).name.strip() or "document"
    return "".join(ch for ch in name if ch.isprintable())[:255]


def read_document(filename: str, data: bytes) -> Document:
    """Extract a document's text or raise DocumentUnreadable."""
    name = document_name(filename)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentUnreadable(
            f"{name} is {len(data) / 1024 / 1024:.1f} MB; the limit is {DEFAULT_MAX_MB:g} MB."
        )
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in TEXT_SUFFIXES:
        text = _plain_text(name, data)
    elif suffix == ".docx":
        text = _docx_text(name, data)
    elif suffix == ".pdf":
        text = _pdf_text(name, data)
    else:
        raise DocumentUnreadable(
            f"{name}: send Markdown, plain text, DOCX or PDF ({', '.join(SUFFIXES)})."
        )
    text = clean_text(text).strip()
    if not text:
        raise DocumentUnreadable(f"{name} holds no text.")
    return Document(name=name, text=text[:MAX_TEXT_CHARS])


def _plain_text(name: str, data: bytes) -> str:
    if b"\x00" in data:
        raise DocumentUnreadable(f"{name} is not a text file.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _docx_text(name: str, data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise DocumentUnreadable(f"{name} is not a readable DOCX file ({err}).") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(_paragraph_line(block))
        elif isinstance(block, Table):
            lines.extend(_table_lines(block))
    return "\n".join(lines)


def _paragraph_line(paragraph: object) -> str:
    text = paragraph.text.strip()  # type: ignore[attr-defined]
    style = (paragraph.style.name if paragraph.style is not None else "") or ""  # type: ignore[attr-defined]
    if style == "Title":
        return f"# {text}"
    if style.startswith("Heading"):
        level = style.removeprefix("Heading").strip()
        depth = int(level) + 1 if level.isdigit() else 2
        return f"{'#' * min(depth, 6)} {text}"
    if style.startswith("List Number"):
        return f"1. {text}"
    if style.startswith("List"):
        return f"- {text}"
    return text


def _table_lines(table: object) -> list[str]:
    rows = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells = [cell.text.strip().replace("\n", " ") for cell in row.cells]
        rows.append("| " + " | ".join(cells) + " |")
    return ["", *rows, ""]


def _pdf_text(name: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise DocumentUnreadable(f"{name} is not a readable PDF file ({err}).") from None
    text = "\n".join(pages)
    if not text.strip():
        raise DocumentUnreadable(
            f"{name} has no text layer: it looks like a scanned image. Run it through OCR "
            "(most scanner and PDF apps can), or paste the form's text into the chat."
        )
    return text
