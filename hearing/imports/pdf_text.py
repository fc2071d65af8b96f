"""Extract the text of a PDF (such as a compiled hearing document) with pypdf."""

from __future__ import annotations

import io

from pypdf import PdfReader


def extract_text(data: bytes) -> str:
    """The text of every page in order, pages separated by a newline."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
