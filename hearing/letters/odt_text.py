"""The text of an OpenDocument letter (ODT, as LibreOffice writes it), read with odfpy.

The body is walked in document order: paragraphs and headings, lists (their numbers or bullets
written out, as the reader sees them), tables cell by cell, sections and text boxes. Comments,
footnote marks and the deleted text kept by tracked changes are left out. The first page's
header and footer are read too, before and after the body, as for Word letters.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from hearing.letters.letter import LetterRejected
from hearing.letters.list_numbers import shown_number
from hearing.letters.paragraphs import Paragraphs

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_BLOCKS = {(TEXT, "p"), (TEXT, "h")}
# Containers whose children are read as they come.
_OPEN = {
    (TEXT, "section"),
    (TABLE, "table"),
    (TABLE, "table-header-rows"),
    (TABLE, "table-rows"),
    (TABLE, "table-row-group"),
    (TABLE, "table-row"),
    (TABLE, "table-cell"),
    (DRAW, "frame"),
    (DRAW, "text-box"),
    (TEXT, "index-body"),
}
_SKIPPED = {
    (OFFICE, "annotation"),
    (OFFICE, "annotation-end"),
    (TEXT, "note-citation"),
    (TEXT, "tracked-changes"),
    (TEXT, "sequence-decls"),
    (TEXT, "soft-page-break"),
    (TABLE, "covered-table-cell"),
    (TEXT, "index-title-template"),
}
_MAX_LIST_DEPTH = 10
_MAX_DEPTH = 64  # nesting beyond this is no letter's, and would exhaust the stack


def read_odt(data: bytes, paragraphs: Paragraphs) -> None:
    """Add the letter's paragraphs, its header first and its footer last."""
    from odf.opendocument import load  # odfpy, only for letters

    try:
        document = load(io.BytesIO(data))
    except Exception as error:  # odfpy, expat and zipfile raise many types for damage
        raise LetterRejected("letter_damaged", detail=str(error)) from error
    lists = _ListStyles(document)
    header, footer = _first_page_parts(document)
    for part in (header, document.text, footer):
        if part is not None:
            paragraphs.extend(list(_blocks(part, lists, depth=0)))


def _first_page_parts(document: Any) -> tuple[Any, Any]:
    """The header and footer of the first master page (letters use one)."""
    masters = [node for node in _elements(document.masterstyles) if node.qname[1] == "master-page"]
    if not masters:
        return None, None
    header = footer = None
    for child in _elements(masters[0]):
        if child.qname == (STYLE, "header"):
            header = child
        elif child.qname == (STYLE, "footer"):
            footer = child
    return header, footer


def _blocks(container: Any, lists: _ListStyles, depth: int) -> Iterator[str]:
    if depth > _MAX_DEPTH:
        raise LetterRejected("letter_odd_archive", detail="nesting too deep")
    for child in _elements(container):
        name = child.qname
        if name in _BLOCKS:
            text, frames = _paragraph(child)
            for frame in frames:
                yield from _blocks(frame, lists, depth + 1)
            prefix = lists.outline_label(child) if name == (TEXT, "h") else ""
            yield prefix + text
        elif name == (TEXT, "list"):
            yield from _list(child, lists, depth + 1, level=0, style=None)
        elif name in _OPEN:
            yield from _blocks(child, lists, depth + 1)


def _list(
    element: Any, lists: _ListStyles, depth: int, level: int, style: str | None
) -> Iterator[str]:
    style = element.getAttrNS(TEXT, "style-name") or style
    counter = lists.counter(element, style, level)
    for item in _elements(element):
        if item.qname not in ((TEXT, "list-item"), (TEXT, "list-header")):
            continue
        label = counter.next(item) if item.qname == (TEXT, "list-item") else ""
        for child in _elements(item):
            if child.qname == (TEXT, "list") and level < _MAX_LIST_DEPTH:
                yield from _list(child, lists, depth + 1, level + 1, style)
            else:
                for text in _blocks(_Single(child), lists, depth + 1):
                    yield label + text
                    label = ""


def _paragraph(element: Any) -> tuple[str, list[Any]]:
    """The text of a paragraph or heading, and the frames (text boxes) anchored in it."""
    parts: list[str] = []
    frames: list[Any] = []

    def walk(node: Any, depth: int) -> None:
        for child in node.childNodes:
            if child.nodeType == child.TEXT_NODE:
                parts.append(child.data)
                continue
            if child.nodeType != child.ELEMENT_NODE or depth > _MAX_DEPTH:
                continue
            name = child.qname
            if name in _SKIPPED:
                continue
            if name == (TEXT, "s"):
                parts.append(" " * min(int(child.getAttrNS(TEXT, "c") or 1), 100))
            elif name == (TEXT, "tab"):
                parts.append("\t")
            elif name == (TEXT, "line-break"):
                parts.append("\n")
            elif name == (TEXT, "note"):
                continue  # a footnote's body is not part of the sentence it hangs on
            elif name == (DRAW, "frame"):
                frames.append(child)
            else:
                walk(child, depth + 1)

    walk(element, 0)
    return "".join(parts), frames


class _Single:
    """One element seen as a container of itself, so `_blocks` reads it."""

    def __init__(self, element: Any) -> None:
        self.childNodes = [element]


def _elements(node: Any) -> Iterator[Any]:
    for child in node.childNodes:
        if child.nodeType == child.ELEMENT_NODE:
            yield child


class _Counter:
    """The numbers of one list level: "1.", "2.", …, or a bullet."""

    def __init__(self, level_style: Any, start: int) -> None:
        self.value = start - 1
        self.level_style = level_style

    def next(self, item: Any) -> str:
        style = self.level_style
        if style is None:
            return "- "
        if style.qname[1] == "list-level-style-bullet":
            return "- "
        restart = item.getAttrNS(TEXT, "start-value")
        self.value = int(restart) if restart and restart.isdigit() else self.value + 1
        kind = style.getAttrNS(STYLE, "num-format") or ""
        if not kind:
            return ""
        prefix = style.getAttrNS(STYLE, "num-prefix") or ""
        suffix = style.getAttrNS(STYLE, "num-suffix") or ""
        return f"{prefix}{_number(self.value, kind)}{suffix} "


class _ListStyles:
    """List and outline styles by name, and the counters of lists that continue each other."""

    def __init__(self, document: Any) -> None:
        self.styles: dict[str, Any] = {}
        self.outline: Any = None
        for root in (document.styles, document.automaticstyles):
            for style in _elements(root):
                if style.qname == (TEXT, "list-style"):
                    self.styles[style.getAttrNS(STYLE, "name")] = style
                elif style.qname == (TEXT, "outline-style"):
                    self.outline = style
        self.previous: dict[tuple[str | None, int], _Counter] = {}
        self.outline_counts: dict[int, int] = {}

    def counter(self, element: Any, style: str | None, level: int) -> _Counter:
        continues = element.getAttrNS(TEXT, "continue-numbering") == "true" or bool(
            element.getAttrNS(TEXT, "continue-list")
        )
        key = (style, level)
        if continues and key in self.previous:
            return self.previous[key]
        level_style = _level_style(self.styles.get(style or ""), level + 1)
        start = level_style.getAttrNS(TEXT, "start-value") if level_style is not None else None
        counter = _Counter(level_style, int(start) if start and start.isdigit() else 1)
        self.previous[key] = counter
        return counter

    def outline_label(self, heading: Any) -> str:
        """The chapter number LibreOffice shows before a heading ("2." or "2.1"), if any."""
        raw = heading.getAttrNS(TEXT, "outline-level")
        level = int(raw) if raw and raw.isdigit() else 1
        style = _level_style(self.outline, level)
        if style is None or not (style.getAttrNS(STYLE, "num-format") or ""):
            return ""
        for deeper in [key for key in self.outline_counts if key > level]:
            del self.outline_counts[deeper]
        self.outline_counts[level] = self.outline_counts.get(level, 0) + 1
        shown = style.getAttrNS(TEXT, "display-levels")
        shown_levels = int(shown) if shown and shown.isdigit() else 1
        numbers = []
        for number in range(max(1, level - shown_levels + 1), level + 1):
            level_style = _level_style(self.outline, number)
            kind = level_style.getAttrNS(STYLE, "num-format") if level_style is not None else ""
            numbers.append(_number(self.outline_counts.get(number, 1), kind or "1"))
        prefix = style.getAttrNS(STYLE, "num-prefix") or ""
        suffix = style.getAttrNS(STYLE, "num-suffix") or ""
        return f"{prefix}{'.'.join(numbers)}{suffix} "


def _level_style(list_style: Any, level: int) -> Any:
    if list_style is None:
        return None
    for child in _elements(list_style):
        if child.getAttrNS(TEXT, "level") == str(level):
            return child
    return None


_KINDS = {"a": "letter", "A": "LETTER", "i": "roman", "I": "ROMAN"}


def _number(value: int, kind: str) -> str:
    return shown_number(value, _KINDS.get(kind, "decimal"))
