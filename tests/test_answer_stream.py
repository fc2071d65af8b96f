"""A run whose answers are streamed from the database, a question at a time, and stored in
parts gives what the whole-in-memory pipeline gives on `snapshot_of` (and, for a public run,
on `publishable(snapshot_of(...))`): tables, themes, passages, campaigns, flags, groups, hash.
Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Consultation, RunScope, Source, Submission
from hearing.services import redactions, synthesis_runs
from hearing.services.answer_stream import DatabaseSource
from hearing.services.redactions import Marking
from hearing.services.snapshots import add_respondents, create_consultation, snapshot_of
from synthesis.pipeline import SynthesisPipeline
from synthesis.publishable import publishable
from synthesis.question_kinds import Options
from synthesis.snapshot import (
    Answer,
    Category,
    Consent,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Scale,
    Sector,
)
from tests.result_support import assert_same_result

TOPICS = (
    "Helsesykepleiere i skolen må få flere stillinger og mer tid til elevene hver uke.",
    "Barnevernet og skolen bør samarbeide tettere om utsatte barn og familiene deres.",
    "Kommunen må satse på tidlig innsats i barnehagen og gode overganger til skolen.",
)
CAMPAIGN = (
    "Vi i foreldreforeningen krever at kommunen ansetter flere helsesykepleiere og gir "
    "skolehelsetjenesten faste kontordager på alle skoler i kommunen."
)


def _respondent(n: int) -> Respondent:
    """Thirty respondents on three topics and a campaign of six, positions on two scales, a
    choice question, a text that only starts after a long run of blanks, some answering
    anonymously or refusing publication."""
    text = f"{TOPICS[n % 3]} Erfaring nummer {n} fra vår kommune."
    if n < 6:
        text = CAMPAIGN + (" Hilsen Kari." if n == 3 else "")
    if n == 7:
        text = " " * 80 + text
    answers = {
        "1": Answer("1", value=n % 5, text=text),
        "2": Answer("2", choices=(n % 3,) if n % 4 else (0, 2)),
        "3": Answer("3", dont_know=n % 7 == 0, value=None if n % 7 == 0 else (n * 3) % 5),
    }
    if n % 5 != 4:
        answers["3.a"] = Answer("3.a", text=f"{TOPICS[(n + 1) % 3]} Svar {n}.")
    if n == 9:
        answers["3.a"] = Answer("3.a", value=None, text="   ")  # blanks only: not an answer
    consent = (Consent.NAMED, Consent.ANONYMOUS, Consent.NONE)[n % 3 if n > 5 else 0]
    category = "Kommune (Offentlig)" if n % 2 else "Privatperson (Enkeltperson)"
    return Respondent(f"k{n}", f"Respondent {n}", category, consent=consent, answers=answers)


@pytest.fixture()
def consultation(app) -> Consultation:
    snapshot = ConsultationSnapshot(
        slug="strommet",
        title="Skolehelse",
        document="Dokumentet om skolehelse.\n\nHelsesykepleiere og skolen i kommunen.",
        scale=Scale(dont_know="Vet ikke"),
        categories=(
            Category("Kommune", Sector.PUBLIC),
            Category("Privatperson", Sector.INDIVIDUAL),
        ),
        questions=(
            Question("1", "Er du enig, og hvorfor?", QuestionKind.SCALE_TEXT),
            Question(
                "2",
                "Hva gjelder det?",
                QuestionKind.MULTIPLE_CHOICE,
                options=Options(("Skole", "Barnehage", "Helse")),
            ),
            Question("3", "Enig?", QuestionKind.SCALE),
            Question("3.a", "Utdyp", QuestionKind.TEXT),
        ),
    )
    created = create_consultation(snapshot, slug="strommet")
    add_respondents(created, [_respondent(n) for n in range(30)], source=Source.IMPORT)
    hidden = db.session.scalar(
        select(Submission).where(Submission.respondent_name == "Respondent 8")
    )
    hidden.hidden = True
    db.session.commit()
    return created


def _stored(consultation: Consultation, scope: RunScope):
    run = synthesis_runs.run_inline(
        consultation, synthesis_runs.run_parameters(n_themes=2), scope=scope
    )
    db.session.commit()
    return synthesis_runs.result_of(run, consultation).result


@pytest.mark.parametrize("scope", [RunScope.INTERNAL, RunScope.PUBLIC])
def test_a_streamed_run_in_parts_is_the_whole_run(consultation, scope):
    whole_input = snapshot_of(consultation, include_hidden=False)
    if scope == RunScope.PUBLIC:
        whole_input = publishable(whole_input)
    whole = SynthesisPipeline(**synthesis_runs.run_parameters(n_themes=2)).run(whole_input)
    assert "campaign" in {group.kind for group in whole.duplicate_groups}
    assert whole.themes and whole.opinion_groups and whole.resubmissions is not None
    stored = _stored(consultation, scope)
    assert_same_result(stored, whole)
    assert stored.theme_codes == ("1", "3.a")


def test_a_public_run_streams_only_publishable_answers_with_their_redactions(consultation):
    redacted = db.session.scalar(
        select(Submission).where(Submission.respondent_name == "Respondent 12")
    )
    question = next(q for q in consultation.questions if q.code == "1")
    redactions.redact_answer(redacted, question, Marking("name", words="kommune"))
    db.session.commit()
    source = DatabaseSource(consultation, RunScope.PUBLIC)
    streamed = {r.key: r for r in source.respondents()}
    expected = {
        r.key: r for r in publishable(snapshot_of(consultation, include_hidden=False)).respondents
    }
    assert streamed.keys() == expected.keys() and len(streamed) < 29
    assert streamed[redacted.reference].answers == expected[redacted.reference].answers
    assert "[sladdet]" in streamed[redacted.reference].answers["1"].text
    assert list(source.keys_with_text()) == [
        r.key
        for r in expected.values()
        if any(a.text and a.text.strip() for a in r.answers.values())
    ]
    assert _stored(consultation, RunScope.PUBLIC).input_hash == SynthesisPipeline(
        **synthesis_runs.run_parameters(n_themes=2)
    ).input_hash(publishable(snapshot_of(consultation, include_hidden=False)))


def test_a_question_is_read_alone(consultation):
    source = DatabaseSource(consultation, RunScope.INTERNAL)
    answered = list(source.answers_to(["3.a", "3"]))
    assert answered and all(set(r.answers) <= {"3", "3.a"} for r in answered)
    assert all(r.answer("3.a") is not None for r in answered)  # blanks only is no answer
    assert len(answered) == 30 - 6 - 1  # without 3.a: every fifth, and the hidden respondent
    assert [r.key for r in source.respondents_with_keys([answered[2].key, answered[0].key])] == [
        answered[0].key,
        answered[2].key,
    ]
    positions = list(source.respondents(texts=False))
    assert all(a.text in (None, "…") for r in positions for a in r.answers.values())
