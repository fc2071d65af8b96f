"""Read a letter (PDF, DOCX or ODT) into text, within the import limits.

The kind is told by the file's content, never its name: a renamed program or archive is no
letter whatever it is called. The limits are those of any import (`ImportLimits`): the file's
bytes, a DOCX or ODT's unpacked bytes, a PDF's pages and page content, the characters of the
text, the seconds of reading, and for scanned pages the pages and seconds text recognition may
take. A letter beyond one is refused with `LetterRejected`, whose code `messages` words; a
letter whose scans could not all be read is kept, with `needs_text` and a note saying why.
"""

from __future__ import annotations

from hearing.imports.limits import Deadline, ImportLimits, LimitExceeded
from hearing.letters.archive import archive_kind, check_archive, open_archive
from hearing.letters.docx_text import read_docx
from hearing.letters.letter import ExtractedLetter, LetterKind, LetterRejected
from hearing.letters.ocr import ocr_available
from hearing.letters.odt_text import read_odt
from hearing.letters.paragraphs import Paragraphs
from hearing.letters.pdf_letter import read_pdf

__all__ = [
    "ExtractedLetter",
    "LetterKind",
    "LetterRejected",
    "extract_letter",
    "ocr_available",
    "sniff_kind",
]

_PDF_HEADER = b"%PDF-"
_PDF_HEADER_WITHIN = 1024  # readers accept a PDF header after some bytes of junk
_ZIP_HEADER = b"PK\x03\x04"
_OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, and a password-protected .docx
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")
_MEGABYTE = 1024 * 1024


def sniff_kind(data: bytes) -> LetterKind | None:
    """The kind of letter `data` holds, by its content; None for anything else."""
    if data.startswith(_ZIP_HEADER):
        try:
            with open_archive(data) as archive:
                return archive_kind(archive)
        except LetterRejected:
            return None
    if _PDF_HEADER in data[:_PDF_HEADER_WITHIN]:
        return LetterKind.PDF
    return None


def extract_letter(data: bytes, limits: ImportLimits | None = None) -> ExtractedLetter:
    """The letter's text and what the secretariat should know of it; raises `LetterRejected`."""
    limits = limits or ImportLimits()
    if not data:
        raise LetterRejected("letter_empty")
    if len(data) > limits.max_letter_bytes:
        raise LetterRejected(
            "letter_too_large",
            size=f"{len(data) / _MEGABYTE:.1f}",
            limit=f"{limits.max_letter_bytes / _MEGABYTE:.0f}",
        )
    deadline = limits.deadline()
    paragraphs = Paragraphs(limits, deadline)
    try:
        kind = _kind(data, limits, deadline)
        if kind is LetterKind.PDF:
            reading = read_pdf(data, limits, deadline, paragraphs)
            pages, ocr_pages, unread, notes = (
                reading.pages,
                reading.ocr_pages,
                reading.unread_pages,
                list(reading.notes),
            )
        else:
            (read_docx if kind is LetterKind.DOCX else read_odt)(data, paragraphs)
            pages, ocr_pages, unread, notes = 1, 0, 0, []
    except LimitExceeded as error:
        raise LetterRejected.from_limit(error) from error
    text = paragraphs.text()
    if not text and not unread:
        notes.append("no_text")
    return ExtractedLetter(
        kind=kind,
        text=text,
        pages=pages,
        needs_text=bool(unread) or not text,
        ocr_pages=ocr_pages,
        notes=tuple(notes),
    )


def _kind(data: bytes, limits: ImportLimits, deadline: Deadline) -> LetterKind:
    """The letter's kind, after its archive (DOCX, ODT) is found safe to unpack."""
    if data.startswith(_ZIP_HEADER):
        with open_archive(data) as archive:
            kind = archive_kind(archive)
            if kind is None:
                raise LetterRejected("letter_unknown_kind")
            check_archive(archive, kind, limits, deadline)
            return kind
    if data.startswith(_OLE_HEADER):
        if _ENCRYPTED_OOXML in data:
            raise LetterRejected("letter_encrypted")
        raise LetterRejected("letter_old_office")
    if _PDF_HEADER in data[:_PDF_HEADER_WITHIN]:
        return LetterKind.PDF
    raise LetterRejected("letter_unknown_kind")
