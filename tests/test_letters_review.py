"""The review of a registered letter: the sender confirmed or corrected, a passage moved to
another question or to the general comments, a position set where the letter states one,
text typed for a scan; the letter counts only once confirmed, and then everywhere."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from forms.registration import oslo_day
from hearing.extensions import db
from hearing.models import Consultation, Question, Submission, SubmissionStatus
from hearing.models.types import utcnow
from hearing.services import letters
from hearing.services.attachments import AttachmentLimits
from hearing.services.publication import plan
from hearing.services.snapshots import snapshot_of
from tests.letter_cases import (
    BERGEN,
    HELSEDIR,
    PRIVATE,
    STAVANGER,
    answer_texts,
    docx_letter,
    odt_letter,
    pdf_letter,
    scanned_letter,
)
from tests.respond_support import category_id, make_consultation, question_ids

LETTERS = "/admin/consultations/skolemat/letters"


@pytest.fixture()
def consultation(app) -> Consultation:
    return make_consultation()


def register(app, consultation: Consultation, name: str, data: bytes) -> Submission:
    read = letters.attachments.read_file(name, data, AttachmentLimits.for_letters(app.config))
    submission, _ = letters.register(consultation, read, utcnow())
    db.session.commit()
    return submission


INPUT = re.compile(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"')
SELECT = re.compile(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S)
SELECTED = re.compile(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected')
TEXT = re.compile(r'<textarea[^>]*name="text"[^>]*>\n?(.*?)</textarea>', re.S)


def review_data(form_page: str, **changes: str) -> dict[str, str]:
    """The review form as the page filled it in (selected options, inputs), changed."""
    data: dict[str, str] = dict(INPUT.findall(form_page))
    for name, body in SELECT.findall(form_page):
        chosen = SELECTED.search(body)
        data[name] = next(v for v in chosen.groups() if v is not None) if chosen else ""
    text = TEXT.search(form_page)
    data["text"] = text.group(1) if text else ""
    data.pop("publish_original", None)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def passage_ids(submission: Submission) -> list[int]:
    letter = letters.letter_of(submission)
    return [passage.id for passage in letter.passages]


def test_the_review_page_shows_passages_under_the_proposed_questions(
    app, admin_client: FlaskClient, consultation: Consultation
) -> None:
    submission = register(app, consultation, "hdir.docx", docx_letter(HELSEDIR))
    page = admin_client.get(f"{LETTERS}/{submission.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Brevet venter på gjennomgang og teller ikke med noe sted ennå." in html
    assert "Til spørsmål 2" in html and "Foreslått: spørsmål 2" in html
    assert "Vi støtter målene om sunn skolemat for alle elever." in html
    ids = question_ids(consultation)
    form = review_data(html)
    general, on_two, on_three = passage_ids(submission)
    assert form[f"passage_{general}"] == ""
    assert form[f"passage_{on_two}"] == str(ids["2"])
    assert form[f"passage_{on_three}"] == str(ids["3"])
    # No question for general comments: the page says where that text goes (nowhere yet).
    assert "kommer ikke med i analysen" in html


def test_moving_passages_and_setting_a_position(
    app, admin_client: FlaskClient, consultation: Consultation
) -> None:
    submission = register(app, consultation, "hdir.docx", docx_letter(HELSEDIR))
    ids = question_ids(consultation)
    general, on_two, _ = passage_ids(submission)
    page = admin_client.get(f"{LETTERS}/{submission.id}").get_data(as_text=True)
    data = review_data(
        page,
        **{
            f"passage_{general}": str(ids["3"]),
            f"passage_{on_two}": str(ids["1.a"]),
            f"position_{ids['2']}": "0",
            "action": "save",
        },
    )
    response = admin_client.post(f"{LETTERS}/{submission.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    texts = answer_texts(submission)
    assert texts == {
        "1.a": "Vi støtter målene om sunn skolemat for alle elever.",
        "3": "Helsedirektoratet takker for muligheten til å gi innspill.\n\n"
        "Det viktigste er at maten er gratis og sunn.",
    }
    positions = {a.question.code: a.value for a in submission.answers if a.value is not None}
    assert positions == {"2": 0}  # "Helt enig", set by the secretariat
    assert submission.status == SubmissionStatus.REVIEW  # saved, not confirmed
    assert snapshot_of(consultation).respondents == ()

    # Moving back to the general comments takes the text out of the answers again.
    data[f"passage_{on_two}"] = ""
    admin_client.post(f"{LETTERS}/{submission.id}", data=data)
    assert "1.a" not in answer_texts(submission)


def test_confirming_needs_a_sender_and_a_category(
    app, admin_client: FlaskClient, consultation: Consultation
) -> None:
    submission = register(app, consultation, "bergen.pdf", pdf_letter(BERGEN))
    page = admin_client.get(f"{LETTERS}/{submission.id}").get_data(as_text=True)
    refused = admin_client.post(
        f"{LETTERS}/{submission.id}", data=review_data(page, action="confirm", category="")
    )
    assert refused.status_code == 422
    assert "Velg en kategori." in refused.get_data(as_text=True)
    db.session.refresh(submission)
    assert submission.status == SubmissionStatus.REVIEW

    category = category_id(consultation, "Forvaltning (Offentlig)")
    data = review_data(page, action="confirm", category=str(category), received_on="2025-03-05")
    confirmed = admin_client.post(f"{LETTERS}/{submission.id}", data=data)
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].endswith(LETTERS)  # no other letter waits
    db.session.refresh(submission)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.consent == "named"  # an organisation, by the rule
    assert oslo_day(submission.received_at).isoformat() == "2025-03-05"
    (respondent,) = snapshot_of(consultation).respondents
    assert respondent.name == "Bergen kommune"
    assert respondent.answers["2"].text == "Kommunen er enig i målene, men savner finansiering."


def test_confirming_goes_on_to_the_next_letter_and_a_private_person_is_anonymous(
    app, admin_client: FlaskClient, consultation: Consultation
) -> None:
    private = register(app, consultation, "privat.odt", odt_letter(PRIVATE))
    waiting = register(app, consultation, "bergen.pdf", pdf_letter(BERGEN))
    page = admin_client.get(f"{LETTERS}/{private.id}").get_data(as_text=True)
    individual = category_id(consultation, "Privatperson (Enkeltperson)")
    response = admin_client.post(
        f"{LETTERS}/{private.id}",
        data=review_data(page, action="confirm", category=str(individual), consent=""),
    )
    assert response.headers["Location"].endswith(f"{LETTERS}/{waiting.id}")
    db.session.refresh(private)
    assert (private.consent, private.private_person) == ("anonymous", True)


def test_letters_awaiting_review_count_nowhere(
    app, admin_client: FlaskClient, consultation: Consultation
) -> None:
    register(app, consultation, "bergen.pdf", pdf_letter(BERGEN))
    assert snapshot_of(consultation).respondents == ()
    listing = admin_client.get("/admin/consultations/skolemat/submissions?status=all").get_data(
        as_text=True
    )
    assert "Bergen kommune" not in listing
    counts = plan(consultation).counts
    assert (counts.published, counts.left_out) == (0, 0)
    letters_page = admin_client.get(LETTERS).get_data(as_text=True)
    assert "1 brev venter på gjennomgang." in letters_page
    assert plan(consultation).awaiting_review == 1
    publication_page = admin_client.get("/admin/consultations/skolemat/publication")
    warning = "1 registrert brev venter på gjennomgang og kommer ikke med før det er bekreftet."
    assert warning in publication_page.get_data(as_text=True)


def test_typed_text_for_a_scan_is_cut_into_passages(
    app, admin_client: FlaskClient, consultation: Consultation
) -> None:
    app.config["IMPORT_MAX_OCR_PAGES"] = 0  # as without Tesseract
    submission = register(app, consultation, "skannet.pdf", scanned_letter(STAVANGER))
    letter = letters.letter_of(submission)
    assert letter.needs_text and letter.passages == []
    page = admin_client.get(f"{LETTERS}/{submission.id}").get_data(as_text=True)
    assert "Trenger tekst" in page
    typed = "\n".join(STAVANGER)
    response = admin_client.post(
        f"{LETTERS}/{submission.id}", data=review_data(page, text=typed, action="save")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(letter)
    assert not letter.needs_text
    assert answer_texts(submission)["3"] == (
        "Kommunen mener det viktigste er at elevene spiser sammen hver dag."
    )


def test_a_question_for_general_comments_takes_the_unfiled_passages(
    app, admin_client: FlaskClient, consultation: Consultation
) -> None:
    submission = register(app, consultation, "hdir.docx", docx_letter(HELSEDIR))
    assert "4" not in answer_texts(submission)
    response = admin_client.post(f"{LETTERS}/general-question")
    assert response.status_code == 302
    question = db.session.scalar(
        select(Question).where(Question.consultation_id == consultation.id, Question.code == "4")
    )
    assert (question.text, question.kind, question.required) == (
        "Generelle kommentarer",
        "text",
        False,
    )
    assert answer_texts(submission)["4"] == (
        "Helsedirektoratet takker for muligheten til å gi innspill."
    )
    # The form shows it to respondents too, as an optional last question.
    form = app.test_client().get("/h/skolemat/svar").get_data(as_text=True)
    assert "Generelle kommentarer" in form


def test_the_reading_page_offers_the_review_and_the_file(
    app, admin_client: FlaskClient, analyst_client: FlaskClient, consultation: Consultation
) -> None:
    submission = register(app, consultation, "hdir.docx", docx_letter(HELSEDIR))
    page = admin_client.get(f"/admin/consultations/skolemat/submissions/{submission.id}")
    html = page.get_data(as_text=True)
    assert "Gå gjennom brevet" in html
    letter = letters.letter_of(submission)
    file_url = f"/admin/consultations/skolemat/submissions/{submission.id}/files/{letter.id}"
    download = analyst_client.get(file_url)
    assert download.status_code == 200
    assert download.data == letter.data
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert analyst_client.get(f"{LETTERS}/{submission.id}").status_code == 403
