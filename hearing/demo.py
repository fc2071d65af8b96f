"""The demo consultation: the BarnUnge21 report on leadership (seed 000) with seed 004's questions.

Responses come from the compiled hearing document shipped in demo_data when its parser is
available, so a fresh `make run` shows a consultation with real answers to explore.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import resources

from sqlalchemy import func, select

from hearing.extensions import db
from hearing.models import Consultation, Source, Status, Submission, SubmissionStatus
from hearing.models.types import utcnow
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis.presets import BARNUNGE21_CATEGORY_PRESET
from synthesis.snapshot import Category, ConsultationSnapshot, Question, QuestionKind, Scale

DEMO_SLUG = "ledelse-kunnskapsbasert-praksis"
DEMO_TITLE = "Ledelse for kunnskapsbasert, samordnet og brukerrettet praksis"
DEMO_SUMMARY = (
    "Innspill fra arbeidsgruppe 3 – delrapport til strategiprosessen BarnUnge21. "
    "Sekretariatet ber om synspunkter på beskrivelsen av nåsituasjonen, målene og anbefalingene."
)
DEMO_QUESTIONS: tuple[Question, ...] = (
    Question("1", "Beskrivelse og vurdering av nåsituasjon", QuestionKind.SCALE),
    Question(
        "1.a",
        "Har du forslag til styrker, svakheter, utfordringer og muligheter som kan legges til?",
        QuestionKind.TEXT,
    ),
    Question("1.b", "Har du konkrete eksempler på disse forslagene?", QuestionKind.TEXT),
    Question(
        "2",
        "Målsettinger. Har du forslag til konkrete mål som kan legges til?",
        QuestionKind.SCALE_TEXT,
    ),
    Question(
        "3",
        "Anbefalinger og forslag til tiltak. Har du forslag til tiltak for å oppnå disse målene?",
        QuestionKind.SCALE_TEXT,
    ),
    Question("4", "Har du flere kommentarer til rapporten?", QuestionKind.TEXT),
)


def demo_text(name: str) -> str:
    return resources.files("hearing").joinpath("demo_data", name).read_text(encoding="utf-8")


def _document_markdown() -> str:
    """Seed 000 as Markdown: its headings, table of contents, table and lists as in the report
    (converted once from the extracted text, where headings had become plain paragraphs)."""
    return demo_text("document.md").strip()


def load_demo(*, replace: bool = False) -> tuple[Consultation, int, bool]:
    """Create the demo consultation with its responses.

    Returns the consultation, its number of submitted responses and whether it was created now.
    """
    existing = db.session.scalar(select(Consultation).where(Consultation.slug == DEMO_SLUG))
    if existing is not None:
        if not replace:
            return existing, _submitted(existing), False
        db.session.delete(existing)
        db.session.flush()
    seed = _seed_snapshot()
    skeleton = ConsultationSnapshot(
        slug=DEMO_SLUG,
        title=DEMO_TITLE,
        summary=DEMO_SUMMARY,
        scale=Scale(),
        categories=_categories(seed),
        questions=DEMO_QUESTIONS,
        opens_at=utcnow() - timedelta(days=14),
        closes_at=utcnow() + timedelta(days=30),
    )
    consultation = create_consultation(
        skeleton, slug=DEMO_SLUG, document=_document_markdown(), status=Status.OPEN
    )
    respondents = seed.respondents if seed else ()
    add_respondents(consultation, respondents, source=Source.IMPORT, external_prefix="seed004:")
    return consultation, len(respondents), True


def _submitted(consultation: Consultation) -> int:
    return (
        db.session.scalar(
            select(func.count(Submission.id)).where(
                Submission.consultation_id == consultation.id,
                Submission.status == SubmissionStatus.SUBMITTED,
            )
        )
        or 0
    )


def _seed_snapshot() -> ConsultationSnapshot | None:
    try:
        from hearing.imports.compiled import parse_compiled
    except ImportError:  # the compiled-document importer is not installed in this build
        return None
    return parse_compiled(demo_text("compiled_responses.txt")).snapshot


def _categories(seed: ConsultationSnapshot | None) -> tuple[Category, ...]:
    """Seed 004's list first, in its order, then any category the seed uses beyond it."""
    used = seed.categories if seed else ()
    preset_labels = {c.label for c in BARNUNGE21_CATEGORY_PRESET}
    return BARNUNGE21_CATEGORY_PRESET + tuple(c for c in used if c.label not in preset_labels)
