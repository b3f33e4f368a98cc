"""Writes the DOCX and PDF sample documents (run once; the files are committed):
.venv/bin/python tests/data/make_samples.py
"""

from __future__ import annotations

from pathlib import Path

import docx
from fpdf import FPDF

HERE = Path(__file__).parent


def flower_order() -> None:
    document = docx.Document()
    document.core_properties.title = "Flower order form"
    document.add_paragraph("Flower Order Form", style="Title")
    document.add_paragraph(
        "Thank you for ordering from Petal & Stem. Fill in this form and we will confirm "
        "your order by email within one working day."
    )
    document.add_heading("Customer", level=1)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label in ("Customer name *", "Email address *", "Phone number", "Company (optional)"):
        row = table.add_row().cells
        row[0].text = label
    document.add_heading("Your bouquet", level=1)
    document.add_paragraph(
        "Occasion: [ ] Birthday [ ] Wedding [ ] Funeral [ ] Anniversary [ ] Other"
    )
    document.add_paragraph("Bouquet size: [ ] Small (€35) [ ] Medium (€55) [ ] Large (€80)")
    document.add_paragraph("Flowers you would like (tick all that apply):")
    for flower in ("Roses", "Tulips", "Lilies", "Sunflowers", "Seasonal mix"):
        document.add_paragraph(f"[ ] {flower}", style="List Bullet")
    document.add_paragraph("Number of bouquets*: ________")
    document.add_paragraph("Budget (€): ________")
    document.add_paragraph("Card message: ______________________________")
    document.add_heading("Delivery", level=1)
    document.add_paragraph("Delivery date *: ____ / ____ / ______")
    document.add_paragraph("Delivery address *: ______________________________")
    document.add_paragraph("Recipient's phone: ________________")
    document.add_paragraph("Leave with a neighbour if nobody is home? [ ] Yes [ ] No")
    document.add_paragraph("Photo of the arrangement you like: (attach a file)")
    document.add_heading("For shop use", level=1)
    document.add_paragraph("Florist: ________________")
    document.add_paragraph("Price charged (€): ________")
    document.add_paragraph("[ ] Paid")
    document.save(HERE / "flower-order.docx")


def maintenance_procedure() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "Machine Maintenance Procedure", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    text = [
        "This procedure covers faults reported on production machines in the workshop.",
        "Anyone may report a fault; the maintenance team carries out the steps below.",
        "",
        "Fault report",
        "Machine ID*: ____________",
        "Location: [ ] Hall A [ ] Hall B [ ] Packing area",
        "Reported by*: ____________",
        "Contact phone: ____________",
        "Date of the fault: ____________",
        "Description of the fault*: ____________",
        "Is the machine still running? [ ] Yes [ ] No",
        "Photo of the fault: (attach)",
        "",
        "Step 1: Isolate the machine",
        "Switch the machine off, lock it out and hang a tag on the main switch.",
        "Lock-out tag number: ____________",
        "Isolated at (date and time): ____________",
        "",
        "Step 2: Inspect and repair",
        "Find the cause, replace worn parts and record what was done.",
        "Cause found: ____________",
        "Parts replaced: ____________",
        "Labour hours: ____________",
        "Parts cost (EUR): ____________",
        "",
        "Step 3: Test and return to service",
        "Run the machine for 15 minutes under supervision before releasing it.",
        "Test passed? [ ] Yes [ ] No",
        "Returned to service on: ____________",
        "Technician's notes: ____________",
    ]
    for line in text:
        if line in ("Fault report",) or line.startswith("Step "):
            pdf.set_font("Helvetica", "B", 12)
            pdf.cell(0, 9, line, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=11)
        else:
            pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(HERE / "maintenance-procedure.pdf"))


if __name__ == "__main__":
    flower_order()
    maintenance_procedure()
