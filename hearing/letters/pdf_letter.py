"""The text of a PDF letter, its scanned pages read by text recognition.

The page content is priced first, as for a compiled document (`hearing.imports.pdf_text`), then
each page's text is taken as laid out, so paragraphs, headings and a letterhead's lines stay
apart (`page_layout`). A page with (almost) no text but a page-sized picture is a scan: once
every page's text is read, the scans are given to Tesseract, within a budget of their own (a
number of pages, seconds per page, and the import's seconds once more in all), so a letter of
scans neither hangs an import nor loses the pages that do have text. A scan that is not read
(no Tesseract, budget spent, Tesseract failed) leaves the letter with `needs_text`.

Pictures are measured before pypdf decodes them: a page-sized scan at 300 dpi is some 9
megapixels, so one beyond `MAX_SCAN_PIXELS` is not decoded at all.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, StreamObject

from hearing.imports.limits import Deadline, ImportLimits, LimitExceeded
from hearing.imports.pdf_text import check_pages
from hearing.letters import ocr
from hearing.letters.letter import LetterRejected
from hearing.letters.page_layout import page_paragraphs, text_width
from hearing.letters.paragraphs import Paragraphs

MIN_TEXT_CHARACTERS = (
    25  # letters and digits below which a page with a scan-sized picture is a scan
)
MIN_SCAN_PIXELS = 250_000  # a picture of a page (a logo or a signature is smaller)
MAX_SCAN_PIXELS = 60_000_000  # A4 at 600 dpi is 35 megapixels
_GOOD_DPI = 300  # what Tesseract reads best; scans below `_LOW_DPI` are enlarged to it
_LOW_DPI = 200
_MAX_FORM_DEPTH = (
    4  # pictures inside forms inside forms: scanners wrap a page at most once or twice
)
_WORD_CHARACTER = re.compile(r"\w")


@dataclass
class PdfReading:
    pages: int = 0
    ocr_pages: int = 0
    unread_pages: int = 0
    notes: list[str] = field(default_factory=list)

    def note(self, code: str) -> None:
        if code not in self.notes:
            self.notes.append(code)


def read_pdf(
    data: bytes, limits: ImportLimits, deadline: Deadline, paragraphs: Paragraphs
) -> PdfReading:
    """Add the letter's paragraphs page by page; say how many pages there were and which were
    read by text recognition or could not be read."""
    reader = _open(data)
    try:
        check_pages(reader.pages, len(data), limits, deadline)
        pages = list(reader.pages)
    except LimitExceeded:
        raise
    except Exception as error:  # a damaged page tree
        raise LetterRejected("letter_damaged", detail=str(error)) from error
    reading = PdfReading(pages=len(pages))
    laid_out: list[str] = []
    scans: list[int] = []
    counted = Paragraphs(limits, deadline)  # refuses a text over the limit before any OCR
    for number, page in enumerate(pages):
        deadline.check()
        laid_out.append(_page_text(page, reading))
        counted.add(laid_out[-1])
        if len(_WORD_CHARACTER.findall(laid_out[-1])) < MIN_TEXT_CHARACTERS and _scans(page):
            scans.append(number)
    width = text_width(laid_out)
    texts = [page_paragraphs(text, width) for text in laid_out]
    if scans:
        _recognise(pages, scans, texts, limits, reading)
    for page_texts in texts:
        paragraphs.extend(page_texts)
    return reading


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LetterRejected("letter_encrypted")
    except LetterRejected:
        raise
    except Exception as error:  # pypdf raises many types for damage, and for AES without a library
        if "crypt" in type(error).__name__.lower() or "crypt" in str(error).lower():
            raise LetterRejected("letter_encrypted") from error
        raise LetterRejected("letter_damaged", detail=str(error)) from error
    return reader


def _page_text(page: Any, reading: PdfReading) -> str:
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:  # one damaged page does not lose the others
        reading.note("page_unreadable")
        reading.unread_pages += 1
        return ""


def _recognise(
    pages: list[Any],
    scans: list[int],
    texts: list[list[str]],
    limits: ImportLimits,
    reading: PdfReading,
) -> None:
    """Read the scanned pages with Tesseract within the OCR budget; count those left unread."""
    if limits.max_ocr_pages <= 0:  # not here (a public upload): the secretariat has them read
        reading.unread_pages += len(scans)
        reading.note("ocr_skipped")
        return
    if not ocr.ocr_available():
        reading.unread_pages += len(scans)
        reading.note("ocr_unavailable")
        return
    budget = Deadline(limits.max_seconds)
    for number in scans:
        if reading.ocr_pages >= limits.max_ocr_pages or budget.remaining() < 1:
            reading.unread_pages += 1
            reading.note("ocr_partial")
            continue
        seconds = min(limits.max_ocr_page_seconds, budget.remaining())
        try:
            text = _recognise_page(pages[number], seconds)
        except ocr.OcrFailed:
            reading.unread_pages += 1
            reading.note("ocr_failed")
            continue
        reading.ocr_pages += 1
        texts[number] = page_paragraphs(text)
    if reading.ocr_pages:
        reading.note("ocr_used")


def _recognise_page(page: Any, seconds: float) -> str:
    """The text of a scanned page's pictures, in the order the page lists them."""
    ends = time.monotonic() + seconds
    parts = []
    for key, pixels in _scans(page):
        if pixels > MAX_SCAN_PIXELS:
            raise ocr.OcrFailed(f"a picture of {pixels} pixels")
        try:
            picture = page.images[key].image
        except Exception as error:  # a picture pypdf cannot decode (JBIG2 without a decoder…)
            raise ocr.OcrFailed(str(error)) from error
        if picture is None:
            raise ocr.OcrFailed("no picture")
        picture, dpi = _prepared(picture, page)
        parts.append(ocr.read_picture(picture, ends - time.monotonic(), dpi))
    return "\n\n".join(parts)


def _prepared(picture: Any, page: Any) -> tuple[Any, int | None]:
    """The picture in grey, turned as the page shows it, enlarged when scanned coarsely."""
    from PIL import Image

    picture = picture.convert("L")
    rotation = int(page.get("/Rotate", 0) or 0) % 360
    if rotation:
        picture = picture.rotate(-rotation, expand=True)
    width_points = max(float(page.mediabox.width), float(page.mediabox.height), 1.0)
    dpi = round(max(picture.size) / (width_points / 72))
    if 0 < dpi < _LOW_DPI:
        scale = min(_GOOD_DPI / dpi, (MAX_SCAN_PIXELS / (picture.width * picture.height)) ** 0.5)
        if scale > 1:
            size = (round(picture.width * scale), round(picture.height * scale))
            picture = picture.resize(size, Image.Resampling.LANCZOS)
            dpi = round(dpi * scale)
    return picture, dpi if dpi > 0 else None


def _scans(page: Any) -> list[tuple[Any, int]]:
    """The keys (as `page.images` takes them) and sizes of the page's scan-sized pictures."""
    found: list[tuple[Any, int]] = []
    _collect(page, [], found, depth=0)
    return found


def _collect(owner: Any, path: list[str], found: list[tuple[Any, int]], depth: int) -> None:
    resources = _dictionary(owner.get("/Resources"))
    objects = _dictionary(resources.get("/XObject"))
    for name in objects:
        stream = objects[name]
        stream = stream.get_object() if hasattr(stream, "get_object") else stream
        if not isinstance(stream, StreamObject):
            continue
        if stream.get("/Subtype") == "/Image":
            pixels = _number(stream.get("/Width")) * _number(stream.get("/Height"))
            if pixels >= MIN_SCAN_PIXELS:
                found.append((name if not path else [*path, name], pixels))
        elif stream.get("/Subtype") == "/Form" and depth < _MAX_FORM_DEPTH:
            _collect(stream, [*path, name], found, depth + 1)


def _dictionary(value: Any) -> DictionaryObject:
    value = value.get_object() if hasattr(value, "get_object") else value
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def _number(value: Any) -> int:
    value = value.get_object() if hasattr(value, "get_object") else value
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
