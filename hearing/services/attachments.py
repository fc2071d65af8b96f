"""The files a response carries: accepting one (by its content, within limits), listing,
removing, and what of them may be published.

A file is a PDF, DOCX or ODT document, recognised by its bytes (`hearing.letters.extract`),
never by its name: an EXE renamed "brev.pdf" is refused, a PDF renamed "brev.docx" is a PDF.
Its text is read when it arrives, within the same budgets as other uploads, so the secretariat
can read and search it; a scanned page that cannot be read (no OCR here) is kept and marked
"needs text". Service functions only flush; the view or command commits.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hearing.extensions import db
from hearing.imports.limits import ImportLimits
from hearing.letters.extract import extract_letter
from hearing.letters.letter import ExtractedLetter, LetterKind, LetterRejected
from hearing.letters.messages import message
from hearing.models import Attachment, Submission, SubmissionStatus
from synthesis.snapshot import Consent

KINDS = tuple(kind.value for kind in LetterKind)
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
MAX_FILENAME = 255

# Why a file is refused before its text is read, in the reader's language; the letter
# reader words its own refusals (`hearing.letters.messages`).
REFUSALS = {
    "too_big": _l("Filen er på %(size)s MB; en fil kan være på høyst %(limit)s MB."),
    "too_many": _l("Et svar kan ha høyst %(limit)s vedlegg."),
    "batch_too_many": _l(
        "Det er %(count)s filer her; høyst %(limit)s kan registreres på én gang. Del dem opp."
    ),
    "batch_too_big": _l(
        "Filene er til sammen større enn %(limit)s MB; registrer resten i en ny runde."
    ),
    "zip_bad": _l("Zip-filen er skadet og kan ikke åpnes."),
    "zip_member_bad": _l("Filen kan ikke pakkes ut av zip-filen (skadet eller ukjent pakking)."),
    "zip_nested": _l("En zip-fil inni zip-filen blir ikke åpnet; pakk den ut først."),
    "zip_unsafe_name": _l("Filnavnet peker ut av zip-filen, så filen blir ikke lest."),
    "zip_encrypted": _l("Filen er kryptert (passordbeskyttet) og kan ikke leses."),
}


class AttachmentRefused(ValueError):
    """A file that is not taken; `code` names the reason (`REFUSALS`, or the letter reader's
    own codes for a document it cannot read), `params` fill in the message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class AttachmentLimits:
    """How many files a response may carry and how large each may be (`ATTACHMENT_MAX_*`),
    and the budget of reading their text (the `IMPORT_MAX_*` settings of every upload)."""

    max_files: int = 5
    max_bytes: int = 10 * 1024 * 1024
    reading: ImportLimits = field(default_factory=ImportLimits)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AttachmentLimits:
        """A web respondent's files. Their scanned pages are not read by text recognition,
        which costs seconds a page: a public form must not let anyone spend the server's
        time that way. Such a page is kept as "needs text"; the secretariat has it read."""
        return cls(
            max_files=int(config.get("ATTACHMENT_MAX_FILES", cls.max_files)),
            max_bytes=int(config.get("ATTACHMENT_MAX_BYTES", cls.max_bytes)),
            reading=replace(ImportLimits.from_config(config), max_ocr_pages=0),
        )

    @classmethod
    def for_letters(cls, config: Mapping[str, Any]) -> AttachmentLimits:
        """Letters the secretariat registers: one file each, as large as a letter may be."""
        reading = ImportLimits.from_config(config)
        return cls(max_files=1, max_bytes=reading.max_letter_bytes, reading=reading)


@dataclass(frozen=True)
class ReadFile:
    """An accepted file, read: its name as given, bytes, kind and text."""

    filename: str
    data: bytes
    letter: ExtractedLetter

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def refusal_text(code: str, params: Mapping[str, Any], locale: str) -> str:
    """Why a file was refused, in the reader's language (`REFUSALS` or the letter reader's)."""
    if code in REFUSALS:
        return str(REFUSALS[code]) % dict(params)
    return message(code, locale, dict(params))


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def display_name(filename: str) -> str:
    """The uploaded name without any folder, for display (it is never used as a path)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:MAX_FILENAME] or "vedlegg"


def read_file(filename: str, data: bytes, limits: AttachmentLimits) -> ReadFile:
    """The file with its text; raises `AttachmentRefused` (with the reader's code when the
    document cannot be read) for anything not taken."""
    name = display_name(filename)
    if len(data) > limits.max_bytes:
        raise AttachmentRefused(
            "too_big", name=name, size=megabytes(len(data)), limit=megabytes(limits.max_bytes)
        )
    try:
        letter = extract_letter(data, limits.reading)
    except LetterRejected as rejected:
        raise AttachmentRefused(rejected.code, name=name, **rejected.params) from rejected
    return ReadFile(name, data, letter)


def attachments_of(submission: Submission) -> list[Attachment]:
    """The files of a response, the letter first, then in the order they came."""
    return list(
        db.session.scalars(
            select(Attachment)
            .where(Attachment.submission_id == submission.id)
            .order_by(Attachment.is_letter.desc(), Attachment.id)
        )
    )


def add(submission: Submission, read: ReadFile, *, is_letter: bool = False) -> Attachment:
    """Store a read file with the response (flush only)."""
    letter = read.letter
    attachment = Attachment(
        submission_id=submission.id,
        filename=read.filename,
        kind=letter.kind,
        size=len(read.data),
        sha256=read.sha256,
        data=read.data,
        text=letter.text,
        pages=letter.pages,
        needs_text=letter.needs_text,
        ocr_pages=letter.ocr_pages,
        notes=list(letter.notes),
        is_letter=is_letter,
        publish_original=False,
        signed_by="",
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def room_for(submission: Submission | None, limits: AttachmentLimits) -> int:
    """How many more files the response may take."""
    held = len(attachments_of(submission)) if submission is not None else 0
    return max(0, limits.max_files - held)


def stream_of(attachment: Attachment) -> io.BytesIO:
    """The file's bytes to send."""
    return io.BytesIO(attachment.data)


def remove(attachment: Attachment) -> None:
    db.session.delete(attachment)
    db.session.flush()


def publishable_original(submission: Submission) -> Attachment | None:
    """The original letter file the public may download, if any: the secretariat approved it,
    and the response is submitted, not hidden, and published by name. A response shown
    anonymously (`synthesis.publishable.is_shown_anonymously`: consent "anonymous", or a
    private person without consent "named") never has its original published: the letter
    names its sender.

    Redaction is the caller's to add: an original with redactions is never published (its
    redacted text is), so a page that redacts checks that before offering this file.
    """
    if submission.status != SubmissionStatus.SUBMITTED or submission.hidden:
        return None
    if submission.consent != Consent.NAMED:
        return None
    return db.session.scalar(
        select(Attachment)
        .where(
            Attachment.submission_id == submission.id,
            Attachment.is_letter.is_(True),
            Attachment.publish_original.is_(True),
        )
        .order_by(Attachment.id)
        .limit(1)
    )


def data_of(attachment: Attachment) -> dict[str, Any]:
    """What the respondent's data export says of a file: its name, kind, size, text."""
    return {
        "filename": attachment.filename,
        "kind": attachment.kind,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "pages": attachment.pages,
        "is_letter": attachment.is_letter,
        "needs_text": attachment.needs_text,
        "publish_original": attachment.publish_original,
        "written_on": attachment.written_on.isoformat() if attachment.written_on else None,
        "signed_by": attachment.signed_by,
        "text": attachment.text,
        "created_at": attachment.created_at.isoformat() if attachment.created_at else None,
    }
