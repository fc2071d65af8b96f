"""The coding pages: who may code, the codebook, tagging whole answers and passages (with and
without the page's script), notes, reviews, filters, the counts by category, the downloads,
and suggestions that appear only when they have been measured to be right."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import AnswerNote, AuditEvent, Code, CodeAssignment, Role
from hearing.models.coding import AssignmentSource
from hearing.services import coding
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis import snapshot as snap
from tests.coding_support import SLUG, answer_of, examples, make_coding_consultation
from tests.conftest import create_user, sign_in
from tests.test_translations import english_mo  # noqa: F401  (a fixture)

BASE = f"/admin/consultations/{SLUG}/coding"


@pytest.fixture()
def consultation(app):
    return make_coding_consultation()


@pytest.fixture()
def money(consultation):
    code = coding.add_code(consultation, "Finansiering", "Penger og ressurser")
    db.session.commit()
    return code


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client, consultation, money):
    answer = answer_of(consultation, "Oslo kommune")
    for url in (BASE, f"{BASE}/questions/1", f"{BASE}/summary", f"{BASE}/koder.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    response = client.post(f"{BASE}/answers/{answer.id}/tags", data={"code": money.id})
    assert "/auth/login" in response.headers["Location"]
    assert db.session.scalars(select(CodeAssignment)).all() == []


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMIN])
def test_analysts_and_admins_code(app, consultation, role):
    client = app.test_client()
    create_user(f"{role}@example.no", role)
    sign_in(client, f"{role}@example.no")
    assert client.post(f"{BASE}/codes", data={"name": "Samarbeid"}).status_code == 302
    code = db.session.scalar(select(Code))
    answer = answer_of(consultation, "Bergen kommune")
    response = client.post(f"{BASE}/answers/{answer.id}/tags", data={"code": code.id})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/coding/questions/1#answer-{answer.id}")
    assert db.session.scalar(select(CodeAssignment)).answer_id == answer.id


def test_the_codebook_page(analyst_client, consultation, money):
    analyst_client.post(f"{BASE}/codes", data={"name": "Samarbeid", "description": "NAV m.fl."})
    duplicate = analyst_client.post(
        f"{BASE}/codes", data={"name": "samarbeid"}, follow_redirects=True
    )
    assert "allerede en kode som heter" in duplicate.get_data(as_text=True)
    second = db.session.scalar(select(Code).where(Code.name == "Samarbeid"))
    analyst_client.post(f"{BASE}/codes/{second.id}/move", data={"direction": "up"})
    analyst_client.post(
        f"{BASE}/codes/{money.id}",
        data={"name": "Økonomi", "description": "Penger", "colour": "green"},
    )
    db.session.expire_all()
    assert [(c.name, c.colour) for c in coding.codebook(consultation)][1] == ("Økonomi", "green")
    html = page(analyst_client, BASE)
    assert html.index("Samarbeid") < html.index("Økonomi")
    assert "NAV m.fl." in html


def test_deleting_a_used_code_asks_first(analyst_client, consultation, money):
    coding.tag_answer(answer_of(consultation, "Oslo kommune"), money, user_id=None)
    db.session.commit()
    asked = analyst_client.post(f"{BASE}/codes/{money.id}/delete")
    assert asked.status_code == 200
    assert "brukt 1 gang" in asked.get_data(as_text=True)
    assert db.session.get(Code, money.id) is not None
    done = analyst_client.post(f"{BASE}/codes/{money.id}/delete", data={"confirm": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(Code)).all() == []
    assert db.session.scalars(select(CodeAssignment)).all() == []


def test_tagging_a_selected_passage_and_a_pasted_one(analyst_client, consultation, money):
    answer = answer_of(consultation, "Bergen kommune")
    selected = "mer penger"
    start = answer.text.index(selected)
    url = f"{BASE}/answers/{answer.id}/tags"
    form = {"code": money.id, "start": start, "end": start + len(selected), "quote": selected}
    assert analyst_client.post(url, data=form).status_code == 302
    pasted = {"code": money.id, "quote": "Samarbeidet med NAV er godt.", "start": "", "end": ""}
    analyst_client.post(url, data=pasted)
    quotes = [a.quote for a in db.session.scalars(select(CodeAssignment).order_by("id"))]
    assert quotes == ["mer penger", "Samarbeidet med NAV er godt."]
    html = page(analyst_client, f"{BASE}/questions/1")
    assert (
        f'<mark class="code-mark code-colour-{money.colour}" title="Finansiering">mer penger</mark>'
        in html
    )


def test_a_passage_that_no_longer_matches_is_refused(analyst_client, consultation, money):
    answer = answer_of(consultation, "Bergen kommune")
    form = {"code": money.id, "start": 0, "end": 5, "quote": "Noe annet"}
    response = analyst_client.post(
        f"{BASE}/answers/{answer.id}/tags", data=form, follow_redirects=True
    )
    assert "Svaret er endret siden siden ble lastet" in response.get_data(as_text=True)
    assert db.session.scalars(select(CodeAssignment)).all() == []


def test_the_page_returns_to_its_filters_and_never_elsewhere(analyst_client, consultation, money):
    answer = answer_of(consultation, "Oslo kommune")
    url = f"{BASE}/answers/{answer.id}/review"
    back = f"{BASE}/questions/1?show=untagged&page=1"
    response = analyst_client.post(url, data={"reviewed": "1", "next": back})
    assert response.headers["Location"].endswith(f"{back}#answer-{answer.id}")
    for elsewhere in ("https://evil.example/", "//evil.example/x", "/admin/users"):
        response = analyst_client.post(url, data={"reviewed": "1", "next": elsewhere})
        location = urlsplit(response.headers["Location"])
        assert location.netloc in ("", "localhost")
        assert location.path == f"{BASE}/questions/1"


def test_notes_reviews_and_filters_on_the_work_page(app, analyst_client, consultation, money):
    bergen, oslo = (
        answer_of(consultation, "Bergen kommune"),
        answer_of(consultation, "Oslo kommune"),
    )
    analyst_client.post(f"{BASE}/answers/{bergen.id}/notes", data={"text": "Sjekk tallene"})
    analyst_client.post(f"{BASE}/answers/{bergen.id}/review", data={"reviewed": "1"})
    analyst_client.post(f"{BASE}/answers/{oslo.id}/tags", data={"code": money.id})
    html = page(analyst_client, f"{BASE}/questions/1")
    assert "Sjekk tallene" in html and "Gjennomgått av analyst@example.no" in html
    untagged = page(analyst_client, f"{BASE}/questions/1?show=untagged")
    assert "Bergen kommune" in untagged and "Oslo kommune" not in untagged
    unreviewed = page(analyst_client, f"{BASE}/questions/1?show=unreviewed")
    assert "Bergen kommune" not in unreviewed and "Redd Barna" in unreviewed
    with_code = page(analyst_client, f"{BASE}/questions/1?tag={money.id}")
    assert "Oslo kommune" in with_code and "Redd Barna" not in with_code
    # Someone else's note: another analyst may not delete it, an admin may.
    note = db.session.scalar(select(AnswerNote))
    other = app.test_client()
    create_user("other@example.no", Role.ANALYST)
    sign_in(other, "other@example.no")
    assert other.post(f"{BASE}/notes/{note.id}/delete").status_code == 403
    admin = app.test_client()
    create_user("admin@example.no", Role.ADMIN)
    sign_in(admin, "admin@example.no")
    assert admin.post(f"{BASE}/notes/{note.id}/delete").status_code == 302
    assert db.session.scalars(select(AnswerNote)).all() == []


def test_objects_of_another_consultation_are_not_found(analyst_client, consultation, money):
    from tests.respond_support import make_consultation

    make_consultation(slug="annen")
    db.session.commit()
    answer = answer_of(consultation, "Oslo kommune")
    other = "/admin/consultations/annen/coding"
    assert (
        analyst_client.post(
            f"{other}/answers/{answer.id}/tags", data={"code": money.id}
        ).status_code
        == 404
    )
    assert analyst_client.post(f"{other}/codes/{money.id}/delete").status_code == 404
    assert analyst_client.get(f"{BASE}/questions/9").status_code == 404


def _coded(consultation, money):
    voice = coding.add_code(consultation, "Medvirkningskoden")
    for name, quote in (("Bergen kommune", "mer penger"), ("Oslo kommune", "Finansieringen")):
        answer = answer_of(consultation, name)
        passage = coding.resolve_passage(answer.text, quote=quote)
        coding.tag_answer(answer, money, user_id=None, passage=passage)
    oslo_2 = answer_of(consultation, "Oslo kommune", "2")
    coding.tag_answer(oslo_2, money, user_id=None)  # the same respondent again, question 2
    barna = answer_of(consultation, "Redd Barna")
    coding.tag_answer(barna, voice, user_id=None)
    coding.tag_answer(barna, money, user_id=None)
    coding.add_note(barna, '=HYPERLINK("http://x")', user_id=None)
    db.session.commit()
    return voice


def test_counts_by_category_on_the_summary_page(analyst_client, consultation, money):
    _coded(consultation, money)
    html = page(analyst_client, f"{BASE}/summary")
    assert "Kommune (Offentlig)" in html and "Organisasjon (Privat)" in html
    # Finansiering: both municipalities (Oslo once, though on two questions) and Redd Barna.
    row = html[html.index(">Finansiering<") :]
    cells = row[: row.index("</tr>")]
    assert ">3 <" in cells and ">2 <" in cells and "100 %" in cells
    only_2 = page(analyst_client, f"{BASE}/summary?question=2")
    assert "Spørsmål 2" in only_2 and "Organisasjon (Privat)" not in only_2
    assert "/synthesis" in html  # reached from, and part of, the synthesis pages


def _trimmed(row: tuple) -> tuple:
    """A sheet row without the empty cells that pad it to the sheet's width."""
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def test_downloads_hold_counts_and_the_long_format_and_are_audited(
    analyst_client, consultation, money
):
    _coded(consultation, money)
    response = analyst_client.get(f"{BASE}/koder.xlsx")
    assert response.headers["Cache-Control"] == "no-store, private"
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Koder", "Kodinger"]
    rows = [_trimmed(row) for row in workbook["Koder"].iter_rows(values_only=True)]
    assert ("Finansiering", 3, "Penger og ressurser") in rows
    assert ("Finansiering", 3, 2, 1) in rows  # all questions: Alle, Kommune, Organisasjon
    assert workbook["Koder"].page_setup.orientation == "landscape"
    long_rows = [tuple(row) for row in workbook["Kodinger"].iter_rows(values_only=True)]
    assert long_rows[0] == (
        "respondent",
        "reference",
        "category",
        "question",
        "code",
        "passage",
        "note",
    )
    assert (
        long_rows[1][0],
        long_rows[1][3],
        long_rows[1][4],
        long_rows[1][5],
    ) == ("Bergen kommune", "1", "Finansiering", "mer penger")
    note_row = next(i for i, row in enumerate(long_rows[1:], start=2) if row[6])
    note_cell = workbook["Kodinger"].cell(note_row, 7)
    assert note_cell.value == '=HYPERLINK("http://x")' and note_cell.data_type == "s"
    text = analyst_client.get(f"{BASE}/koder.csv").data.decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(records) == len(long_rows)
    assert records[note_row - 1][-1] == '\'=HYPERLINK("http://x")'  # never a formula
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "coding.download"))
    assert [event.details["format"] for event in events] == ["xlsx", "csv"]


def test_coding_never_reaches_the_public_edition(admin_client, consultation, money):
    _coded(consultation, money)
    for audience in ("public", "internal"):
        for format_name in ("json", "csv"):
            url = f"/admin/consultations/{SLUG}/export.{format_name}?audience={audience}"
            body = admin_client.get(url).get_data(as_text=True)
            for coded in ("Medvirkningskoden", "Penger og ressurser", "HYPERLINK"):
                assert coded not in body, url


@pytest.mark.usefixtures("english_mo")
def test_the_pages_in_english(analyst_client, consultation, money):
    analyst_client.get("/language/en?next=/")
    html = page(analyst_client, f"{BASE}/questions/1")
    assert "Coding the answers to 1" in html and "Suggested codes" in html
    assert "Codes by respondent category" in page(analyst_client, f"{BASE}/summary")


# Suggestions on the page ---------------------------------------------------------------------


def _clear_cut_consultation(coded: int, untagged: int):
    """A consultation whose answers say plainly which of three codes they deserve."""
    made = examples(coded + untagged, seed=4)
    snapshot = snap.ConsultationSnapshot(
        slug="forslag",
        title="Forslag",
        scale=snap.Scale(),
        categories=(snap.Category("Kommune", snap.Sector.PUBLIC),),
        questions=(snap.Question("1", "Hva mener dere?", snap.QuestionKind.TEXT),),
    )
    consultation = create_consultation(snapshot, slug="forslag")
    respondents = [
        snap.Respondent(
            e.key,
            f"Kommune {e.key}",
            "Kommune (Offentlig)",
            answers={"1": snap.Answer("1", text=e.text)},
        )
        for e in made
    ]
    submissions = add_respondents(consultation, respondents)
    db.session.flush()
    codes = {
        name: coding.add_code(consultation, name) for name in ("penger", "samarbeid", "medvirkning")
    }
    for example, submission in zip(made[:coded], submissions[:coded], strict=True):
        answer = submission.answers[0]
        for name in sorted(example.codes):
            coding.tag_answer(answer, codes[name], user_id=None)
    db.session.commit()
    return made, submissions, codes


def test_suggestions_appear_when_measured_good_and_accepting_one_tags(analyst_client):
    _made, submissions, codes = _clear_cut_consultation(coded=40, untagged=10)
    html = page(analyst_client, "/admin/consultations/forslag/coding/questions/1?show=untagged")
    assert "Forslagene stemte i" in html and "svarene dere har kodet" in html
    assert html.count("Godta «") >= 8
    answer = submissions[45].answers[0]
    form = {"code": codes["penger"].id, "source": "suggestion"}
    analyst_client.post(f"/admin/consultations/forslag/coding/answers/{answer.id}/tags", data=form)
    accepted = db.session.scalar(
        select(CodeAssignment).where(CodeAssignment.answer_id == answer.id)
    )
    assert (accepted.source, accepted.span_start) == (AssignmentSource.SUGGESTION, None)


def test_no_suggestions_until_enough_answers_are_coded(analyst_client):
    _clear_cut_consultation(coded=10, untagged=10)
    html = page(analyst_client, "/admin/consultations/forslag/coding/questions/1")
    assert "Godta «" not in html
    assert "Når minst 20 svar på dette spørsmålet er kodet eller gjennomgått (nå 10)" in html
