"""A page's lines as laid out (pypdf's layout mode, or Tesseract) made into paragraphs.

Both give the page line by line as it looks: a blank line where the text leaves a gap, a
paragraph broken into the lines that fit the page, a letterhead's columns side by side on one
line with many spaces between. A letter's text should read as paragraphs, so lines that run to
the page's text width are joined with the next (a word broken at a hyphen made whole again),
columns become lines of their own, and page numbers are dropped. Short lines stay lines: an
address, a signature's name and title, a heading.
"""

from __future__ import annotations

import itertools
import re

# A gap this wide inside a line separates columns; pypdf stretches a justified line's spaces
# to two or three at most.
_COLUMN_GAP = re.compile(r" {6,}|\t")
# A page of short lines only (a signature, an address) has no wrapped lines at all.
_NARROWEST_TEXT = 50
_WIDE_ENOUGH = 0.75  # of the page's longest line: such a line was broken where the page ended
_LIST_MARKER = re.compile(r"^(?:[-–•▪●*]\s|\(?\d{1,2}[.)]\s|\(?[a-zæøå][.)]\s)")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:side|page|s\.)\s*\d+(?:\s*(?:av|of|/)\s*\d+)?|\d+\s*(?:/|av|of)\s*\d+|[-–]\s*\d+\s*[-–])$",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
# Words that follow a hyphen at a line's end when the hyphen is kept: "barne- og familie".
_HYPHEN_KEPT_BEFORE = {"og", "eller", "samt", "til", "and", "or"}


def text_width(page_texts: list[str]) -> int:
    """The width of the text of all pages: its longest line (a column's, not the row's)."""
    return max(
        (len(cell) for text in page_texts for line in text.split("\n") for cell in _columns(line)),
        default=0,
    )


def page_paragraphs(page_text: str, width: int = 0) -> list[str]:
    """The paragraphs of one page, each with its lines joined where the page wrapped them.
    `width` is the letter's text width (its longest line), when known beyond this page."""
    lines = [cell for line in page_text.split("\n") for cell in _columns(line)]
    lines = _without_page_numbers(lines)
    width = max(width, _NARROWEST_TEXT, *(len(line) for line in lines))
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(line)
    return [_joined(block, width) for block in paragraphs if block]


def _columns(line: str) -> list[str]:
    """A line's columns; "" for a blank line (a paragraph's end)."""
    cells = [" ".join(cell.split()) for cell in _COLUMN_GAP.split(line)]
    cells = [cell for cell in cells if cell]
    return cells or [""]


def _without_page_numbers(lines: list[str]) -> list[str]:
    filled = [index for index, line in enumerate(lines) if line]
    edges = set(filled[:2] + filled[-2:])
    return [
        "" if _PAGE_NUMBER.match(line) or (index in edges and _BARE_NUMBER.match(line)) else line
        for index, line in enumerate(lines)
    ]


def _joined(block: list[str], width: int) -> str:
    """The lines of one block: a line as wide as the page runs on into the next one."""
    text = block[0]
    for previous, line in itertools.pairwise(block):
        wrapped = len(previous) >= _WIDE_ENOUGH * width and not _LIST_MARKER.match(line)
        if not wrapped:
            text += "\n" + line
        elif _broken_word(previous, line):
            text = text[:-1] + line
        else:
            text += " " + line
    return text


def _broken_word(previous: str, line: str) -> bool:
    """Whether `previous` ends in a word the page broke at a hyphen that `line` finishes."""
    if len(previous) < 2 or previous[-1] != "-" or not previous[-2].isalpha():
        return False
    first = line.split(maxsplit=1)[0] if line.split() else ""
    return first[:1].islower() and first.rstrip(",.;:") not in _HYPHEN_KEPT_BEFORE
