"""Extract the text of a PDF (such as a compiled hearing document) with pypdf, within limits.

pypdf parses a page's content stream anew for every page that shows it, and a form XObject
anew for every `Do` that draws it, at about half a megabyte a second. A 5 KB file whose ten
pages share one 1.2 MB stream so costs half a minute, and three thousand such pages hours. So
before any text is extracted the work is priced: the decoded bytes of every page's content,
and of every form it draws, counted once per use. A document over the page limit, over the
content limit, or whose content is reused far beyond its own size is refused at once; the
extracted text is counted page by page, and the time between pages.
"""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from hearing.imports.limits import Deadline, ImportLimits, LimitExceeded

# A real document's page content unpacks to some five times its file size at most (text in
# Flate streams, fonts alongside): far more means the same content is drawn again and again.
MAX_CONTENT_RATIO = 50
_RATIO_APPLIES_ABOVE = 1024 * 1024
# Forms inside forms: no real document nests them this deep, so deeper counts as too much.
_MAX_FORM_DEPTH = 32
# Drawing a form costs pypdf more than its bytes (it reads the form's fonts again each time),
# and a form of no bytes drawn a million times must not cost nothing.
_FORM_DRAW_COST = 1024
_DRAW = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![^\s/\[\]()<>{}%])")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_MEGABYTE = 1024 * 1024


def extract_text(data: bytes, limits: ImportLimits | None = None) -> str:
    """The text of every page in order, pages separated by a newline; raises `LimitExceeded`."""
    limits = limits or ImportLimits()
    deadline = limits.deadline()
    reader = PdfReader(io.BytesIO(data))
    pages = reader.pages
    check_pages(pages, len(data), limits, deadline)
    texts: list[str] = []
    characters = 0
    for page in pages:
        deadline.check()
        text = page.extract_text() or ""
        characters += len(text)
        if characters > limits.max_text_chars:
            raise LimitExceeded("too_much_text", limit=limits.max_text_chars)
        texts.append(text)
    return "\n".join(texts)


def check_pages(pages: Any, file_size: int, limits: ImportLimits, deadline: Deadline) -> None:
    """Refuse a document over the page limit, or whose page content costs too much to read."""
    if len(pages) > limits.max_pdf_pages:
        raise LimitExceeded("pdf_too_many_pages", pages=len(pages), limit=limits.max_pdf_pages)
    check_content_cost(pages, file_size, limits, deadline)


def check_content_cost(pages: Any, file_size: int, limits: ImportLimits, deadline: Deadline) -> int:
    """The decoded content bytes text extraction would parse; raises `LimitExceeded` when
    they exceed the limit, or exceed `MAX_CONTENT_RATIO` times the file's size."""
    total = 0
    for page in pages:
        deadline.check()
        total += _content_cost(page.get("/Contents"), page.get("/Resources"), limits)
        if total > limits.max_pdf_content_bytes:
            raise LimitExceeded(
                "pdf_too_much_content",
                size=_megabytes(total),
                limit=_megabytes(limits.max_pdf_content_bytes),
            )
    if total > _RATIO_APPLIES_ABOVE and total > MAX_CONTENT_RATIO * file_size:
        raise LimitExceeded("pdf_content_reused", size=_megabytes(total), ratio=MAX_CONTENT_RATIO)
    return total


def _content_cost(
    contents: Any, resources: Any, limits: ImportLimits, drawing: frozenset[int] = frozenset()
) -> int:
    """Bytes of `contents` (a stream or an array of them) plus those of the forms it draws,
    each counted as often as it is drawn and at least `_FORM_DRAW_COST`; a form drawing
    itself is skipped, as pypdf skips it. Stops counting once over the limit."""
    contents = _resolved(contents)
    items = contents if isinstance(contents, ArrayObject) else [contents]
    streams = [stream for item in items if isinstance(stream := _resolved(item), StreamObject)]
    data = b"".join(stream.get_data() for stream in streams)
    cost = len(data)
    forms = _dictionary(_dictionary(resources).get("/XObject"))
    if b"Do" not in data or not forms:
        return cost
    if len(drawing) >= _MAX_FORM_DEPTH:
        return limits.max_pdf_content_bytes + 1
    for match in _DRAW.finditer(data):
        name = _NAME_ESCAPE.sub(lambda hex_digits: bytes([int(hex_digits[1], 16)]), match[1])
        form = _resolved(forms.get("/" + name.decode("latin-1")))
        if not isinstance(form, StreamObject) or form.get("/Subtype") != "/Form":
            continue
        if id(form) in drawing:
            continue
        own = form.get("/Resources")
        cost += _FORM_DRAW_COST + _content_cost(
            form, own if own is not None else resources, limits, drawing | {id(form)}
        )
        if cost > limits.max_pdf_content_bytes:
            break
    return cost


def _resolved(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _dictionary(value: Any) -> DictionaryObject:
    """`value` resolved if it is a dictionary, else an empty one (damaged files lack some)."""
    value = _resolved(value)
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def _megabytes(size: int) -> str:
    return f"{size / _MEGABYTE:.1f}"
