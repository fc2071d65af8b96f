"""Files with a web response: PDF, DOCX and ODT by content, not name; a refused file named with
its reason while everything typed stays; a response by letter alone where the consultation
allows it; the files on the receipt, and removed until the deadline."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hearing.extensions import db
from hearing.letters.extract import ocr_available
from hearing.models import Attachment, Consultation, Submission, SubmissionStatus
from hearing.models.types import utcnow
from hearing.services.snapshots import snapshot_of
from tests.letter_cases import (
    EXE,
    HELSEDIR,
    STAVANGER,
    answer_texts,
    docx_letter,
    pdf_letter,
    scanned_letter,
)
from tests.respond_support import full_answer, make_consultation, question_ids, token_from

FORM = "/h/skolemat/svar"


@pytest.fixture()
def consultation(app: Flask) -> Consultation:
    return make_consultation()


def _post(client: FlaskClient, data: dict, *files: tuple[bytes, str]):
    data = {**data, "attachments": [(io.BytesIO(body), name) for body, name in files]}
    return client.post(FORM, data=data, content_type="multipart/form-data")


def _identity_only(consultation: Consultation) -> dict:
    """A complete respondent with every question left empty."""
    data = full_answer(consultation)
    for key in [key for key in data if key.startswith("q")]:
        del data[key]
    return data


def test_a_pdf_named_docx_is_taken_as_the_pdf_it_is(
    client: FlaskClient, consultation: Consultation
) -> None:
    pdf = pdf_letter(["Vedlegg til svaret", "", "Mer om skolemat i Bergen."])
    response = _post(client, full_answer(consultation), (pdf, "vedlegg.docx"))
    assert response.status_code == 302, response.get_data(as_text=True)
    (attachment,) = db.session.scalars(select(Attachment)).all()
    assert (attachment.filename, attachment.kind, attachment.is_letter) == (
        "vedlegg.docx",
        "pdf",
        False,
    )
    assert "Mer om skolemat i Bergen." in attachment.text
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "vedlegg.docx (PDF" in receipt
    # An appendix is kept with the answers; it does not become them.
    submission = db.session.get_one(Submission, attachment.submission_id)
    assert answer_texts(submission)["3"] == "At maten er sunn."


def test_a_program_named_pdf_is_refused_in_norwegian_and_nothing_typed_is_lost(
    client: FlaskClient, consultation: Consultation
) -> None:
    response = _post(client, full_answer(consultation), (EXE, "brev.pdf"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "brev.pdf: Filen er ikke et brev som kan leses" in html
    assert "Har du valgt filer, må du velge dem på nytt." in html
    assert "At maten er sunn." in html and "Bergen kommune" in html
    assert db.session.scalar(select(func.count(Submission.id))) == 0


def test_limits_on_count_and_size(
    app: Flask, client: FlaskClient, consultation: Consultation
) -> None:
    pdf = pdf_letter(["Et vedlegg"])
    app.config["ATTACHMENT_MAX_FILES"] = 1
    too_many = _post(client, full_answer(consultation), (pdf, "a.pdf"), (pdf, "b.pdf"))
    assert too_many.status_code == 422
    assert "Et svar kan ha høyst 1 vedlegg." in too_many.get_data(as_text=True)
    app.config["ATTACHMENT_MAX_BYTES"] = 100
    too_big = _post(client, full_answer(consultation), (pdf, "a.pdf"))
    assert too_big.status_code == 422
    assert "a.pdf: Filen er på" in too_big.get_data(as_text=True)


def test_a_letter_alone_where_the_consultation_allows_it(
    client: FlaskClient, consultation: Consultation
) -> None:
    letter = docx_letter(HELSEDIR)
    refused = _post(client, _identity_only(consultation), (letter, "svar.docx"))
    assert refused.status_code == 422  # not allowed: the form wants its required answers
    assert db.session.scalar(select(func.count(Submission.id))) == 0

    consultation.letters_alone = True
    db.session.commit()
    response = _post(client, _identity_only(consultation), (letter, "svar.docx"))
    assert response.status_code == 302, response.get_data(as_text=True)
    submission = db.session.scalar(select(Submission))
    assert submission.status == SubmissionStatus.SUBMITTED  # the respondent sent it
    (attachment,) = db.session.scalars(select(Attachment)).all()
    assert attachment.is_letter
    texts = answer_texts(submission)
    assert texts["2"] == "Vi støtter målene om sunn skolemat for alle elever."
    assert texts["3"] == "Det viktigste er at maten er gratis og sunn."
    (respondent,) = snapshot_of(consultation).respondents
    assert respondent.answers["3"].text == "Det viktigste er at maten er gratis og sunn."
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "svar.docx" in receipt and "svaret ditt er dette brevet" in receipt
    assert "Vi støtter målene om sunn skolemat" in receipt


def test_a_scan_from_the_web_is_kept_and_read_by_the_secretariat(
    client: FlaskClient, admin_client: FlaskClient, consultation: Consultation
) -> None:
    consultation.letters_alone = True
    db.session.commit()
    response = _post(client, _identity_only(consultation), (scanned_letter(STAVANGER), "s.pdf"))
    assert response.status_code == 302
    (attachment,) = db.session.scalars(select(Attachment)).all()
    # No text recognition on the public form: the scan waits for the secretariat.
    assert attachment.needs_text and attachment.ocr_pages == 0
    review = f"/admin/consultations/skolemat/letters/{attachment.submission_id}"
    assert "Trenger tekst" in admin_client.get(review).get_data(as_text=True)
    if not ocr_available():
        pytest.skip("needs Tesseract to read the scan")
    admin_client.post(review + "/read-again")
    db.session.refresh(attachment)
    assert not attachment.needs_text and attachment.ocr_pages == 1
    submission = db.session.get_one(Submission, attachment.submission_id)
    assert "spiser sammen" in answer_texts(submission)["3"]


def _submitted_with_file(client: FlaskClient, consultation: Consultation) -> tuple[str, int]:
    pdf = pdf_letter(["Vedlegg"])
    response = _post(client, full_answer(consultation), (pdf, "vedlegg.pdf"))
    assert response.status_code == 302
    return token_from(response.headers["Location"]), db.session.scalar(select(Attachment.id))


def test_a_file_is_removed_before_the_deadline(
    client: FlaskClient, consultation: Consultation
) -> None:
    token, attachment_id = _submitted_with_file(client, consultation)
    form = client.get(f"{FORM}/{token}").get_data(as_text=True)
    assert "vedlegg.pdf" in form and f"/vedlegg/{attachment_id}/slett" in form
    removed = client.post(f"{FORM}/{token}/vedlegg/{attachment_id}/slett")
    assert removed.status_code == 302
    assert db.session.scalar(select(func.count(Attachment.id))) == 0
    assert db.session.scalar(select(Submission.status)) == SubmissionStatus.SUBMITTED


def test_after_the_deadline_a_file_stays(client: FlaskClient, consultation: Consultation) -> None:
    token, attachment_id = _submitted_with_file(client, consultation)
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(f"{FORM}/{token}/vedlegg/{attachment_id}/slett", follow_redirects=True)
    assert "vedlegget kan ikke fjernes" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attachment.id))) == 1


def test_a_file_of_another_response_cannot_be_removed(
    client: FlaskClient, consultation: Consultation
) -> None:
    _, attachment_id = _submitted_with_file(client, consultation)
    other = client.post(FORM, data=full_answer(consultation, idempotency_key="o" * 32))
    other_token = token_from(other.headers["Location"])
    response = client.post(f"{FORM}/{other_token}/vedlegg/{attachment_id}/slett")
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(Attachment.id))) == 1


def test_a_draft_keeps_its_files_and_the_form_says_what_it_takes(
    client: FlaskClient, consultation: Consultation
) -> None:
    blank = client.get(FORM).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in blank and 'type="file"' in blank
    ids = question_ids(consultation)
    data = {**full_answer(consultation), "action": "draft", f"q{ids['3']}_text": ""}
    response = _post(client, data, (pdf_letter(["Utkast"]), "utkast.pdf"))
    assert response.status_code == 302
    token = token_from(response.headers["Location"])
    page = client.get(f"{FORM}/{token}").get_data(as_text=True)
    assert "utkast.pdf" in page


def test_files_may_take_the_request_beyond_the_limit_for_text(
    app: Flask, client: FlaskClient, consultation: Consultation
) -> None:
    """MAX_CONTENT_LENGTH bounds what is typed; the form's files have their own limits."""
    pdf = pdf_letter([f"Linje {n} av et langt vedlegg om skolemat." for n in range(80)])
    app.config["MAX_CONTENT_LENGTH"] = len(pdf) // 2
    response = _post(client, full_answer(consultation), (pdf, "langt.pdf"))
    assert response.status_code == 302, response.status_code
    assert db.session.scalar(select(Attachment.size)) == len(pdf)


def test_what_is_typed_stays_bounded_beside_files(
    app: Flask, client: FlaskClient, consultation: Consultation
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 4096
    typed = full_answer(consultation, on_behalf_of="x" * 10_000)
    assert client.post(FORM, data=typed).status_code == 413  # no files: no allowance
    app.config["MAX_FORM_MEMORY_SIZE"] = 4096
    with_file = _post(client, typed, (pdf_letter(["Vedlegg"]), "v.pdf"))
    assert with_file.status_code == 413  # a field of a multipart form has its own bound
    assert db.session.scalar(select(func.count(Submission.id))) == 0
