"""The responses list's filter by an option of a choice question: "<question id>:<option index>",
or "<question id>:other" for an "Annet, spesifiser" text written.

Which option an answer chose is stored by its kind: a single choice as the option's index in
`answers.value` (as a scale position is), several as a JSON array of indices in
`answers.choices`. The array is searched with each database's own JSON functions: SQLite's
`json_each`, PostgreSQL's `jsonb` containment. A choice question's text is its "Annet" text.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, cast, exists, func, select
from sqlalchemy.dialects.postgresql import JSONB

from hearing.extensions import db
from hearing.models import Answer, Consultation, Question, Submission

OTHER_TEXT = "other"


def choice_questions(consultation: Consultation) -> list[Question]:
    """The consultation's questions that offer options, in order."""
    return [q for q in consultation.questions if q.question_kind.has_options and q.options.labels]


def choice_groups(consultation: Consultation) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per choice question, its heading and (filter value, label) pairs: each option, and
    after an "Annet" option the value that asks for its text."""
    groups = []
    for question in choice_questions(consultation):
        labels = question.options.labels
        options = [(f"{question.id}:{index}", label) for index, label in enumerate(labels)]
        if question.options.other:
            written = _("«%(option)s» med utfylt tekst", option=labels[-1])
            options.append((f"{question.id}:{OTHER_TEXT}", written))
        groups.append((_("Spørsmål %(code)s", code=question.code), options))
    return groups


def choice_condition(consultation: Consultation, value: str) -> ColumnElement[bool] | None:
    """A condition on `Submission` for the filter `value`, or None when it names no option."""
    question_part, _sep, option_part = value.partition(":")
    question = next((q for q in choice_questions(consultation) if str(q.id) == question_part), None)
    if question is None:
        return None
    answered = exists().where(
        Answer.submission_id == Submission.id, Answer.question_id == question.id
    )
    if option_part == OTHER_TEXT and question.options.other:
        return answered.where(Answer.text.is_not(None), Answer.text != "")
    if not option_part.isdigit() or int(option_part) >= len(question.options.labels):
        return None
    index = int(option_part)
    if question.question_kind.multiple:
        return answered.where(_chose(index))
    return answered.where(Answer.value == index)


def _chose(index: int) -> ColumnElement[bool]:
    """The answer's `choices` (a JSON array of option indices) holds `index`."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(Answer.choices, JSONB).contains([index])
    chosen = func.json_each(Answer.choices).table_valued("value")
    return exists(select(chosen.c.value).where(chosen.c.value == index))
