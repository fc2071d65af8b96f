"""The filters of the secretariat's list of responses, read from the query string.

Status, category and hidden as before; a search over every answer (hearing.services.search);
a position, that is one point of one scale question ("2: Helt enig"); an option chosen in a
choice question, or its "Annet" text written (hearing.admin.choice_filter); a tag of the
codebook on any of the response's answers; and a theme of the latest synthesis run, whose
members are the responses it groups. They combine (every one given must hold). Unknown values
are ignored, so an old bookmark still opens a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, exists, func, select
from werkzeug.datastructures import MultiDict

from hearing.admin.choice_filter import choice_condition, choice_groups
from hearing.caching import BoundedCache, app_cache
from hearing.extensions import db
from hearing.models import (
    Answer,
    Code,
    CodeAssignment,
    Consultation,
    RunScope,
    RunStatus,
    Submission,
    SubmissionStatus,
    SynthesisRun,
    ThemeEdit,
)
from hearing.services import search
from hearing.services.synthesis_runs import latest_result
from synthesis.snapshot import QuestionKind

STATUS_FILTERS = {
    "submitted": (_l("Innsendte"), (SubmissionStatus.SUBMITTED,)),
    "withdrawn": (_l("Trukket"), (SubmissionStatus.WITHDRAWN,)),
    "all": (_l("Innsendte og trukket"), (SubmissionStatus.SUBMITTED, SubmissionStatus.WITHDRAWN)),
}
DONT_KNOW = "dk"
SCALE_KINDS = (QuestionKind.SCALE, QuestionKind.SCALE_TEXT)


@dataclass(frozen=True)
class OptionGroup:
    """An <optgroup> of a filter's <select>: (value, label) pairs under a heading."""

    label: str
    options: list[tuple[str, str]]


@dataclass(frozen=True)
class ResponseFilters:
    status: str = "submitted"
    category: int | None = None
    hidden_only: bool = False
    query: str = ""
    position: str = ""  # "<question id>:<scale index>" or "<question id>:dk"
    choice: str = ""  # "<question id>:<option index>" or "<question id>:other" (text written)
    tag: int | None = None  # a code of the consultation's codebook
    theme: str = ""  # a theme id of the latest run

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> ResponseFilters:
        status = args.get("status", "submitted")
        return cls(
            status=status if status in STATUS_FILTERS else "submitted",
            category=args.get("category", type=int),
            hidden_only=args.get("hidden") == "1",
            query=args.get("q", "").strip()[:200],
            position=args.get("position", ""),
            choice=args.get("choice", ""),
            tag=args.get("tag", type=int),
            theme=args.get("theme", ""),
        )

    @property
    def words(self) -> list[str]:
        return search.search_words(self.query)

    def apply(
        self, query: Select[Any], consultation: Consultation, latest: LatestThemes | None
    ) -> Select[Any]:
        query = query.where(Submission.status.in_(STATUS_FILTERS[self.status][1]))
        if self.category:
            query = query.where(Submission.category_id == self.category)
        if self.hidden_only:
            query = query.where(Submission.hidden.is_(True))
        if self.words:
            query = query.where(search.submission_matches(self.words))
        position = self._position(consultation)
        if position is not None:
            question_id, value = position
            answered = exists().where(
                Answer.submission_id == Submission.id, Answer.question_id == question_id
            )
            query = query.where(
                answered.where(Answer.dont_know.is_(True))
                if value is None
                else answered.where(Answer.value == value, Answer.dont_know.is_(False))
            )
        chosen = choice_condition(consultation, self.choice)
        if chosen is not None:
            query = query.where(chosen)
        if self.tag:
            query = query.where(_tagged(consultation, self.tag))
        members = theme_members(latest, self.theme)
        if members is not None:
            query = query.where(Submission.reference.in_(members))
        return query

    def _position(self, consultation: Consultation) -> tuple[int, int | None] | None:
        """(question id, scale index or None for "don't know"), if the filter names one."""
        question_part, _sep, value_part = self.position.partition(":")
        if not question_part.isdigit():
            return None
        question_id = int(question_part)
        if not any(q.id == question_id and q.kind in SCALE_KINDS for q in consultation.questions):
            return None
        if value_part == DONT_KNOW and consultation.dont_know_label:
            return question_id, None
        if value_part.isdigit() and int(value_part) < len(consultation.scale_points):
            return question_id, int(value_part)
        return None

    @property
    def active(self) -> bool:
        """Whether anything narrows the list beyond the status."""
        return bool(
            self.category
            or self.hidden_only
            or self.words
            or self.position
            or self.choice
            or self.tag
            or self.theme
        )


def _tagged(consultation: Consultation, code_id: int) -> ColumnElement[bool]:
    """One of the response's answers (or a passage of it) carries the consultation's code."""
    return exists().where(
        Answer.submission_id == Submission.id,
        CodeAssignment.answer_id == Answer.id,
        CodeAssignment.code_id == code_id,
        Code.id == CodeAssignment.code_id,
        Code.consultation_id == consultation.id,
    )


def tag_options(consultation: Consultation) -> list[tuple[int, str]]:
    """The codebook, in its order, as (code id, name)."""
    codes = db.session.execute(
        select(Code.id, Code.name)
        .where(Code.consultation_id == consultation.id)
        .order_by(Code.position, Code.id)
    )
    return [(code_id, name) for code_id, name in codes]


def choice_options(consultation: Consultation) -> list[OptionGroup]:
    """One group per choice question: its options, and its "Annet" text written."""
    return [OptionGroup(label, options) for label, options in choice_groups(consultation)]


def position_options(consultation: Consultation) -> list[OptionGroup]:
    """One group per scale question, one option per point of the scale."""
    points = list(enumerate(consultation.scale_points))
    groups = []
    for question in consultation.questions:
        if question.kind not in SCALE_KINDS:
            continue
        options = [(f"{question.id}:{index}", label) for index, label in points]
        if consultation.dont_know_label:
            options.append((f"{question.id}:{DONT_KNOW}", consultation.dont_know_label))
        groups.append(OptionGroup(_("Spørsmål %(code)s", code=question.code), options))
    return groups


@dataclass(frozen=True)
class ThemeChoice:
    theme_id: str
    label: str
    members: tuple[str, ...]  # references of the responses in the theme


@dataclass(frozen=True)
class LatestThemes:
    """What the filter needs of the latest run: its number and its themes per question."""

    run_id: int
    by_question: tuple[tuple[str, tuple[ThemeChoice, ...]], ...]


def latest_themes(consultation: Consultation) -> LatestThemes | None:
    """The latest done run's themes (with the secretariat's edits), or None before any run.

    Decoding a whole stored result takes tens of milliseconds, too much for every look at the
    list, so the themes are kept per run and theme-edit version, which any new run or edit
    moves (two indexed reads)."""
    run_id = db.session.scalar(
        select(SynthesisRun.id)
        .where(
            SynthesisRun.consultation_id == consultation.id,
            SynthesisRun.status == RunStatus.DONE,
            SynthesisRun.scope == RunScope.INTERNAL,
        )
        .order_by(SynthesisRun.id.desc())
        .limit(1)
    )
    if run_id is None:
        return None
    last_edit = db.session.scalar(
        select(func.max(ThemeEdit.id)).where(ThemeEdit.consultation_id == consultation.id)
    )
    themes: BoundedCache[LatestThemes | None] = app_cache("hearing_theme_filters", 32)
    return themes.get_or_make((run_id, last_edit), lambda: _decode(consultation))


def _decode(consultation: Consultation) -> LatestThemes | None:
    latest = latest_result(consultation)
    if latest is None:
        return None
    return LatestThemes(
        run_id=latest.run.id,
        by_question=tuple(
            (
                question.question_code,
                tuple(
                    ThemeChoice(
                        theme.theme_id, f"{theme.label} ({theme.size})", theme.respondent_keys
                    )
                    for theme in question.themes
                ),
            )
            for question in latest.result.themes
            if question.themes
        ),
    )


def theme_options(latest: LatestThemes | None) -> list[OptionGroup]:
    """The latest run's themes, one group per question, each with its number of responses."""
    if latest is None:
        return []
    return [
        OptionGroup(
            _("Spørsmål %(code)s", code=code),
            [(choice.theme_id, choice.label) for choice in choices],
        )
        for code, choices in latest.by_question
    ]


def theme_members(latest: LatestThemes | None, theme_id: str) -> tuple[str, ...] | None:
    """The references of the responses in the theme, or None when no such theme exists."""
    if latest is None or not theme_id:
        return None
    for _code, choices in latest.by_question:
        for choice in choices:
            if choice.theme_id == theme_id:
                return choice.members
    return None
