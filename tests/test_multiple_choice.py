"""Multiple choice, with "Annet, spesifiser": defined by the secretariat, answered with checkboxes,
kept in a resumed draft, counted as shares of respondents, exported as "A; B" and read back."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from exports.json_writer import summary_document
from exports.long_format import long_rows
from exports.summary import build_summary
from hearing.extensions import db
from hearing.imports.long_format import read_long_file
from hearing.imports.long_validate import LongValidator
from hearing.models import Question as QuestionRow
from hearing.models import Status, Submission
from hearing.models.types import utcnow
from hearing.services.snapshots import create_consultation
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
from tests.respond_support import KEY, category_id, post_new, token_from
from tests.test_admin_consultations import create

SLUG = "samarbeid"
SERVICES = Options(("Barnehage", "Skole", "Helsestasjon", "Annet"), other=True)
QUESTIONS = (
    Question(
        "1", "Hvem samarbeider dere med?", QuestionKind.MULTIPLE_CHOICE, True, options=SERVICES
    ),
)
PUBLIC = Category("Forvaltning", Sector.PUBLIC)
PRIVATE = Category("Organisasjon", Sector.PRIVATE)


def _snapshot(*respondents: Respondent) -> ConsultationSnapshot:
    return ConsultationSnapshot(
        slug=SLUG,
        title="Samarbeid",
        categories=(PUBLIC, PRIVATE),
        questions=QUESTIONS,
        respondents=respondents,
        opens_at=utcnow() - timedelta(days=1),
        closes_at=utcnow() + timedelta(days=7),
    )


def _respondent(key: str, category: Category, *chosen: int, text: str | None = None):
    answer = Answer("1", choices=chosen, text=text)
    return Respondent(key, f"Instans {key}", category.label, answers={"1": answer})


SAMPLE = _snapshot(
    _respondent("a", PUBLIC, 0, 1),
    _respondent("b", PUBLIC, 1, 3, text="Idrettslag"),
    _respondent("c", PRIVATE, 1),
    _respondent("d", PRIVATE, 0, 1, 2),
)


def _form(consultation, *chosen: str, action: str = "submit", **parts: str) -> MultiDict:
    """Form data as a browser sends it: one `choices` pair per ticked box."""
    name = f"q{consultation.questions[0].id}"
    data = [
        ("respondent_name", "Bergen kommune"),
        ("category", str(category_id(consultation, PUBLIC.label))),
        ("email", "post@bergen.kommune.no"),
        ("consent", "named"),
        ("idempotency_key", KEY),
        ("action", action),
    ]
    data += [(f"{name}_choices", value) for value in chosen]
    data += [(f"{name}_{part}", value) for part, value in parts.items()]
    return MultiDict(data)


def test_the_secretariat_lists_the_options(admin_client):
    create(admin_client)
    lines = "Barnehage\nSkole\nHelsestasjon\nAnnet"
    admin_client.post(
        "/admin/consultations/barnevern-2026/questions/new",
        data={"code": "1", "text": "Hvem?", "kind": "multiple_choice", "option_lines": lines},
    )
    question = db.session.scalars(select(QuestionRow)).one()
    assert question.options == Options(SERVICES.labels) and question.kind == "multiple_choice"


def test_a_respondent_ticks_several_boxes_and_comes_back_to_them(app, client):
    consultation = create_consultation(_snapshot(), slug=SLUG, status=Status.OPEN)
    db.session.commit()
    page = client.get(f"/h/{SLUG}/svar").get_data(as_text=True)
    name = f'name="q{consultation.questions[0].id}_choices"'
    assert page.count(name) == 4 and ">Helsestasjon</label>" in page

    none = post_new(client, _form(consultation), slug=SLUG)
    assert none.status_code == 422 and "Velg minst ett alternativ." in none.get_data(as_text=True)
    unexplained = post_new(client, _form(consultation, "0", "3"), slug=SLUG)
    assert "Skriv hva du mener med det siste alternativet." in unexplained.get_data(as_text=True)

    draft = post_new(
        client, _form(consultation, "2", "0", "3", action="draft", text="Idrettslag"), slug=SLUG
    )
    (answer,) = db.session.scalars(select(Submission)).one().answers
    assert (answer.choices, answer.text) == ([0, 2, 3], "Idrettslag")
    token = token_from(draft.location)
    resumed = client.get(f"/h/{SLUG}/svar/{token}").get_data(as_text=True)
    ticked = re.findall(rf'{name} id="[^"]+" value="(\d)" checked', resumed)
    assert ticked == ["0", "2", "3"] and "Idrettslag</textarea>" in resumed

    sent = client.post(f"/h/{SLUG}/svar/{token}", data=_form(consultation, "1", text=""))
    receipt = client.get(sent.location).get_data(as_text=True)
    assert "Skole" in receipt and "Barnehage" not in receipt


def test_each_option_counts_the_respondents_who_chose_it():
    (table,) = tabulate(SAMPLE)
    assert table.labels == SERVICES.labels and not table.ordinal
    assert table.overall.counts == (2, 4, 1, 1) and table.overall.choosers == 4
    assert [round(p) for p in table.overall.percentages] == [50, 100, 25, 25]
    assert table.by_category[PRIVATE.label].counts == (1, 2, 1, 0)


def test_exports_write_the_options_apart_and_an_import_reads_them_back():
    summary = build_summary(
        SAMPLE, audience="internal", exported_at=EXPORTED_AT, software_version="t"
    )
    rows = [(row[0], row[4], row[5]) for row in long_rows(summary)]
    assert ("Instans b", "Skole; Annet", "Idrettslag") in rows
    assert summary_document(summary)["answers"][1]["choices"] == [1, 3]
    assert summary.questions[0].rows[1].label == "Skole, Annet"

    lines = ["respondent;category;sector;question;value;text"]
    lines += [f'{name};{PUBLIC.name};Offentlig;1;"{value}";{text}' for name, value, text in rows]
    lines.append('X;Forvaltning;Offentlig;1;"Skole; Bibliotek";')
    result = LongValidator(_snapshot()).validate(
        read_long_file("\r\n".join(lines).encode(), "s.csv")
    )
    assert [r.answers["1"].choices for r in result.respondents] == [(0, 1), (1, 3), (1,), (0, 1, 2)]
    assert result.respondents[1].answers["1"].text == "Idrettslag"
    (error,) = result.errors
    assert error.code == "bad_value"
