"""A consultation of many respondents answering several scale + text questions, with injected
campaigns, generated and loaded into a database for `bench/bench_million.py`.

Each question's answers are `synthetic_responses.generate(realistic=True)`: campaign members
paraphrase a template, drop or reorder its sentences and add sentences of their own, and stock
phrases open many unrelated answers (decoys). Respondent i answers question q with the i-th
answer generated for q (a fresh seed per question), so campaigns are per question, as the
duplicate detection looks for them. Campaigns are up to `MAX_CAMPAIGN_SIZE` members: with
250,000 answers a question holds about a hundred campaigns, and the realistic generator's pool
of template sentences (one campaign's sentences shared by no other) lasts for them.

Each respondent takes a position on each question's scale (campaign members mostly their
campaign's), so tabulation and opinion groups have work too. Loading goes in batches through
the app's own write path (`hearing.services.response_rows`), so the rows are what the web form
would store. The ground truth (question → respondent name → campaign) is written beside the
database as JSON; respondent names are "Respondent N", and the stored key (the reference) is
mapped back through them.

    .venv/bin/python bench/million_data.py --respondents 25000 --database /tmp/m.db
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BENCH_DIRECTORY = Path(__file__).parent
sys.path.insert(0, str(BENCH_DIRECTORY.parent))
sys.path.insert(0, str(BENCH_DIRECTORY))

from synthetic_responses import generate  # noqa: E402

from synthesis.snapshot import (  # noqa: E402
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Sector,
)

SLUG = "million"
QUESTIONS = 4
MAX_CAMPAIGN_SIZE = 1_000
BATCH = 5_000
CATEGORIES = (
    Category("Privatperson", Sector.INDIVIDUAL),
    Category("Organisasjon", Sector.PRIVATE),
    Category("Kommune", Sector.PUBLIC),
    Category("Statlig virksomhet", Sector.PUBLIC),
)
QUESTION_TEXTS = (
    "Hva mener du om forslaget til ledelse og samordning?",
    "Har du forslag til konkrete mål som kan legges til?",
    "Har du forslag til tiltak for å oppnå målene?",
    "Har du flere kommentarer til rapporten?",
)


@dataclass(frozen=True)
class MillionAnswers:
    """Texts per question (respondent i's answer at position i) and campaigns per question."""

    respondents: int
    texts: dict[str, list[str]]
    campaign_of: dict[str, dict[int, str]]  # question code -> respondent number -> campaign


def question_codes(questions: int = QUESTIONS) -> list[str]:
    return [str(number) for number in range(1, questions + 1)]


def generate_answers(respondents: int, questions: int = QUESTIONS, seed: int = 0) -> MillionAnswers:
    texts, campaign_of = {}, {}
    for offset, code in enumerate(question_codes(questions)):
        data = generate(
            respondents,
            seed=seed * 100 + offset,
            realistic=True,
            max_campaign_size=MAX_CAMPAIGN_SIZE,
        )
        position = {key: number for number, key in enumerate(data.keys)}
        texts[code] = data.texts
        campaign_of[code] = {position[key]: f"{code}:{c}" for key, c in data.campaign_of.items()}
    return MillionAnswers(respondents, texts, campaign_of)


def frame(questions: int = QUESTIONS) -> ConsultationSnapshot:
    """The consultation without respondents."""
    return ConsultationSnapshot(
        slug=SLUG,
        title="Ledelse for kunnskapsbasert, samordnet og brukerrettet praksis",
        categories=CATEGORIES,
        questions=tuple(
            Question(
                code, QUESTION_TEXTS[int(code) % len(QUESTION_TEXTS) - 1], QuestionKind.SCALE_TEXT
            )
            for code in question_codes(questions)
        ),
    )


def respondents_of(answers: MillionAnswers, seed: int = 0) -> Iterator[Respondent]:
    """Respondent i with its answers; campaign members mostly share their campaign's position."""
    rng = random.Random(seed)
    campaign_value: dict[str, int] = {}
    for number in range(answers.respondents):
        given = {}
        for code, texts in answers.texts.items():
            campaign = answers.campaign_of[code].get(number)
            value = rng.randrange(5)
            if campaign is not None and rng.random() < 0.8:
                value = campaign_value.setdefault(campaign, rng.randrange(5))
            given[code] = Answer(code, value=value, text=texts[number])
        yield Respondent(
            key=f"r{number}",
            name=f"Respondent {number}",
            category=CATEGORIES[number % len(CATEGORIES)].label,
            answers=given,
        )


def snapshot(answers: MillionAnswers, questions: int = QUESTIONS) -> ConsultationSnapshot:
    """Everything in memory at once: what the whole-in-memory pipeline takes."""
    from dataclasses import replace

    return replace(frame(questions), respondents=tuple(respondents_of(answers)))


def truth_path(database: Path) -> Path:
    return database.with_suffix(".truth.json")


def load(database: Path, respondents: int, questions: int = QUESTIONS, seed: int = 0) -> dict:
    """A fresh SQLite database at `database` holding the consultation; timings of the load."""
    from flask_migrate import upgrade

    from hearing import create_app
    from hearing.extensions import db
    from hearing.models import Source, Status
    from hearing.models.types import utcnow
    from hearing.services.response_rows import ResponseRows, store_responses
    from hearing.services.snapshots import create_consultation

    started = time.perf_counter()
    answers = generate_answers(respondents, questions, seed)
    generated = time.perf_counter()
    database.unlink(missing_ok=True)
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench", "TESTING": True}
    )
    with app.app_context():
        upgrade()
        consultation = create_consultation(frame(questions), slug=SLUG, status=Status.CLOSED)
        rows = ResponseRows.of(consultation)
        batch: list = []
        for respondent in respondents_of(answers, seed):
            batch.append(
                rows.from_respondent(
                    respondent, source=Source.IMPORT, now=utcnow(), external_key=None
                )
            )
            if len(batch) == BATCH:
                store_responses(rows, batch, utcnow())
                db.session.commit()
                batch = []
        store_responses(rows, batch, utcnow())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    truth = {
        code: {f"Respondent {number}": campaign for number, campaign in members.items()}
        for code, members in answers.campaign_of.items()
    }
    truth_path(database).write_text(json.dumps(truth))
    return {
        "generate_seconds": round(generated - started, 1),
        "load_seconds": round(time.perf_counter() - generated, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=25_000)
    parser.add_argument("--questions", type=int, default=QUESTIONS)
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(load(args.database, args.respondents, args.questions, args.seed)))


if __name__ == "__main__":
    main()
