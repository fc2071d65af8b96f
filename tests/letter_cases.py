"""Four letters to the test consultation of `respond_support` (questions 1, 1.a, 2, 3), one in
each format (made with `letters_support`), and helpers to read what became of them.

- DOCX, Helsedirektoratet, on the høringsliste as "Forvaltning": answers questions 2 and 3
  by number, with a general opening; sender and category known, so `--yes` confirms it.
- ODT, a private person answering question 3: the one private-person category is known, so
  `--yes` confirms it too.
- PDF with text, Bergen kommune (not on the list: category unknown), answering "punkt 2".
- A scanned PDF (an image only), Stavanger kommune, answering "punkt 3"; its words are
  ASCII so that text recognition reads them with any font the machine has.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Attachment, Consultation, Invitee, Submission
from tests.letters_support import docx_bytes, odt_bytes, scanned_pdf_bytes, text_pdf_bytes

HELSEDIR = [
    "Høringssvar fra Helsedirektoratet",
    "",
    "Helsedirektoratet takker for muligheten til å gi innspill.",
    "",
    "Til spørsmål 2",
    "Vi støtter målene om sunn skolemat for alle elever.",
    "",
    "Til spørsmål 3",
    "Det viktigste er at maten er gratis og sunn.",
    "",
    "Med vennlig hilsen",
    "",
    "Kari Nordmann",
    "avdelingsdirektør",
]
PRIVATE = [
    "Ola Nordmann",
    "Storgata 1",
    "0155 Oslo",
    "",
    "Oslo, 4. mars 2025",
    "",
    "Innspill til høringen om skolemat",
    "",
    "Spørsmål 3: Det viktigste er at alle barn får et varmt måltid.",
    "",
    "Med vennlig hilsen",
    "Ola Nordmann",
]
BERGEN = [
    "Høringssvar fra Bergen kommune",
    "",
    "Bergen kommune viser til høringsbrevet.",
    "",
    "Til punkt 2",
    "Kommunen er enig i målene, men savner finansiering.",
    "",
    "Med hilsen",
    "Per Hansen",
    "kommunedirektør",
]
STAVANGER = [
    "Uttalelse fra Stavanger kommune",
    "",
    "Stavanger kommune takker for invitasjonen.",
    "",
    "Til punkt 3",
    "Kommunen mener det viktigste er at elevene spiser sammen hver dag.",
    "",
    "Med hilsen",
    "Anne Berg",
]
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def paragraphs(lines: list[str]) -> list[str]:
    """The lines joined into paragraphs at blank lines (a heading is a paragraph of its own)."""
    found: list[list[str]] = [[]]
    for line in lines:
        if line:
            found[-1].append(line)
        elif found[-1]:
            found.append([])
    return ["\n".join(block) for block in found if block]


def docx_letter(lines: list[str]) -> bytes:
    return docx_bytes(paragraphs(lines))


def odt_letter(lines: list[str]) -> bytes:
    return odt_bytes([("p", paragraph) for paragraph in paragraphs(lines)])


def pdf_letter(lines: list[str]) -> bytes:
    return text_pdf_bytes([paragraphs(lines)])


def scanned_letter(lines: list[str]) -> bytes:
    """A PDF of one scanned page: the lines as pixels, no text."""
    return scanned_pdf_bytes([lines])


def letter_files() -> dict[str, bytes]:
    """The four letters and a program named like a letter, by file name."""
    return {
        "helsedirektoratet.docx": docx_letter(HELSEDIR),
        "privat.odt": odt_letter(PRIVATE),
        "bergen.pdf": pdf_letter(BERGEN),
        "stavanger-skannet.pdf": scanned_letter(STAVANGER),
        "virus.pdf": EXE,
    }


def write_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in letter_files().items():
        (folder / name).write_bytes(data)
    return folder


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def invite_helsedirektoratet(consultation: Consultation) -> None:
    """On the høringsliste with its category: the letter's category is then known."""
    db.session.add(
        Invitee(
            consultation_id=consultation.id,
            name="Helsedirektoratet",
            category="Forvaltning",
            rejected_submission_ids=[],
        )
    )
    db.session.commit()


def letter_named(consultation: Consultation, filename: str) -> tuple[Submission, Attachment]:
    """The response registered from the file `filename`, and its letter."""
    row = db.session.execute(
        select(Submission, Attachment)
        .join(Attachment, Attachment.submission_id == Submission.id)
        .where(Submission.consultation_id == consultation.id, Attachment.filename == filename)
    ).one()
    return row[0], row[1]


def answer_texts(submission: Submission) -> dict[str, str]:
    """The response's answer texts by question code."""
    db.session.refresh(submission)
    return {a.question.code: a.text for a in submission.answers if a.text}
