"""The responses list filtered by the option chosen in a single- or multiple-choice question, or
by an "Annet" text written, combined with the other filters (category, position, tag, search);
read from the query string and shown in the filter form. Runs on SQLite and PostgreSQL, whose
JSON functions differ."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Answer as StoredAnswer
from hearing.models import Code, CodeAssignment, Status, Submission
from hearing.models.types import utcnow
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Options,
    Question,
    QuestionKind,
    Respondent,
    Scale,
    Sector,
)

SLUG = "valg"
BASE = f"/admin/consultations/{SLUG}/submissions"
# Twelve options: a response that ticked 10 or 11 must not be found for 1 (as text would be).
SERVICES = Options(
    (
        "Barnehage",
        "Skole",
        "Helsestasjon",
        "Barnevern",
        "NAV",
        "Politi",
        "BUP",
        "PPT",
        "Fastlege",
        "Frivillige",
        "Kommunen",
        "Annet",
    ),
    other=True,
)
ROLE = Options(("Ansatt", "Leder", "Annet"), other=True)
PUBLIC = Category("Forvaltning", Sector.PUBLIC)
PRIVATE = Category("Organisasjon", Sector.PRIVATE)
QUESTIONS = (
    Question("1", "Hvem samarbeider dere med?", QuestionKind.MULTIPLE_CHOICE, options=SERVICES),
    Question("2", "Hvilken rolle har du?", QuestionKind.SINGLE_CHOICE, options=ROLE),
    Question("3", "Er du enig?", QuestionKind.SCALE),
    Question("4", "Kommentar", QuestionKind.TEXT),
)


def _respondent(name, category, services, role, *, other_text=None, role_text=None, value=0):
    answers = {
        "1": Answer("1", choices=services, text=other_text),
        "2": Answer("2", value=role, text=role_text),
        "3": Answer("3", value=value),
        "4": Answer("4", text=f"Kommentar fra {name} om samarbeid."),
    }
    return Respondent(name, name, category.label, answers=answers)


RESPONDENTS = (
    _respondent("Asker", PUBLIC, (0, 1), 0),
    _respondent("Bærum", PUBLIC, (1, 11), 2, other_text="Idrettslag", role_text="Rektor"),
    _respondent("Redd Barna", PRIVATE, (1,), 1, value=1),
    _respondent("Kirkens Bymisjon", PRIVATE, (0, 2), 1),
    _respondent("Drammen", PUBLIC, (2, 10), 0, value=1),
)


@pytest.fixture()
def consultation(app):
    snapshot = ConsultationSnapshot(
        slug=SLUG,
        title="Samarbeid",
        scale=Scale(),
        categories=(PUBLIC, PRIVATE),
        questions=QUESTIONS,
        opens_at=utcnow() - timedelta(days=2),
        closes_at=utcnow() + timedelta(days=2),
    )
    made = create_consultation(snapshot, slug=SLUG, status=Status.OPEN)
    add_respondents(made, RESPONDENTS)
    db.session.commit()
    return made


def _names(client, query: str) -> list[str]:
    page = client.get(f"{BASE}?{query}").get_data(as_text=True)
    rows = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)
    listed = rows[0] if rows else ""
    return sorted(r.name for r in RESPONDENTS if f"<td>{r.name}" in listed)


def _question_id(consultation, code: str) -> int:
    return next(q.id for q in consultation.questions if q.code == code)


def test_multiple_choice_finds_every_response_that_ticked_the_option(consultation, analyst_client):
    services = _question_id(consultation, "1")
    assert _names(analyst_client, f"choice={services}:1") == ["Asker", "Bærum", "Redd Barna"]
    assert _names(analyst_client, f"choice={services}:2") == ["Drammen", "Kirkens Bymisjon"]
    assert _names(analyst_client, f"choice={services}:10") == ["Drammen"]
    assert _names(analyst_client, f"choice={services}:other") == ["Bærum"]


def test_single_choice_finds_the_chosen_option_and_the_written_other(consultation, analyst_client):
    role = _question_id(consultation, "2")
    assert _names(analyst_client, f"choice={role}:0") == ["Asker", "Drammen"]
    assert _names(analyst_client, f"choice={role}:1") == ["Kirkens Bymisjon", "Redd Barna"]
    assert _names(analyst_client, f"choice={role}:2") == ["Bærum"]
    assert _names(analyst_client, f"choice={role}:other") == ["Bærum"]


def test_the_choice_filter_combines_with_the_others(consultation, analyst_client):
    services = _question_id(consultation, "1")
    scale = _question_id(consultation, "3")
    private = next(c.id for c in consultation.categories if c.name == "Organisasjon")
    choice = f"choice={services}:1"
    assert _names(analyst_client, f"{choice}&category={private}") == ["Redd Barna"]
    assert _names(analyst_client, f"{choice}&position={scale}:0") == ["Asker", "Bærum"]
    assert _names(analyst_client, f"{choice}&q=asker") == ["Asker"]
    code = Code(consultation_id=consultation.id, name="Samarbeid")
    db.session.add(code)
    db.session.flush()
    comments = db.session.scalars(
        select(StoredAnswer)
        .join(Submission)
        .where(
            StoredAnswer.question_id == _question_id(consultation, "4"),
            Submission.respondent_name.in_(("Bærum", "Drammen")),
        )
    )
    db.session.add_all(CodeAssignment(code_id=code.id, answer_id=c.id) for c in comments)
    db.session.commit()
    assert _names(analyst_client, f"tag={code.id}") == ["Bærum", "Drammen"]
    assert _names(analyst_client, f"{choice}&tag={code.id}") == ["Bærum"]
    page = analyst_client.get(f"{BASE}?tag={code.id}").get_data(as_text=True)
    assert f'<option value="{code.id}" selected>Samarbeid</option>' in page


def test_unknown_choices_are_ignored(consultation, analyst_client):
    services = _question_id(consultation, "1")
    scale = _question_id(consultation, "3")
    everyone = sorted(r.name for r in RESPONDENTS)
    for value in (f"{services}:12", f"{services}:x", f"{scale}:0", "999:0", "nonsense"):
        assert _names(analyst_client, f"choice={value}") == everyone, value


def test_the_form_offers_each_option_and_keeps_the_choice(consultation, analyst_client):
    services = _question_id(consultation, "1")
    role = _question_id(consultation, "2")
    page = analyst_client.get(f"{BASE}?choice={role}:1").get_data(as_text=True)
    assert '<select id="filter-choice" name="choice">' in page
    assert f'<option value="{services}:2">Spørsmål 1: Helsestasjon</option>' in page
    assert f'<option value="{services}:other">Spørsmål 1: «Annet» med utfylt tekst</option>' in page
    assert f'<option value="{role}:1" selected>Spørsmål 2: Leder</option>' in page
    assert "Nullstill" in page  # a choice narrows the list
