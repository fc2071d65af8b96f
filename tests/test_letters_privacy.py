"""A response's files and privacy: the respondent's data holds them (names, sizes, text);
erasure deletes them with the letter's passages; a backup carries their bytes and dates back;
an original letter is offered to the public only when approved and published by name; a letter
awaiting review or hidden reaches no public byte."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from hearing.extensions import db
from hearing.models import Attachment, Consultation, LetterPassage, Submission, SubmissionStatus
from hearing.models.types import utcnow
from hearing.services import attachments, backup, letters
from hearing.services.privacy import erase_respondent, respondent_data
from tests.letter_cases import BERGEN, HELSEDIR, PRIVATE, docx_letter, odt_letter, pdf_letter
from tests.publish_support import publish_now
from tests.respond_support import category_id, make_consultation


@pytest.fixture()
def consultation(app) -> Consultation:
    return make_consultation()


@pytest.fixture()
def letter(app, consultation: Consultation) -> tuple[Submission, Attachment]:
    limits = attachments.AttachmentLimits.for_letters(app.config)
    read = attachments.read_file("hdir.docx", docx_letter(HELSEDIR), limits)
    submission, _ = letters.register(consultation, read, utcnow())
    submission.category_id = category_id(consultation, "Forvaltning (Offentlig)")
    submission.consent = "named"
    letters.confirm_proposed(submission, utcnow())
    db.session.commit()
    return submission, letters.letter_of(submission)


def test_the_respondents_data_holds_the_files(letter) -> None:
    submission, attachment = letter
    (data,) = respondent_data(submission)["attachments"]
    assert data["filename"] == "hdir.docx"
    assert data["size"] == attachment.size and data["kind"] == "docx" and data["is_letter"]
    assert "Det viktigste er at maten er gratis og sunn." in data["text"]


def test_erasure_deletes_the_files_and_passages(letter) -> None:
    submission, _ = letter
    erase_respondent(submission, actor="test")
    db.session.commit()
    assert db.session.scalar(select(func.count(Attachment.id))) == 0
    assert db.session.scalar(select(func.count(LetterPassage.id))) == 0


def test_a_backup_carries_the_files_bytes_and_dates(letter) -> None:
    _, attachment = letter
    attachment.written_on = utcnow().date()
    original = attachment.data
    db.session.commit()
    stream = io.BytesIO()
    counts = backup.write_backup(stream)
    assert counts["attachments"] == 1 and counts["letter_passages"] == 3
    stream.seek(0)
    restored = backup.restore_backup(stream, replace=True)
    db.session.commit()
    assert restored["attachments"] == 1
    again = db.session.scalar(select(Attachment))
    assert again.data == original
    assert again.written_on == utcnow().date()


def test_an_original_is_public_only_when_approved_and_published_by_name(letter) -> None:
    submission, attachment = letter
    assert attachments.publishable_original(submission) is None  # not approved
    attachment.publish_original = True
    assert attachments.publishable_original(submission) == attachment
    submission.consent = "anonymous"  # the letter names its sender
    assert attachments.publishable_original(submission) is None
    submission.consent = "named"
    submission.hidden = True
    assert attachments.publishable_original(submission) is None
    submission.hidden = False
    submission.status = SubmissionStatus.WITHDRAWN
    assert attachments.publishable_original(submission) is None
    submission.status = SubmissionStatus.REVIEW
    assert attachments.publishable_original(submission) is None


def test_a_letter_awaiting_review_or_hidden_never_reaches_a_public_byte(
    app, client, consultation: Consultation, letter
) -> None:
    limits = attachments.AttachmentLimits.for_letters(app.config)
    read = attachments.read_file("bergen.pdf", pdf_letter(BERGEN), limits)
    letters.register(consultation, read, utcnow())  # awaiting review
    hidden_read = attachments.read_file("privat.odt", odt_letter(PRIVATE), limits)
    hidden, _ = letters.register(consultation, hidden_read, utcnow())
    hidden.category_id = category_id(consultation, "Privatperson (Enkeltperson)")
    letters.confirm_proposed(hidden, utcnow())
    hidden.hidden, hidden.hidden_reason = True, "test"
    db.session.commit()
    publish_now(consultation)
    page = client.get("/h/skolemat/oppsummering").get_data(as_text=True)
    download = client.get("/h/skolemat/oppsummering.csv").get_data(as_text=True)
    for public in (page, download):
        assert "Helsedirektoratet" in public
        assert "savner finansiering" not in public and "Bergen kommune" not in public
        assert "varmt måltid" not in public and "Ola Nordmann" not in public
