"""Letters to test with, made here: DOCX, ODT, a PDF with text and a scanned PDF (an image of
the page, as a scanner makes), from the same lines. A blank line separates paragraphs."""

from __future__ import annotations

import io

from docx import Document
from fpdf import FPDF
from odf.opendocument import OpenDocumentText
from odf.text import P
from PIL import Image, ImageDraw, ImageFont


def paragraphs(lines: list[str]) -> list[str]:
    """Lines joined into paragraphs at blank lines; a heading is a paragraph of one line."""
    found: list[list[str]] = [[]]
    for line in lines:
        if line:
            found[-1].append(line)
        elif found[-1]:
            found.append([])
    return ["\n".join(block) for block in found if block]


def docx_letter(lines: list[str]) -> bytes:
    document = Document()
    for paragraph in paragraphs(lines):
        first, *rest = paragraph.split("\n")
        run = document.add_paragraph(first)
        for line in rest:
            run.add_run().add_break()
            run.add_run(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_letter(lines: list[str]) -> bytes:
    document = OpenDocumentText()
    for paragraph in paragraphs(lines):
        for line in paragraph.split("\n"):
            document.text.addElement(P(text=line))
        document.text.addElement(P(text=""))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def pdf_letter(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_letter(lines: list[str]) -> bytes:
    """An A4 page at 150 dpi holding the lines as pixels only: a PDF with no text in it."""
    page = Image.new("L", (1240, 1754), color=255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=30)
    y = 120
    for line in lines:
        draw.text((110, y), line, fill=0, font=font)
        y += 44
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=150)
    return out.getvalue()
