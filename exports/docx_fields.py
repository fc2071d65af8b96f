"""Word features python-docx has no API for: fields, bookmarks, internal links, repeated headers.

A report a ministry pastes into its proposal needs a table of contents, page numbers, links
from a cross-reference to the answer it points to, and table headers that repeat on every page.
Word builds the first two from *fields* (`TOC`, `PAGE`, `NUMPAGES`) that it computes when it
lays the document out; here they are written as complex fields (begin, instruction, separate,
result, end) whose result is filled in beforehand, so the document reads right even in a viewer
that never updates fields (the table of contents lists the headings; the page number shows 1).
The settings ask Word to update every field when the document is opened.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocumentType
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt
from docx.table import _Row
from docx.text.paragraph import Paragraph

TOC_LEVELS = 2


def add_table_of_contents(document: DocumentType, entries: Sequence[tuple[int, str, str]]) -> None:
    """A `TOC` field over heading levels 1–`TOC_LEVELS`, pre-filled with `entries`.

    Each entry is (level, text, bookmark of its heading); the pre-filled lines link to the
    bookmarks. Word replaces them with its own lines, page numbers included, when it updates
    the field.
    """
    _ensure_toc_styles(document)
    instruction = f' TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u '
    if not entries:
        paragraph = document.add_paragraph(style="TOC 1")
        _field_runs(paragraph, instruction, result="")
        return
    last = len(entries) - 1
    for index, (level, text, anchor) in enumerate(entries):
        paragraph = document.add_paragraph(style=f"TOC {min(level, TOC_LEVELS)}")
        if index == 0:
            _append_field_char(paragraph, "begin")
            _append_instruction(paragraph, instruction)
            _append_field_char(paragraph, "separate")
        add_internal_link(paragraph, text, anchor)
        if index == last:
            _append_field_char(paragraph, "end")


def add_page_number_footer(section: Section, template: str) -> None:
    """The footer "Side {page} av {pages}" with `PAGE` and `NUMPAGES` fields, centred."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = 1  # centre
    before, rest = template.split("{page}", 1)
    middle, after = rest.split("{pages}", 1)
    paragraph.add_run(before)
    _field_runs(paragraph, " PAGE ", result="1")
    paragraph.add_run(middle)
    _field_runs(paragraph, " NUMPAGES ", result="1")
    paragraph.add_run(after)


def update_fields_on_open(document: DocumentType) -> None:
    """Ask Word to compute the fields (page numbers in the table of contents) when opened."""
    settings = document.settings.element
    element = settings.find(qn("w:updateFields"))
    if element is None:
        element = OxmlElement("w:updateFields")
        settings.append(element)
    element.set(qn("w:val"), "true")


def set_language(document: DocumentType, language: str) -> None:
    """The proofing language of every style (e.g. "nb-NO"), so Word checks the right spelling."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    run_properties = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if run_properties is None:
        return
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Mark the whole `paragraph` as bookmark `name` (a target for internal links)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    element = paragraph._p
    properties = element.find(qn("w:pPr"))
    element.insert(0 if properties is None else 1, start)
    element.append(end)


def add_internal_link(
    paragraph: Paragraph, text: str, anchor: str, *, italic: bool = False
) -> None:
    """`text` as a link to the bookmark `anchor` in the same document."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    if italic:
        properties = OxmlElement("w:rPr")
        properties.append(OxmlElement("w:i"))
        run.append(properties)
    run_text = OxmlElement("w:t")
    run_text.text = text
    run_text.set(qn("xml:space"), "preserve")
    run.append(run_text)
    link.append(run)
    paragraph._p.append(link)


def repeat_as_header(row: _Row) -> None:
    """Repeat `row` at the top of every page the table runs onto, and keep it in one piece."""
    properties = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)


def _field_runs(paragraph: Paragraph, instruction: str, *, result: str) -> None:
    _append_field_char(paragraph, "begin")
    _append_instruction(paragraph, instruction)
    _append_field_char(paragraph, "separate")
    paragraph.add_run(result)
    _append_field_char(paragraph, "end")


def _append_field_char(paragraph: Paragraph, kind: str) -> None:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    paragraph._p.append(run)


def _append_instruction(paragraph: Paragraph, instruction: str) -> None:
    run = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    run.append(text)
    paragraph._p.append(run)


def _ensure_toc_styles(document: DocumentType) -> None:
    """Word's built-in "TOC 1", "TOC 2" paragraph styles (absent from python-docx's template)."""
    names = {style.name for style in document.styles}
    for level in range(1, TOC_LEVELS + 1):
        name = f"TOC {level}"
        if name in names:
            continue
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        style.paragraph_format.space_after = Pt(3)
