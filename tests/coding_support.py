"""A small consultation to code: two categories, a text question and a scale+text question."""

from __future__ import annotations

from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Answer, Consultation, Question, Status, Submission
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis import snapshot as snap

SLUG = "koding"
MUNICIPALITY = snap.Category("Kommune", snap.Sector.PUBLIC)
ORGANISATION = snap.Category("Organisasjon", snap.Sector.PRIVATE)
TEXTS = {
    "Bergen kommune": "Vi trenger mer penger til helsestasjonene. Samarbeidet med NAV er godt.",
    "Oslo kommune": "Finansieringen er for svak, og ventetiden er lang.",
    "Redd Barna": "Barns stemme må høres i alle ledd. Finansiering er også viktig.",
}


def make_coding_consultation() -> Consultation:
    snapshot = snap.ConsultationSnapshot(
        slug=SLUG,
        title="Koding",
        scale=snap.Scale(),
        categories=(MUNICIPALITY, ORGANISATION),
        questions=(
            snap.Question("1", "Hva mener dere?", snap.QuestionKind.TEXT),
            snap.Question("2", "Er dere enige?", snap.QuestionKind.SCALE_TEXT),
        ),
    )
    consultation = create_consultation(snapshot, slug=SLUG, status=Status.CLOSED)
    respondents = [
        snap.Respondent(
            key=name,
            name=name,
            category=(ORGANISATION if name == "Redd Barna" else MUNICIPALITY).label,
            answers={
                "1": snap.Answer("1", text=text),
                "2": snap.Answer("2", value=1, text=f"{name} er delvis enig."),
            },
        )
        for name, text in TEXTS.items()
    ]
    add_respondents(consultation, respondents, external_prefix="koding:")
    db.session.commit()
    return consultation


def answer_of(consultation: Consultation, name: str, code: str = "1") -> Answer:
    return db.session.scalar(
        select(Answer)
        .join(Submission, Answer.submission_id == Submission.id)
        .join(Question, Answer.question_id == Question.id)
        .where(
            Submission.consultation_id == consultation.id,
            Submission.respondent_name == name,
            Question.code == code,
        )
    )
