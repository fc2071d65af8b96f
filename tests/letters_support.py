"""Letters for the letter reader's tests: real DOCX, ODT and PDF files built in the test (with
letterheads, headings, lists and tables), scanned pages drawn with Pillow, and the questions
and voices of seed 004 (BarnUnge21's compiled hearing) to write letters from."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hearing.letters.passages import QuestionRef

# Seed 004's six questions, as the consultation shows them.
QUESTIONS = (
    QuestionRef("1", "1", "Beskrivelse og vurdering av nåsituasjon"),
    QuestionRef(
        "1.a",
        "1.a",
        "Har du forslag til styrker, svakheter, utfordringer og muligheter som kan legges til?",
    ),
    QuestionRef("1.b", "1.b", "Har du du konkrete eksempler på disse forslagene?"),
    QuestionRef("2", "2", "Målsettinger. Har du forslag til konkrete mål som kan legges til?"),
    QuestionRef(
        "3",
        "3",
        "Anbefalinger og forslag til tiltak. Har du forslag til tiltak for å oppnå disse målene?",
    ),
    QuestionRef("4", "4", "Har du flere kommentarer til rapporten?"),
)

# Answers from seed 004, as their senders wrote them.
NKVTS_ON_GOALS = (
    "Ingen konkrete forslag til mål som kan legges til, men heller understreke viktigheten av et "
    "mål som allerede har blitt foreslått. Målet «Kunnskapsbasert praksis» beskriver noen av de "
    "mest sentrale utfordringene for å lykkes med kunnskapsbaserte tjenester."
)
NKVTS_ON_MEASURES = (
    "Ledere bør få økt kompetanse og veiledning i implementeringsledelse. Lederutdannings- og "
    "utviklingsprogrammer bør spesifikt inkludere ledelse av implementering."
)
NKVTS_ON_REPORT = (
    "Det nevnes «investering i robust fagmiljø med høy kompetanse på behandling, forebygging og "
    "evalueringsforskning». Dette er bra og vil kunne fortelle noe om hva som fungerer eller "
    "ikke fungerer."
)
STOVNER_ON_GOALS = (
    "Med henvisning til avsnitt 2, side 7 kan dette komme i konflikt med behovet for oppmyking "
    "av styringsformer med fokus på mål- og resultatstyring. Kvalitetsmåling basert på data i de "
    "ulike tjenestene bør derfor tones ned som målsetting."
)
HELSEDIR_ON_GOALS = (
    "Helhetlig og overordnet ledelse på tvers av organisatoriske virksomhetsgrenser er "
    "avgjørende for helhetlige og koordinerte tilbud på individnivå."
)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)


def docx_bytes(
    paragraphs: Sequence[str | tuple[str, str]],
    header: str = "",
    footer: str = "",
    table: Sequence[Sequence[str]] = (),
) -> bytes:
    """A Word letter: paragraphs (text, or (style, text) such as ("Heading 1", "Til punkt 4")),
    then a table, with a letterhead and a footer."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    for paragraph in paragraphs:
        style, text = paragraph if isinstance(paragraph, tuple) else (None, paragraph)
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(blocks: Sequence[tuple[str, Any]], header: str = "", annotate: str = "") -> bytes:
    """An ODT letter as LibreOffice writes one. Blocks: ("h", text) a heading, ("p", text) a
    paragraph (a "\\n" in it a line break, two spaces kept as text:s), ("ol", [items]) a
    numbered list, ("ul", [items]) a bulleted one, ("table", [[cell, …], …]). `annotate`
    adds a comment inside the first paragraph, which is no part of the letter's text."""
    from odf.office import Annotation
    from odf.opendocument import OpenDocumentText
    from odf.style import Footer, Header, MasterPage, PageLayout
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import (
        H,
        LineBreak,
        List,
        ListItem,
        ListLevelStyleBullet,
        ListLevelStyleNumber,
        ListStyle,
        P,
        S,
    )

    document = OpenDocumentText()
    numbered = ListStyle(name="Numbered")
    numbered.addElement(ListLevelStyleNumber(level=1, numformat="1", numsuffix="."))
    bulleted = ListStyle(name="Bulleted")
    bulleted.addElement(ListLevelStyleBullet(level=1, bulletchar="•"))
    layout = PageLayout(name="Letter")
    for style in (numbered, bulleted, layout):
        document.automaticstyles.addElement(style)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    if header:
        head = Header()
        head.addElement(P(text=header))
        master.addElement(head)
        master.addElement(Footer())
    document.masterstyles.addElement(master)

    def paragraph(text: str, heading: bool = False) -> Any:
        made = H(outlinelevel=1) if heading else P()
        for number, line in enumerate(text.split("\n")):
            if number:
                made.addElement(LineBreak())
            for part_number, part in enumerate(line.split("  ")):
                if part_number:
                    made.addElement(S(c=2))
                made.addText(part)
        return made

    annotated = False
    for kind, content in blocks:
        if kind in ("h", "p"):
            element = paragraph(content, heading=kind == "h")
            if annotate and not annotated and kind == "p":
                note = Annotation()
                note.addElement(P(text=annotate))
                element.addElement(note)
                annotated = True
            document.text.addElement(element)
        elif kind in ("ol", "ul"):
            items = List(stylename=numbered if kind == "ol" else bulleted)
            for text in content:
                item = ListItem()
                item.addElement(paragraph(text))
                items.addElement(item)
            document.text.addElement(items)
        elif kind == "table":
            table = Table()
            table.addElement(TableColumn(numbercolumnsrepeated=len(content[0])))
            for cells in content:
                row = TableRow()
                for text in cells:
                    cell = TableCell()
                    cell.addElement(paragraph(text))
                    row.addElement(cell)
                table.addElement(row)
            document.text.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def text_pdf_bytes(pages: Sequence[Sequence[str]]) -> bytes:
    """A PDF with text: each page its paragraphs, a gap between them as in a letter."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    for paragraphs in pages:
        pdf.add_page()
        for text in paragraphs:
            pdf.multi_cell(0, 6, text)
            pdf.ln(5)
    return bytes(pdf.output())


def font_path() -> str | None:
    """A TrueType font with Norwegian letters, to draw a scanned page with."""
    return next((path for path in FONT_CANDIDATES if Path(path).exists()), None)


def scanned_page(lines: Sequence[str], dpi: int = 200) -> Any:
    """A Pillow picture of an A4 page with `lines` typed on it, as a scanner makes one."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = round(8.27 * dpi), round(11.69 * dpi)
    picture = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(picture)
    found = font_path()
    size = round(dpi / 5)
    font = ImageFont.truetype(found, size=size) if found else ImageFont.load_default(size=size)
    y = dpi
    for line in lines:
        draw.text((dpi * 0.8, y), line, fill=0, font=font)
        y += round(dpi / 3.2)
    return picture


def scanned_pdf_bytes(pages: Sequence[Sequence[str]], dpi: int = 200) -> bytes:
    """A PDF of scanned pages only: pictures, no text, as a scanner saves a letter."""
    pictures = [scanned_page(lines, dpi) for lines in pages]
    buffer = io.BytesIO()
    pictures[0].save(
        buffer, format="PDF", resolution=dpi, save_all=True, append_images=pictures[1:]
    )
    return buffer.getvalue()


def mixed_pdf_bytes(text_page: Sequence[str], scanned_lines: Sequence[str]) -> bytes:
    """A typed first page, then a scanned one (a signed page scanned back in)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    for text in text_page:
        pdf.multi_cell(0, 6, text)
        pdf.ln(5)
    pdf.add_page()
    pdf.image(scanned_page(scanned_lines), x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())
