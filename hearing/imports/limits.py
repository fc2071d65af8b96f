"""How much work one uploaded file may cost: rows, columns, cells, pages, text and seconds.

A file's size says little about the work it causes. A 5 KB workbook may declare a sheet of
16,384 × 1,048,576 cells that openpyxl then pads row by row; a 5 KB PDF may point ten pages at
one shared megabyte of drawing operators, each page parsed anew. So the importers count what
they do as they do it and stop with a message naming the limit, instead of keeping a worker
busy for minutes. The limits are settings (`IMPORT_MAX_*` in `hearing/config.py`); the
defaults hold a 100,000-row response file and a compiled document of some thousand pages.

No Flask here: the readers get an `ImportLimits` and raise `LimitExceeded`, whose code and
parameters `messages.message` words in bokmål or English, as for every other import problem.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

# Setting name in the app's config → field of `ImportLimits`.
CONFIG_NAMES: dict[str, str] = {
    "IMPORT_MAX_ROWS": "max_rows",
    "IMPORT_MAX_COLUMNS": "max_columns",
    "IMPORT_MAX_CELLS": "max_cells",
    "IMPORT_MAX_SECONDS": "max_seconds",
    "IMPORT_MAX_PDF_PAGES": "max_pdf_pages",
    "IMPORT_MAX_PDF_CONTENT_BYTES": "max_pdf_content_bytes",
    "IMPORT_MAX_TEXT_CHARS": "max_text_chars",
    "IMPORT_MAX_LETTER_BYTES": "max_letter_bytes",
    "IMPORT_MAX_UNPACKED_BYTES": "max_unpacked_bytes",
    "IMPORT_MAX_OCR_PAGES": "max_ocr_pages",
    "IMPORT_MAX_OCR_PAGE_SECONDS": "max_ocr_page_seconds",
}


class LimitExceeded(ValueError):
    """A file would cost more than a limit allows; nothing of it is imported."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class ImportLimits:
    """The budget of one import (defaults as in `DefaultConfig`)."""

    max_rows: int = 200_000  # data rows of a response file
    max_columns: int = 50  # columns of its header (the long format needs ten at most)
    max_cells: int = 2_000_000  # cells of a worksheet, empty ones with formatting included
    max_seconds: float = 120.0  # reading one file, from the first byte to its last row or page
    max_pdf_pages: int = 2_000
    max_pdf_content_bytes: int = 16 * 1024 * 1024  # page content, a shared stream once per use
    max_text_chars: int = 5_000_000  # text of a compiled document, extracted or uploaded
    max_letter_bytes: int = 25 * 1024 * 1024  # one letter file (PDF, DOCX, ODT) as uploaded
    max_unpacked_bytes: int = 64 * 1024 * 1024  # all members of a DOCX or ODT letter, unpacked
    max_ocr_pages: int = 20  # scanned pages of one letter read by text recognition
    max_ocr_page_seconds: float = 30.0  # text recognition of one scanned page

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ImportLimits:
        """The limits the app is configured with; a setting left out keeps its default."""
        types = {field.name: field.type for field in fields(cls)}
        given = {
            attribute: (float if types[attribute] == "float" else int)(config[name])
            for name, attribute in CONFIG_NAMES.items()
            if config.get(name) is not None
        }
        return cls(**given)

    def deadline(self) -> Deadline:
        return Deadline(self.max_seconds)


class Deadline:
    """The moment reading a file must have finished by; `check` is called between rows or
    pages, so the work is stopped within one of them of the limit."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left, never below zero (a time-out for work that cannot check itself)."""
        return max(0.0, self._ends - time.monotonic())

    def check(self) -> None:
        if time.monotonic() > self._ends:
            raise LimitExceeded("too_slow", seconds=f"{self.seconds:g}")
