"""Holes in the respondent's form found by an attacker (issue 11): a form key posted to a second
consultation, a response without any answer, and line breaks counted twice.

Each test failed before its fix.
"""

from __future__ import annotations

from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Consultation, Submission, SubmissionStatus
from tests.respond_support import (
    KEY,
    SLUG,
    full_answer,
    make_consultation,
    post_new,
    question_ids,
    token_from,
)

NO_ANSWER = "Svaret ditt har ingen svar på spørsmålene."


def _submissions(consultation: Consultation) -> list[Submission]:
    db.session.expire_all()
    query = select(Submission).where(Submission.consultation_id == consultation.id)
    return list(db.session.scalars(query))


# One form key in two consultations ------------------------------------------------------------


def test_a_form_key_posted_to_another_consultation_makes_a_fresh_response(app, client):
    first = make_consultation()
    second = make_consultation(slug="skolemat-2")
    first_token = token_from(post_new(client, full_answer(first)).location)
    response = post_new(client, full_answer(second, idempotency_key=KEY), slug="skolemat-2")
    assert response.status_code == 302
    second_token = token_from(response.location)
    assert second_token != first_token
    (stored,) = _submissions(second)
    assert stored.status == SubmissionStatus.SUBMITTED
    assert len(_submissions(first)) == 1
    # Each link opens its own response; a repeat in the second consultation finds its own.
    assert client.get(f"/h/{SLUG}/svar/{first_token}/kvittering").status_code == 200
    assert client.get(f"/h/skolemat-2/svar/{second_token}/kvittering").status_code == 200
    assert client.get(f"/h/skolemat-2/svar/{first_token}/kvittering").status_code == 404
    again = post_new(client, full_answer(second, idempotency_key=KEY), slug="skolemat-2")
    assert token_from(again.location) == second_token
    assert len(_submissions(second)) == 1


# A response must answer something --------------------------------------------------------------


def _only_optional_questions(consultation: Consultation) -> None:
    for question in consultation.questions:
        question.required = False
    db.session.commit()


def _without_answers(consultation: Consultation, **overrides: str) -> dict[str, str]:
    """Name, category, e-mail and consent, and no answer to any question."""
    data = {name: value for name, value in full_answer(consultation).items() if name[0] != "q"}
    return {**data, **overrides}


def test_a_response_without_any_answer_is_refused_keeping_what_was_typed(app, client):
    consultation = make_consultation()
    _only_optional_questions(consultation)
    response = post_new(client, _without_answers(consultation, on_behalf_of="Nabolaget"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert NO_ANSWER in page
    first = question_ids(consultation)["1"]
    assert f'href="#q{first}_value"' in page  # the summary leads to the first question
    assert 'value="Bergen kommune"' in page and "Nabolaget</textarea>" in page
    assert _submissions(consultation) == []
    english = client.post(f"/h/{SLUG}/svar?lang=en", data=_without_answers(consultation))
    assert "Your response has no answers to the questions." in english.get_data(as_text=True)


def test_one_answer_or_dont_know_is_enough(app, client):
    consultation = make_consultation()
    _only_optional_questions(consultation)
    ids = question_ids(consultation)
    dont_know = _without_answers(consultation, **{f"q{ids['2']}_value": "dont_know"})
    assert post_new(client, dont_know).status_code == 302
    text_only = _without_answers(
        consultation, idempotency_key="t" * 32, **{f"q{ids['3']}_text": "Sunn mat."}
    )
    assert post_new(client, text_only).status_code == 302
    assert len(_submissions(consultation)) == 2


def test_an_edit_may_not_remove_every_answer(app, client):
    consultation = make_consultation()
    _only_optional_questions(consultation)
    token = token_from(post_new(client, full_answer(consultation)).location)
    response = client.post(f"/h/{SLUG}/svar/{token}", data=_without_answers(consultation))
    assert response.status_code == 422
    assert NO_ANSWER in response.get_data(as_text=True)
    (stored,) = _submissions(consultation)
    assert len(stored.answers) == 4


def test_a_draft_may_still_be_saved_before_any_answer(app, client):
    consultation = make_consultation()
    _only_optional_questions(consultation)
    response = post_new(client, _without_answers(consultation, action="draft"))
    assert response.status_code == 302
    (stored,) = _submissions(consultation)
    assert stored.status == SubmissionStatus.DRAFT


def test_a_letter_without_any_answer_is_refused_too(app, admin_client):
    consultation = make_consultation()
    _only_optional_questions(consultation)
    data = _without_answers(
        consultation, email="", idempotency_key="l" * 32, received_on="2025-03-03"
    )
    response = admin_client.post(f"/admin/consultations/{SLUG}/submissions/new", data=data)
    assert response.status_code == 422
    assert "Svaret har ingen svar på spørsmålene." in response.get_data(as_text=True)


# Line breaks count as one character -----------------------------------------------------------


def test_a_text_of_exactly_the_limit_typed_with_line_breaks_is_accepted(app, client):
    app.config["ANSWER_MAX_CHARS"] = 10
    consultation = make_consultation()
    ids = question_ids(consultation)
    typed = "12345\r\n78\r9"  # 10 characters as the reader sees them; \r\n as browsers send it
    data = full_answer(
        consultation,
        on_behalf_of="A\r\nB",
        **{f"q{ids['1.a']}_text": typed, f"q{ids['2']}_text": "", f"q{ids['3']}_text": "Kort."},
    )
    response = post_new(client, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    (stored,) = _submissions(consultation)
    texts = {answer.question_id: answer.text for answer in stored.answers}
    assert texts[ids["1.a"]] == "12345\n78\n9"
    assert stored.on_behalf_of == "A\nB"
    too_long = full_answer(
        consultation, idempotency_key="z" * 32, **{f"q{ids['1.a']}_text": typed + "x"}
    )
    assert post_new(client, too_long).status_code == 422
