"""Rules for changing a consultation once people have answered it.

Service functions only flush; the view that calls them commits once per request. Each refusal
raises `ChangeRefused` with a message meant for the secretariat, saying why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update

from hearing.extensions import db
from hearing.models import (
    Answer,
    AuditEvent,
    Consultation,
    Question,
    RespondentCategory,
    Status,
    Submission,
)
from hearing.models.types import utcnow
from synthesis.question_kinds import Options


class ChangeRefused(Exception):
    """An edit that would change the meaning of stored answers, or an illegal status change."""


STATUS_LABELS = {
    Status.DRAFT: _l("Utkast"),
    Status.SCHEDULED: _l("Planlagt"),
    Status.OPEN: _l("Åpen"),
    Status.CLOSED: _l("Lukket"),
    Status.PUBLISHED: _l("Publisert"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS[Status(status)])


def label_at(consultation: Consultation, now: datetime) -> str:
    """The status label people see now (dates applied), for lists and pages alike."""
    return status_label(consultation.status_at(now))


# From the status people see (dates applied) to the stored status the secretariat may choose.
# Publishing, and taking a publication down, are acts of their own (hearing.services.publication):
# they freeze what becomes public and are confirmed first, so no plain status change reaches them.
ALLOWED_TRANSITIONS: dict[Status, set[Status]] = {
    Status.DRAFT: {Status.OPEN},
    Status.SCHEDULED: {Status.DRAFT},
    Status.OPEN: {Status.CLOSED},
    Status.CLOSED: {Status.OPEN},
    Status.PUBLISHED: set(),
}


@dataclass(frozen=True)
class StatusAction:
    """A button on the consultation's page: the stored status it sets, and what it says."""

    target: Status
    label: str


def status_actions(consultation: Consultation, now: datetime) -> list[StatusAction]:
    """What the secretariat can do now, named for what will happen.

    Releasing a draft whose opening time lies ahead schedules it: it opens by itself then and
    closes by itself at its deadline, with nobody at the keyboard."""
    current = consultation.status_at(now)
    actions = []
    for target in sorted(ALLOWED_TRANSITIONS[current]):
        if target == Status.OPEN and current == Status.DRAFT:
            scheduled = consultation.opens_at and consultation.opens_at > now
            label = _("Planlegg åpningen") if scheduled else _("Åpne høringen nå")
        elif target == Status.OPEN:
            label = _("Åpne høringen igjen")
        elif target == Status.DRAFT:
            label = _("Avbryt planleggingen (tilbake til utkast)")
        else:
            label = _("Lukk høringen nå")
        actions.append(StatusAction(target, label))
    return actions


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


def change_status(consultation: Consultation, target: Status, now: datetime | None = None) -> None:
    """Set the stored status `target`, from the status people see `now`."""
    now = now or utcnow()
    current = consultation.status_at(now)
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
    if target == Status.OPEN and consultation.deadline_passed(now):
        raise ChangeRefused(_("Fristen er passert. Sett en ny frist før høringen åpnes."))
    consultation.status = target
    db.session.flush()


def settle_statuses(now: datetime) -> int:
    """Store CLOSED for released consultations whose deadline has passed; returns how many.

    What people see never waits for this (`Consultation.status_at` applies the dates on every
    read); it keeps the stored status true for what reads it directly, such as publishing,
    which requires a closed consultation. One cheap read when nothing is due, so it can run
    on every request and command, and idempotent, so concurrent workers may race it. No cron.
    """
    due = db.session.execute(
        select(Consultation.id, Consultation.closes_at).where(
            Consultation.status == Status.OPEN, Consultation.closes_at <= now
        )
    ).all()
    if not due:
        return 0
    closed = db.session.execute(
        update(Consultation)
        .where(Consultation.id.in_([row.id for row in due]), Consultation.status == Status.OPEN)
        .values(status=Status.CLOSED, updated_at=now)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    for row in due:
        db.session.add(
            AuditEvent(
                actor="system",
                action="consultation.deadline",
                target_type="Consultation",
                target_id=str(row.id),
                consultation_id=row.id,
                details={"status": Status.CLOSED.value, "closes_at": row.closes_at.isoformat()},
            )
        )
    db.session.flush()
    return closed or 0


def rename_category(category: RespondentCategory, name: str, sector: str) -> None:
    """A new name keeps the category's responses in it (they point to the category, not to its
    name). The sector may change only while nobody has answered in the category: it decides
    whether a respondent is a private person, whose name is never published without consent."""
    if sector != category.sector and category_in_use(category):
        raise ChangeRefused(
            _("Sektoren kan ikke endres fordi svar er registrert i kategorien. Navnet kan endres.")
        )
    category.name = name
    category.sector = sector
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


def change_options(question: Question, options: Options) -> None:
    """Stored choices are option positions; relabelling or reordering would change them."""
    if question.options == options:
        return
    if question_has_answers(question):
        raise ChangeRefused(
            _(
                "Svaralternativene kan ikke endres fordi spørsmålet har svar. "
                "Lagrede svar ville fått en annen betydning."
            )
        )
    question.options_json = options.as_json()
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
