"""A small consultation to code (two categories, a text question and a scale+text question),
and generated answers whose words say which codes they deserve."""

from __future__ import annotations

import random

from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Answer, Consultation, Question, Status, Submission
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis import snapshot as snap
from synthesis.code_suggestions import CodedExample

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


# Answers that say plainly which codes they deserve, for suggestions ------------------------------

TOPICS = {
    "penger": ["finansiering", "budsjett", "midler", "penger", "kostnader", "bevilgning"],
    "samarbeid": ["samarbeid", "samordning", "tverrfaglig", "koordinering", "etater", "NAV"],
    "medvirkning": ["medvirkning", "stemme", "høres", "involvering", "ungdomsråd", "brukerne"],
}
FILLER = ["vi", "mener", "at", "det", "er", "viktig", "for", "kommunen", "og", "tjenestene"]


def answer_text(rng: random.Random, codes: list[str]) -> str:
    words = [rng.choice(FILLER) for _ in range(6)]
    for code in codes:
        words += rng.sample(TOPICS[code], 3)
    rng.shuffle(words)
    return " ".join(words).capitalize() + "."


def examples(n: int, seed: int = 1, shuffle_codes: bool = False) -> list[CodedExample]:
    rng = random.Random(seed)
    made = []
    for index in range(n):
        codes = rng.sample(sorted(TOPICS), rng.choice((1, 1, 2)))
        made.append(CodedExample(str(index), answer_text(rng, codes), frozenset(codes)))
    if shuffle_codes:  # codes drawn anew, by another generator: they say nothing of the texts
        codes = [example.codes for example in made]
        random.Random(seed + 1_000).shuffle(codes)
        made = [CodedExample(e.key, e.text, c) for e, c in zip(made, codes, strict=True)]
    return made
