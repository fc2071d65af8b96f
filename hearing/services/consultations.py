"""Rules for changing a consultation once people have answered it.

Service functions only flush; the view that calls them commits once per request. Each refusal
raises `ChangeRefused` with a message meant for the secretariat, saying why.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from hearing.extensions import db
from hearing.models import (
    Answer,
    Consultation,
    Question,
    RespondentCategory,
    Status,
    Submission,
)


class ChangeRefused(Exception):
    """An edit that would change the meaning of stored answers, or an illegal status change."""


STATUS_LABELS = {
    Status.DRAFT: _l("Utkast"),
    Status.OPEN: _l("Åpen"),
    Status.CLOSED: _l("Lukket"),
    Status.PUBLISHED: _l("Publisert"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS[Status(status)])


# Publishing, and taking a publication down, are acts of their own (hearing.services.publication):
# they freeze what becomes public and are confirmed first, so no plain status change reaches them.
ALLOWED_TRANSITIONS: dict[Status, set[Status]] = {
    Status.DRAFT: {Status.OPEN},
    Status.OPEN: {Status.CLOSED},
    Status.CLOSED: {Status.OPEN},
    Status.PUBLISHED: set(),
}


def answer_count(consultation: Consultation) -> int:
    return (
        db.session.scalar(
            select(func.count(Answer.id))
            .join(Submission, Answer.submission_id == Submission.id)
            .where(Submission.consultation_id == consultation.id)
        )
        or 0
    )


def question_has_answers(question: Question) -> bool:
    return bool(db.session.scalar(select(exists().where(Answer.question_id == question.id))))


def category_in_use(category: RespondentCategory) -> bool:
    return bool(db.session.scalar(select(exists().where(Submission.category_id == category.id))))


def change_status(consultation: Consultation, target: Status) -> None:
    current = Status(consultation.status)
    if target not in ALLOWED_TRANSITIONS[current]:
        raise ChangeRefused(
            _(
                "Status kan ikke endres fra «%(current)s» til «%(target)s».",
                current=status_label(current),
                target=status_label(target),
            )
        )
    if target == Status.OPEN and not consultation.questions:
        raise ChangeRefused(_("Legg til minst ett spørsmål før høringen åpnes."))
    if target == Status.OPEN and not consultation.categories:
        raise ChangeRefused(_("Legg til minst én respondentkategori før høringen åpnes."))
    consultation.status = target
    db.session.flush()


def change_scale(consultation: Consultation, points: list[str], dont_know: str | None) -> None:
    """Scale values are stored as positions; relabelling or reordering would change them."""
    unchanged = list(consultation.scale_points) == points and (
        consultation.dont_know_label == dont_know
    )
    if unchanged:
        return
    if answer_count(consultation):
        raise ChangeRefused(
            _(
                "Skalaen kan ikke endres fordi det finnes svar. "
                "Lagrede svar ville fått en annen betydning."
            )
        )
    consultation.scale_points = points
    consultation.dont_know_label = dont_know
    db.session.flush()


def change_kind(question: Question, kind: str) -> None:
    if question.kind == kind:
        return
    if question_has_answers(question):
        raise ChangeRefused(
            _(
                "Svartypen kan ikke endres fordi spørsmålet har svar. "
                "Lagrede svar ville fått en annen betydning."
            )
        )
    question.kind = kind
    db.session.flush()


def delete_question(question: Question) -> None:
    if question_has_answers(question):
        raise ChangeRefused(_("Spørsmålet kan ikke slettes fordi det har svar."))
    _remove(question.consultation.questions, question)


def delete_category(category: RespondentCategory) -> None:
    if category_in_use(category):
        raise ChangeRefused(_("Kategorien kan ikke slettes fordi svar er registrert i den."))
    _remove(category.consultation.categories, category)


def _remove(items: list, item: object) -> None:
    """Take `item` out of an ordered list; the others close the gap."""
    items.remove(item)
    renumber(items)
    db.session.flush()


def move(items: list, item: object, offset: int) -> None:
    """Move `item` up (-1) or down (+1) in an ordered list and renumber positions."""
    index = items.index(item)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    renumber(items)
    db.session.flush()


def renumber(items: list) -> None:
    for position, item in enumerate(items):
        item.position = position
