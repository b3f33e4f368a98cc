"""Document text: Markdown, text, DOCX and PDF read as text; what cannot be read says why."""

from __future__ import annotations

import io

import docx
import pytest
from fpdf import FPDF

from tests.assistant_samples import sample_bytes
from tf_assistant.documents import MAX_DOCUMENT_BYTES, DocumentUnreadable, read_document


def test_a_docx_keeps_its_headings_and_table_rows():
    text = read_document("flower-order.docx", sample_bytes("flower-order.docx")).text
    assert text.startswith("# Flower Order Form")
    assert "## Delivery" in text
    assert "| Customer name * |  |" in text


def test_a_pdf_is_read_from_its_text_layer():
    text = read_document("procedure.pdf", sample_bytes("maintenance-procedure.pdf")).text
    assert "Step 2: Inspect and repair" in text
    assert "Machine ID*:" in text


def test_a_scanned_pdf_without_text_gets_a_clear_message():
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 150, 200, style="F")  # a page that is all picture, no text
    with pytest.raises(DocumentUnreadable, match="no text layer: it looks like a scanned image"):
        read_document("scan.pdf", bytes(pdf.output()))


def test_a_document_over_the_ticket_file_limit_is_refused():
    with pytest.raises(DocumentUnreadable, match="the limit is 10 MB"):
        read_document("big.txt", b"a" * (MAX_DOCUMENT_BYTES + 1))


def test_only_text_docx_and_pdf_are_read():
    with pytest.raises(DocumentUnreadable, match="send Markdown, plain text, DOCX or PDF"):
        read_document("form.xlsx", b"PK\x03\x04")


def test_a_broken_docx_or_pdf_says_so():
    with pytest.raises(DocumentUnreadable, match="not a readable DOCX"):
        read_document("form.docx", b"not a zip")
    with pytest.raises(DocumentUnreadable, match="not a readable PDF"):
        read_document("form.pdf", b"%PDF-1.4 nonsense")


def test_text_loses_nul_and_control_characters_and_the_name_its_folders():
    document = read_document("../../etc/form.txt", "Name:\x07 ___\r\nMore\u2028".encode())
    assert "\x07" not in document.text and "\x00" not in document.text
    assert document.name == "form.txt"
    with pytest.raises(DocumentUnreadable, match="not a text file"):
        read_document("form.txt", b"Name:\x00___")


def test_a_docx_made_here_reads_back():
    made = docx.Document()
    made.add_heading("Leave request", level=0)
    made.add_paragraph("First day: ____")
    buffer = io.BytesIO()
    made.save(buffer)
    assert read_document("leave.docx", buffer.getvalue()).text == "# Leave request\nFirst day: ____"
