"""Single choice, with "Annet, spesifiser": defined by the secretariat, answered in the form,
shown on the receipt, tabulated by category, exported and imported again."""

from __future__ import annotations

import io
from datetime import timedelta

import docx
from openpyxl import load_workbook
from sqlalchemy import select

from exports.docx_writer import docx_bytes
from exports.long_format import long_rows
from exports.summary import build_summary
from exports.xlsx_writer import xlsx_bytes
from hearing.extensions import db
from hearing.imports.long_format import read_long_file
from hearing.imports.long_validate import LongValidator
from hearing.models import Question as QuestionRow
from hearing.models import Status, Submission
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
    Sector,
)
from synthesis.tabulation import tabulate
from tests.exports_sample import EXPORTED_AT
from tests.respond_support import KEY, category_id, post_new
from tests.test_admin_consultations import create

SLUG = "sektor"
SECTOR = Options(("Kommune", "Stat", "Annet"), other=True)
QUESTIONS = (
    Question("1", "Hvor arbeider du?", QuestionKind.SINGLE_CHOICE, required=True, options=SECTOR),
    Question("2", "Er du enig?", QuestionKind.SCALE),
)
PUBLIC = Category("Forvaltning", Sector.PUBLIC)
PRIVATE = Category("Organisasjon", Sector.PRIVATE)


def _snapshot(*respondents: Respondent) -> ConsultationSnapshot:
    return ConsultationSnapshot(
        slug=SLUG,
        title="Sektorer",
        categories=(PUBLIC, PRIVATE),
        questions=QUESTIONS,
        respondents=respondents,
        opens_at=utcnow() - timedelta(days=1),
        closes_at=utcnow() + timedelta(days=7),
    )


def _respondent(key: str, category: Category, value: int, text: str | None = None) -> Respondent:
    answer = Answer("1", value=value, text=text)
    return Respondent(key, f"Instans {key}", category.label, answers={"1": answer})


SAMPLE = _snapshot(
    _respondent("a", PUBLIC, 0),
    _respondent("b", PUBLIC, 2, "Fylkeskommune"),
    _respondent("c", PRIVATE, 0),
)


def _form(consultation, **answers: str) -> dict[str, str]:
    ids = {q.code: q.id for q in consultation.questions}
    data = {
        "respondent_name": "Bergen kommune",
        "category": str(category_id(consultation, PUBLIC.label)),
        "email": "post@bergen.kommune.no",
        "consent": "named",
        "idempotency_key": KEY,
        "action": "submit",
    }
    data.update({f"q{ids['1']}_{part}": value for part, value in answers.items()})
    return data


def test_the_secretariat_lists_the_options(admin_client):
    create(admin_client)
    base = "/admin/consultations/barnevern-2026/questions"
    fields = {"code": "1", "text": "Hvor?", "kind": "single_choice"}
    refused = admin_client.post(f"{base}/new", data={**fields, "option_lines": "Bare én"})
    assert "Skriv minst to alternativer" in refused.get_data(as_text=True)
    lines = "Kommune\n  Stat \n\nAnnet"
    admin_client.post(f"{base}/new", data={**fields, "option_lines": lines, "other_option": "y"})
    question = db.session.scalars(select(QuestionRow)).one()
    assert question.options == SECTOR and question.kind == "single_choice"
    page = admin_client.get(f"{base}/{question.id}/edit").get_data(as_text=True)
    assert "Kommune\nStat\nAnnet</textarea>" in page


def test_a_respondent_chooses_annet_and_says_what_it_is(app, client):
    consultation = create_consultation(_snapshot(), slug=SLUG, status=Status.OPEN)
    db.session.commit()
    page = client.get(f"/h/{SLUG}/svar").get_data(as_text=True)
    assert 'type="radio"' in page and ">Stat</label>" in page and "«Annet»" in page

    missing = post_new(client, _form(consultation, value="2"), slug=SLUG)
    assert missing.status_code == 422
    assert "Skriv hva du mener med det siste alternativet." in missing.get_data(as_text=True)
    stray = post_new(client, _form(consultation, value="0", text="Fylke"), slug=SLUG)
    assert "Teksten hører til det siste alternativet" in stray.get_data(as_text=True)

    sent = post_new(client, _form(consultation, value="2", text="Fylkeskommune"), slug=SLUG)
    assert sent.status_code == 302
    (answer,) = db.session.scalars(select(Submission)).one().answers
    assert (answer.value, answer.choices, answer.text) == (2, None, "Fylkeskommune")
    receipt = client.get(sent.location).get_data(as_text=True)
    assert "Annet" in receipt and "Fylkeskommune" in receipt


def test_options_are_counted_by_category():
    (table, _scale) = tabulate(SAMPLE)
    assert table.labels == ("Kommune", "Stat", "Annet") and not table.ordinal
    assert table.overall.counts == (2, 0, 1) and table.overall.total == 3
    assert table.by_category[PUBLIC.label].counts == (1, 0, 1)
    assert [round(p) for p in table.by_category[PUBLIC.label].percentages] == [50, 0, 50]
    assert table.overall.mean is None


def test_exports_write_the_option_and_its_text():
    summary = build_summary(
        SAMPLE, audience="internal", exported_at=EXPORTED_AT, software_version="t"
    )
    rows = [row for row in long_rows(summary) if row[3] == "1"]
    assert [(row[4], row[5]) for row in rows] == [
        ("Kommune", ""),
        ("Annet", "Fylkeskommune"),
        ("Kommune", ""),
    ]
    workbook = load_workbook(io.BytesIO(xlsx_bytes(summary)))
    positions = [[c for c in row if c is not None] for row in workbook["Standpunkter"].values]
    assert ["Kommune", "Stat", "Annet", "Totalt"] in positions
    report = docx.Document(io.BytesIO(docx_bytes(summary)))
    headers = [[cell.text for cell in table.rows[0].cells] for table in report.tables]
    assert any(header[1:4] == ["Kommune", "Stat", "Annet"] for header in headers)


def test_an_imported_file_names_the_option_or_its_number():
    csv = (
        b"respondent;category;sector;question;value;text\r\n"
        b"A;Forvaltning;Offentlig;1;stat;\r\n"
        b"B;Organisasjon;Privat;1;3;Fylkeskommune\r\n"
        b"C;Organisasjon;Privat;1;Fylke;\r\n"
    )
    result = LongValidator(_snapshot()).validate(read_long_file(csv, "svar.csv"))
    answers = [r.answers["1"] for r in result.respondents]
    assert answers == [Answer("1", value=1), Answer("1", value=2, text="Fylkeskommune")]
    (error,) = result.errors
    assert error.code == "bad_value" and "Kommune, Stat, Annet" in error.message("nb")


def test_answered_options_cannot_change(admin_client):
    consultation = create_consultation(_snapshot(*SAMPLE.respondents[:1]), slug=SLUG)
    add_respondents(consultation, SAMPLE.respondents[:1])
    db.session.commit()
    question = consultation.questions[0]
    edit = f"/admin/consultations/{SLUG}/questions/{question.id}/edit"
    fields = {"code": "1", "text": "Hvor?", "kind": "single_choice", "other_option": "y"}
    refused = admin_client.post(edit, data={**fields, "option_lines": "Stat\nKommune\nAnnet"})
    assert "Svaralternativene kan ikke endres" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(QuestionRow, question.id).options == SECTOR
    kept = admin_client.post(edit, data={**fields, "option_lines": "Kommune\nStat\nAnnet"})
    assert kept.status_code == 302
