"""Print a consultation as the compiled document Norwegian hearing solutions publish.

The layout follows the PDF's columns as text extraction returns them: per question a
"1. Spørsmål: …" header, per category its header and "Svar", then each respondent's name
(wrapped in the narrow name column), scale label and text (wrapped in the answer column), and
the closing "N andre instanser … har ikke svart på dette spørsmålet." The importer reads this
format back, so the text export and the import agree.
"""

from __future__ import annotations

import textwrap

from exports.number_words import not_answered_line
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    Respondent,
)

NAME_COLUMN = 25
TEXT_COLUMN = 65
HEADER_COLUMN = 45


def render_compiled_text(snapshot: ConsultationSnapshot) -> str:
    """The whole compiled document as plain text."""
    blocks = [_wrap(snapshot.title, HEADER_COLUMN)]
    for question in snapshot.questions:
        blocks.append(_question_block(snapshot, question))
    return "\n\n".join(blocks) + "\n"


def _question_block(snapshot: ConsultationSnapshot, question: Question) -> str:
    header = _wrap(f"1. Spørsmål: {question.code}. {question.text}", HEADER_COLUMN)
    parts = [header]
    answered = 0
    for category in snapshot.categories:
        rows = [
            (respondent, answer)
            for respondent, answer in snapshot.answers_to(question.code)
            if respondent.category == category.label
        ]
        if not rows:
            continue
        parts.append(_wrap(category_header(category), NAME_COLUMN))
        parts.append("Svar")
        parts.extend(
            _respondent_block(r, a, question.kind.label(a, question, snapshot.scale))
            for r, a in rows
        )
        answered += len(rows)
    stated = snapshot.stated_not_answered.get(question.code)
    missing = stated if stated is not None else len(snapshot.respondents) - answered
    parts.append(_wrap(not_answered_line(missing), TEXT_COLUMN + 10))
    return "\n\n".join(parts)


def category_header(category: Category) -> str:
    """The category as the document prints it: "Forvaltning (Offentlig)"."""
    return category.label


def _respondent_block(respondent: Respondent, answer: Answer, label: str) -> str:
    """The respondent's name, then the answer's `label` (the chosen value) and its text."""
    name_lines = _wrap(respondent.name, NAME_COLUMN).split("\n")
    text = _wrap_text(answer.text or "")
    if len(name_lines) == 1:
        if label:
            head = f"{name_lines[0]} {label}"
            return f"{head}\n\n{text}" if text else head
        return f"{name_lines[0]} {text}" if text else name_lines[0]
    pieces = ["\n".join(name_lines)]
    if label:
        pieces.append(label)
    if text:
        pieces.append(text)
    return "\n\n".join(pieces)


def _wrap(text: str, width: int) -> str:
    return "\n".join(
        textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
    )


def _wrap_text(text: str) -> str:
    """Wrap each line of each paragraph; paragraphs stay apart by a blank line."""
    paragraphs = []
    for paragraph in text.strip().split("\n\n"):
        lines = [_wrap(line, TEXT_COLUMN) for line in paragraph.split("\n") if line.strip()]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)
