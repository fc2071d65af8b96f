"""The text of a Word letter (DOCX), read with python-docx.

The body is walked in document order, paragraphs and tables alike: a table's cells become
paragraphs row by row (a letter answering in a table keeps "Spørsmål 2" before its answer),
content controls and text boxes are opened, deleted tracked changes and field codes are left
out. The letterhead of the first page and the footer (where the organisation number and the
e-mail address often are) are read too, before and after the body, as the sender is proposed
from them. List and heading numbers Word computes are written out (`docx_numbering`), so
"2. Målsettinger" reads as it looks.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from hearing.letters.docx_numbering import Numbering
from hearing.letters.letter import LetterRejected
from hearing.letters.paragraphs import Paragraphs

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TEXT = {W + "t": None, W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
# Deleted and moved-away text, field instructions, footnote marks and the fallback copy of a
# drawing (its text box is read from the preferred copy) are not what the letter says.
_SKIPPED = {
    W + "del",
    W + "moveFrom",
    W + "instrText",
    W + "delText",
    W + "pPr",
    W + "rPr",
    _MC + "Fallback",
}
_TEXT_BOX = W + "txbxContent"


def read_docx(data: bytes, paragraphs: Paragraphs) -> None:
    """Add the letter's paragraphs, letterhead first and footer last."""
    import docx  # python-docx loads lxml's parsers; only letters need it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx and lxml raise many types for damage
        raise LetterRejected("letter_damaged", detail=str(error)) from error
    numbering = Numbering.of(document)
    header, footer = _first_page_parts(document)
    for part in (header, document.element.body, footer):
        if part is not None:
            paragraphs.extend(list(_blocks(part, numbering)))


def _first_page_parts(document: Any) -> tuple[Any, Any]:
    """The elements of the header and footer the first page shows (None where it has none)."""
    if not document.sections:
        return None, None
    section = document.sections[0]
    first = section.different_first_page_header_footer
    header = section.first_page_header if first else section.header
    footer = section.first_page_footer if first else section.footer
    return (
        None if header.is_linked_to_previous else header._element,
        None if footer.is_linked_to_previous else footer._element,
    )


def _blocks(container: Any, numbering: Numbering) -> Iterator[str]:
    """The paragraphs of a body, cell, header or text box, in order."""
    for child in container:
        tag = child.tag
        if tag == W + "p":
            text, boxes = _paragraph(child)
            for box in boxes:
                yield from _blocks(box, numbering)
            yield numbering.label(child) + text
        elif tag == W + "tbl":
            for row in _children(child, W + "tr"):
                for cell in _children(row, W + "tc"):
                    yield from _blocks(cell, numbering)
        elif tag == W + "sdt" and (content := child.find(W + "sdtContent")) is not None:
            yield from _blocks(content, numbering)
        elif tag == W + "customXml":
            yield from _blocks(child, numbering)


def _children(element: Any, tag: str) -> Iterator[Any]:
    """`element`'s children with `tag`, also those wrapped in content controls."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == W + "sdt" and (content := child.find(W + "sdtContent")) is not None:
            yield from _children(content, tag)
        elif child.tag == W + "customXml":
            yield from _children(child, tag)


def _paragraph(element: Any) -> tuple[str, list[Any]]:
    """A paragraph's text, and the text boxes anchored in it (read as paragraphs of their own)."""
    parts: list[str] = []
    boxes: list[Any] = []

    def walk(node: Any) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag in _TEXT:
                parts.append(_TEXT[tag] or child.text or "")
            elif tag == _TEXT_BOX:
                boxes.append(child)
            else:
                walk(child)

    walk(element)
    return "".join(parts), boxes
