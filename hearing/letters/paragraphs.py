"""A letter's paragraphs as they are read, counted against the text limit.

Every reader (Word, ODT, PDF, text recognition) hands its paragraphs to one `Paragraphs`, so the
text has one shape whatever the file: paragraphs separated by a blank line, a line break inside
a paragraph kept (a signature's name over its title), runs of spaces made one, control characters
dropped. The characters are counted as they come, so a file stuffed with text is refused as soon
as it passes the limit, and the deadline is checked as the reading goes on.
"""

from __future__ import annotations

import re

from hearing.imports.limits import Deadline, ImportLimits, LimitExceeded

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\ufeff\u00ad]")
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CHECK_EVERY = 256


class Paragraphs:
    def __init__(self, limits: ImportLimits, deadline: Deadline) -> None:
        self.limits = limits
        self.deadline = deadline
        self.characters = 0
        self._paragraphs: list[str] = []

    def add(self, text: str) -> None:
        """Add a paragraph (nothing when it is blank)."""
        if len(self._paragraphs) % _CHECK_EVERY == 0:
            self.deadline.check()
        cleaned = clean_paragraph(text)
        if not cleaned:
            return
        self.characters += len(cleaned) + 2
        if self.characters > self.limits.max_text_chars:
            raise LimitExceeded("too_much_text", limit=self.limits.max_text_chars)
        self._paragraphs.append(cleaned)

    def extend(self, texts: list[str]) -> None:
        for text in texts:
            self.add(text)

    def __len__(self) -> int:
        return len(self._paragraphs)

    def text(self) -> str:
        return "\n\n".join(self._paragraphs)


def clean_paragraph(text: str) -> str:
    """`text` with its lines stripped, spaces made one and blank lines left out."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_SPACES.sub(" ", line).strip(" \t") for line in text.split("\n"))
    return "\n".join(line for line in lines if line.strip())
