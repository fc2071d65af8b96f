"""Clean the lines of a compiled hearing document before any structure is read from them.

PDF extraction leaves debris that has nothing to do with the hearing: page numbers, the document
title repeated as a running header, repeated "Svar" table headers, bullets from the Symbol font
on lines of their own, trailing spaces. Those are removed here, once, so the structural parser
can assume clean lines. What PDF extraction does tell us is kept: a line that started with a
space is the first line on a new page (`page_start`), which is where blank lines go missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BULLET = "•"
# Glyphs PDF extraction produces for list bullets (Symbol/Wingdings private-use points included).
_BULLET_GLYPHS = "\uf0b7\uf0a7\uf076\uf0d8\uf0fc●▪◦∙·"
_PAGE_NUMBER = re.compile(
    r"^(?:side|page)?\s*-?\s*\d{1,4}\s*-?(?:\s*(?:av|/|of)\s*\d{1,4})?$", re.I
)
_SPACES = re.compile(r"\s+")
SVAR = "svar"
# A name in the PDF's name column wraps at about 25 characters; longer lines belong to text.
NAME_WIDTH = 32
# A question or category header never runs over more lines than this in the name column.
MAX_NAME_LINES = 8


@dataclass(frozen=True)
class Line:
    """One cleaned line; `text` is "" for a blank line."""

    text: str
    page_start: bool = False

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def short(self) -> bool:
        return 0 < len(self.text) <= NAME_WIDTH


def normalise(raw: str) -> str:
    """Collapse runs of whitespace and turn bullet glyphs into one bullet character."""
    text = raw
    for glyph in _BULLET_GLYPHS:
        text = text.replace(glyph, BULLET)
    return _SPACES.sub(" ", text).strip()


def split_lines(text: str) -> list[Line]:
    """Split raw extracted text into normalised lines, marking the ones that open a page."""
    lines: list[Line] = []
    for raw in text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        cleaned = normalise(raw)
        lines.append(Line(cleaned, page_start=bool(cleaned) and raw[:1].isspace()))
    return lines


def is_page_number(text: str) -> bool:
    return bool(text) and bool(_PAGE_NUMBER.match(text))


def remove_debris(lines: list[Line], running_headers: set[str]) -> list[Line]:
    """Drop page numbers, running headers and stray "Svar" headers; join lone bullets.

    A dropped line marks the next line as the start of a page, because that is what it was.
    """
    kept: list[Line] = []
    carry_page_start = False
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        debris = is_page_number(line.text) or line.text in running_headers
        if debris or line.text.casefold() == SVAR:
            carry_page_start = True
            continue
        if line.text == BULLET:
            follower = lines[index] if index < len(lines) else Line("")
            in_empty_list = index >= 2 and lines[index - 2].text == BULLET
            if follower.blank or follower.text == BULLET or follower.page_start or in_empty_list:
                line = Line("")  # an empty list item prints as an empty line
            else:
                line = Line(f"{BULLET} {follower.text}", line.page_start or follower.page_start)
                index += 1
        if carry_page_start and not line.blank:
            line = Line(line.text, page_start=True)
            carry_page_start = False
        kept.append(line)
    return kept


def join_name(parts: list[str]) -> str:
    """Join the wrapped lines of a name or header the way a reader would.

    "rus-" + "Midt-Norge" is a compound broken at its hyphen ("rus-Midt-Norge"); "Barne-" + "og"
    is a shortened word ("Barne- og"); "Fellesorganisasjonen -" + "FO" is a dash.
    """
    joined = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if not joined:
            joined = part
        elif joined.endswith("-") and joined[-2:-1].isalnum() and part[:1].isupper():
            joined += part
        else:
            joined += " " + part
    return joined


def ends_sentence(text: str) -> bool:
    """Whether a line ends the way running text does, not the way a name does."""
    return text.rstrip().endswith((".", "!", "?", ":", ";", ","))
