"""What reading a letter gives: its kind, its text and what the secretariat should know about it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hearing.imports.limits import LimitExceeded


class LetterKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    ODT = "odt"


@dataclass(frozen=True)
class ExtractedLetter:
    """A letter's text: paragraphs separated by blank lines, each heading a line of its own.

    `needs_text` says the text is incomplete, because pages are scans that could not be read
    (no Tesseract, its budget spent, or it failed) or the letter has no text at all, so the
    secretariat should type or paste it. `notes` are codes `messages.message` words.
    """

    kind: LetterKind
    text: str
    pages: int  # PDF pages; 1 for DOCX and ODT
    needs_text: bool
    ocr_pages: int  # pages read by text recognition
    notes: tuple[str, ...]


class LetterRejected(ValueError):
    """The file cannot be taken as a letter; `messages.message(code, locale, params)` says why."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, object] = params

    @classmethod
    def from_limit(cls, error: LimitExceeded) -> LetterRejected:
        """The same refusal as an import limit gives, in a letter's words."""
        return cls(error.code, **error.params)
