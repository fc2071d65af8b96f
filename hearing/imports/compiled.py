"""Import a compiled hearing document (the PDF Norwegian ministries publish) as a snapshot.

Secretariats often analyse hearings that ran in another system; what they have is the compiled
document: per question, per respondent category, each respondent's scale label and text, and a
line saying how many did not answer. `parse_compiled` turns its text into a
`ConsultationSnapshot`; where names can be read more than one way ("Jon" beside "Jon Arne
Solheim Midt"), the counts the document states choose the reading (`compiled_counts`), and
every question is checked to account for every respondent. Such a
document never says what its private persons consented to, so they are imported anonymously
(`consent.default_consent`); the preview says so.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext

from hearing.imports.compiled_counts import reconcile, unresolved_problems
from hearing.imports.compiled_entries import Entry, SectionReader
from hearing.imports.compiled_layout import Layout, QuestionPart, read_layout
from hearing.imports.compiled_lines import NAME_WIDTH
from hearing.imports.compiled_mining import mine_glued_names
from hearing.imports.compiled_names import KnownNames
from hearing.imports.compiled_scale import is_dont_know, scale_from_labels
from hearing.imports.consent import default_consent
from hearing.imports.limits import Deadline, ImportLimits, LimitExceeded
from hearing.imports.pdf_text import extract_text
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Scale,
)

_DEFAULT_TEXT_WIDTH = 65.0
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_SLUG_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


class CompiledFormatError(ValueError):
    """The text is not a compiled hearing document; the message is for the secretariat."""


@dataclass(frozen=True)
class CompiledDocument:
    """A parsed compiled document and what did not add up in it (empty when consistent)."""

    snapshot: ConsultationSnapshot
    problems: tuple[str, ...] = ()


def parse_compiled(text: str, deadline: Deadline | None = None) -> CompiledDocument:
    """Parse the text of a compiled hearing document; raises `LimitExceeded` when `deadline`
    passes (a document whose numbers do not add up has its ambiguous sections read again)."""
    deadline = deadline or Deadline(float("inf"))
    layout = read_layout(text)
    if not layout.questions:
        raise CompiledFormatError(
            "Fant ingen spørsmål («1. Spørsmål: …») i teksten. Er dette et sammenstilt "
            "dokument med høringssvar?"
        )
    answers, unresolved = _read_answers(layout, deadline)
    if not any(entries for per_question in answers for _, entries in per_question):
        raise CompiledFormatError(
            "Fant ingen høringsinstanser under spørsmålene. Dokumentet må ha kategorier som "
            "«Forvaltning (Offentlig)» med svar under."
        )
    return _assemble(layout, answers, unresolved)


def read_compiled_file(
    path_or_bytes: str | Path | bytes, filename: str = "", limits: ImportLimits | None = None
) -> CompiledDocument:
    """Read a compiled document from a .txt (UTF-8, or Windows-1252) or .pdf file; raises
    `CompiledFormatError`, or `LimitExceeded` when the file would cost more than `limits`."""
    if isinstance(path_or_bytes, bytes):
        data = path_or_bytes
    else:
        data = Path(path_or_bytes).read_bytes()
        filename = filename or str(path_or_bytes)
    limits = limits or ImportLimits()
    deadline = limits.deadline()
    suffix = Path(filename).suffix.lower()
    if data.startswith(b"%PDF-") or suffix == ".pdf":
        try:
            text = extract_text(data, limits)
        except LimitExceeded:
            raise
        except Exception as error:
            message = f"Klarte ikke å lese PDF-filen «{filename}»: {error}"
            raise CompiledFormatError(message) from error
    elif suffix not in ("", ".txt", ".text"):
        raise CompiledFormatError(
            f"Filtypen «{suffix}» støttes ikke. Last opp dokumentet som .txt eller .pdf."
        )
    else:
        text = decode_text(data)
        if len(text) > limits.max_text_chars:
            raise LimitExceeded("too_much_text", limit=limits.max_text_chars)
    return parse_compiled(text, deadline)


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def slug_from_title(title: str) -> str:
    """A URL slug for a consultation title ("Ledelse for …" → "ledelse-for-…")."""
    folded = title.casefold().translate(_SLUG_LETTERS)
    return _SLUG_JUNK.sub("-", folded).strip("-")[:80] or "importert-horing"


PerQuestion = list[tuple[Category, list[Entry]]]


def _read_answers(layout: Layout, deadline: Deadline) -> tuple[list[PerQuestion], list[str]]:
    """The answers per question and category, read so that the stated counts add up where
    any reading does, and what is still in doubt where none does."""
    known = KnownNames()
    width = _text_width(layout)
    readers: list[list[SectionReader]] = []
    glued: dict[str, list[tuple[tuple[int, int, int], str]]] = {}
    for q_index, question in enumerate(layout.questions):
        row = []
        for s_index, section in enumerate(question.sections):
            deadline.check()
            reader = SectionReader(
                section.lines,
                section.category.label,
                (q_index, s_index),
                known,
                width,
                deadline=deadline,
            )
            glued.setdefault(section.category.label, []).extend(reader.harvest())
            row.append(reader)
        readers.append(row)
    for row in readers:
        for reader in row:
            reader.harvest_cut()
    for category, lines in glued.items():
        mine_glued_names(known, category, lines, deadline)
    categories = [[section.category.label for section in q.sections] for q in layout.questions]
    stated = [q.stated_not_answered for q in layout.questions]
    reconciled = reconcile(readers, categories, stated, deadline)
    answers = [
        [(section.category, entries) for section, entries in zip(q.sections, row, strict=True)]
        for q, row in zip(layout.questions, reconciled.entries, strict=True)
    ]
    codes = [q.code for q in layout.questions]
    return answers, unresolved_problems(reconciled, codes)


def _text_width(layout: Layout) -> float:
    """The width of the answer column, from the lengths of the lines too long to be names."""
    widths = [
        len(line.text)
        for question in layout.questions
        for section in question.sections
        for line in section.lines
        if len(line.text) > NAME_WIDTH
    ]
    if len(widths) < 4:
        return _DEFAULT_TEXT_WIDTH
    return statistics.quantiles(widths, n=4)[2]


def _assemble(
    layout: Layout, answers: list[PerQuestion], unresolved: list[str]
) -> CompiledDocument:
    scale = scale_from_labels(
        entry.label
        for per_question in answers
        for _, entries in per_question
        for entry in entries
        if entry.label
    )
    categories: list[Category] = []
    order: list[tuple[str, str]] = []  # (name, category) per respondent, first appearance first
    # Where each (name, category) stands in `order`: two respondents may share a name.
    indexes: dict[tuple[str, str], list[int]] = {}
    collected: list[dict[str, Answer]] = []
    problems: list[str] = []
    for question, per_question in zip(layout.questions, answers, strict=True):
        seen_here: dict[tuple[str, str], int] = {}
        for category, entries in per_question:
            if category not in categories:
                categories.append(category)
            for entry in entries:
                identity = (entry.name, category.label)
                occurrence = seen_here.get(identity, 0)
                seen_here[identity] = occurrence + 1
                same = indexes.setdefault(identity, [])
                if occurrence < len(same):
                    index = same[occurrence]
                else:
                    index = len(order)
                    same.append(index)
                    order.append(identity)
                    collected.append({})
                answer = _answer(question.code, entry, scale)
                if answer.is_empty:
                    problems.append(
                        gettext(
                            "Spørsmål %(code)s: fant ikke noe svar fra «%(name)s».",
                            code=question.code,
                            name=entry.name,
                        )
                    )
                if not entry.name:
                    problems.append(
                        gettext(
                            "Spørsmål %(code)s: et svar i «%(category)s» mangler navn.",
                            code=question.code,
                            category=category.label,
                        )
                    )
                collected[index][question.code] = answer
    # The document never states consent: private persons are imported anonymously.
    sectors = {category.label: category.sector for category in categories}
    respondents = tuple(
        Respondent(
            key=f"r{number}",
            name=name,
            category=label,
            consent=default_consent(sectors.get(label)),
            answers=given,
        )
        for number, ((name, label), given) in enumerate(zip(order, collected, strict=True), 1)
    )
    questions = tuple(_question(question, respondents) for question in layout.questions)
    stated = {
        q.code: q.stated_not_answered for q in layout.questions if q.stated_not_answered is not None
    }
    snapshot = ConsultationSnapshot(
        slug=slug_from_title(layout.title),
        title=layout.title,
        scale=scale,
        categories=tuple(categories),
        questions=questions,
        respondents=respondents,
        stated_not_answered=stated,
    )
    problems.extend(consistency_problems(snapshot))
    problems.extend(unresolved)
    return CompiledDocument(snapshot=snapshot, problems=tuple(problems))


def _answer(code: str, entry: Entry, scale: Scale) -> Answer:
    if entry.label and is_dont_know(entry.label):
        return Answer(question_code=code, text=entry.text, dont_know=True)
    value = scale.index_of(entry.label) if entry.label else None
    return Answer(question_code=code, value=value, text=entry.text)


def _question(question: QuestionPart, respondents: tuple[Respondent, ...]) -> Question:
    given = [r.answers[question.code] for r in respondents if question.code in r.answers]
    has_scale = any(a.value is not None or a.dont_know for a in given)
    has_text = any(a.text for a in given)
    if has_scale and has_text:
        kind = QuestionKind.SCALE_TEXT
    elif has_scale:
        kind = QuestionKind.SCALE
    else:
        kind = QuestionKind.TEXT
    return Question(code=question.code, text=question.text, kind=kind)


def consistency_problems(snapshot: ConsultationSnapshot) -> list[str]:
    """Questions where answered + stated not answered differs from the number of respondents."""
    problems = []
    total = len(snapshot.respondents)
    for question in snapshot.questions:
        stated = snapshot.stated_not_answered.get(question.code)
        if stated is None:
            continue
        answered = sum(1 for _ in snapshot.answers_to(question.code))
        if answered + stated != total:
            problems.append(
                gettext(
                    "Spørsmål %(code)s: %(answered)d har svart og dokumentet sier at %(stated)d "
                    "ikke har svart, til sammen %(sum)d, men dokumentet har %(total)d "
                    "høringsinstanser.",
                    code=question.code,
                    answered=answered,
                    stated=stated,
                    sum=answered + stated,
                    total=total,
                )
            )
    return problems
