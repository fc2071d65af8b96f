"""Check long-format rows against a consultation and group them into respondents.

Every problem is reported against the row number the user sees in the file and the column as
they named it, so a secretariat can fix the spreadsheet and try again. Rows that pass are
grouped by (respondent, category) into one `synthesis.snapshot.Respondent` each, whose `key` is
a stable hash of consultation, respondent and category: importing the same file twice finds
the same keys and adds nothing.

The consultation is given as a `ConsultationSnapshot` (its questions, categories and scale), so
this module needs neither Flask nor the database.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any, NamedTuple

from exports.long_format import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from hearing.imports.consent import ConsentSource, ConsentTally
from hearing.imports.long_format import FIELD_INDEX, LongTable, RawRow
from hearing.imports.messages import message
from synthesis import snapshot as snap
from synthesis.question_kinds.base import fold

KEY_PREFIX = "long:"
DEFAULT_MAX_TEXT = 20_000
CONSENT_NAMES: dict[str, snap.Consent] = {
    "named": snap.Consent.NAMED,
    "navngitt": snap.Consent.NAMED,
    "anonymous": snap.Consent.ANONYMOUS,
    "anonym": snap.Consent.ANONYMOUS,
    "none": snap.Consent.NONE,
    "ingen": snap.Consent.NONE,
}
_LABEL_WITH_SECTOR = re.compile(r"^(?P<name>.*?)\s*\((?P<sector>[^()]*)\)$")
_DATE_FORMATS = ("%d.%m.%Y %H:%M", "%d.%m.%Y")
# A problem found in a row: (field, message code, message parameters).
Problem = tuple[str, str, dict[str, object]]
# What a row's category, question and value come to: (category label, question, the answer the
# value cell writes, problems); the same for every row that repeats them.
_AnswerVerdict = tuple[
    str | None, "snap.Question | None", "snap.Answer | None", tuple[Problem, ...]
]
_ANSWER_FIELDS = itemgetter(*(FIELD_INDEX[name] for name in REQUIRED_COLUMNS))


class _DetailCheck(NamedTuple):
    """An optional column the file has: where it is, its check, and the verdicts so far."""

    index: int
    name: str
    seen: dict[object, tuple[Any, Problem | None]]
    check: Callable[[Any], tuple[Any, Problem | None]]


def respondent_key(slug: str, name: str, category_label: str) -> str:
    """The external key of an imported respondent: the same file gives the same keys."""
    digest = hashlib.sha256(f"{slug}\n{fold(name)}\n{category_label}".encode()).hexdigest()
    return KEY_PREFIX + digest[:40]


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    code: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self, locale: str) -> str:
        return message(self.code, locale, self.params)

    def describe(self, locale: str) -> str:
        """ "Rad 5, kolonne «verdi»: …", the line the CLI prints and the rejected file keeps."""
        where = message("row", locale, {"row": self.row})
        column = message("column", locale, {"column": self.column})
        return f"{where}, {column}: {self.message(locale)}"


@dataclass
class ValidatedImport:
    """Respondents built from the good rows, every error found in the others, and how each
    respondent's publication consent was decided."""

    respondents: list[snap.Respondent]
    errors: list[RowError]
    rows_read: int
    rejected: list[RawRow]
    consent: ConsentTally

    @property
    def rows_valid(self) -> int:
        return self.rows_read - len(self.rejected)


def split_label(text: str) -> tuple[str, snap.Sector | None]:
    """ "Annet (Privat)" → ("Annet", PRIVATE); text without a known suffix stays whole."""
    match = _LABEL_WITH_SECTOR.match(text.strip())
    if match:
        sector = snap.sector_named(match["sector"])
        if sector is not None:
            return match["name"].strip(), sector
    return text.strip(), None


class CategoryResolver:
    """Find the consultation's category a row means, by label or by name and sector."""

    def __init__(self, categories: tuple[snap.Category, ...]) -> None:
        self.by_label = {fold(c.label): c.label for c in categories}
        self.by_name_sector = {(fold(c.name), c.sector): c.label for c in categories}
        self.by_name: dict[str, list[str]] = {}
        for category in categories:
            self.by_name.setdefault(fold(category.name), []).append(category.label)

    def resolve(self, category: str, sector_text: str) -> tuple[str | None, str | None]:
        """(label, None) when found, else (None, error code)."""
        found = self.by_label.get(fold(category))
        if found is not None:
            return found, None
        name, sector = split_label(category)
        if sector_text:
            sector = snap.sector_named(sector_text) or sector
        if sector is not None:
            found = self.by_name_sector.get((fold(name), sector))
            return (found, None) if found else (None, "unknown_category")
        labels = self.by_name.get(fold(name), [])
        if len(labels) == 1:
            return labels[0], None
        return None, "ambiguous_category" if labels else "unknown_category"


@dataclass
class _Pending:
    """A respondent while its rows are read; frozen into a `snap.Respondent` at the end."""

    name: str
    category: str
    on_behalf_of: str = ""
    email: str = ""
    consent: snap.Consent | None = None  # None: the file does not say (see `consent`)
    submitted_at: datetime | None = None
    answers: dict[str, snap.Answer] = field(default_factory=dict)
    answer_rows: dict[str, int] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)


def parse_datetime(value: object) -> datetime | None:
    """ISO 8601 or "dd.mm.yyyy hh:mm"; a time without zone is taken as UTC, as the exporter
    writes it (Excel has no time zones)."""
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            for pattern in _DATE_FORMATS:
                try:
                    parsed = datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
            else:
                return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


class LongValidator:
    """Validate `LongTable` rows for one consultation (given as a snapshot without respondents).

    The same few categories, codes and labels repeat on every row, so each distinct cell value
    is checked once and the verdict remembered: a 100,000-row file costs a few dictionary
    look-ups per row. `creating` only changes a message: when the consultation is being made
    from the file, an unknown category means its sector was missing. `consent` is the
    secretariat's choice for respondents whose rows state no consent (see `consent.py`).
    """

    def __init__(
        self,
        consultation: snap.ConsultationSnapshot,
        *,
        max_text: int = DEFAULT_MAX_TEXT,
        creating: bool = False,
        consent: snap.Consent | None = None,
    ) -> None:
        self.consultation = consultation
        self.max_text = max_text
        self.creating = creating
        self.consent = consent
        self.questions = {fold(q.code).rstrip("."): q for q in consultation.questions}
        self.categories = CategoryResolver(consultation.categories)
        self._answers: dict[tuple[str, str, str, str, bool], _AnswerVerdict] = {}
        self._folded_names: dict[str, str] = {}

    def validate(self, table: LongTable) -> ValidatedImport:
        pending: dict[tuple[str, str], _Pending] = {}
        errors: list[RowError] = []
        rejected: list[RawRow] = []
        details = [
            _DetailCheck(FIELD_INDEX[name], name, {}, getattr(self, f"_check_{name}"))
            for name in OPTIONAL_COLUMNS
            if name in table.fields
        ]
        check_row = self._check_row
        for raw in table.rows:
            problems = check_row(raw, pending, details)
            if problems:
                errors.extend(
                    RowError(raw.row, table.column_name(column), code, params)
                    for column, code, params in problems
                )
                rejected.append(raw)
        source = ConsentSource.BLANK_CELLS if "consent" in table.fields else ConsentSource.NO_COLUMN
        tally = ConsentTally(source, self.consent)
        sectors = {category.label: category.sector for category in self.consultation.categories}
        respondents = [
            snap.Respondent(
                key=respondent_key(self.consultation.slug, p.name, p.category),
                name=p.name,
                category=p.category,
                on_behalf_of=p.on_behalf_of,
                email=p.email,
                consent=tally.decide(sectors.get(p.category), p.consent),
                submitted_at=p.submitted_at,
                answers=p.answers,
            )
            for p in pending.values()
        ]
        return ValidatedImport(respondents, errors, len(table.rows), rejected, tally)

    def _check_row(
        self, raw: RawRow, pending: dict[tuple[str, str], _Pending], details: list[_DetailCheck]
    ) -> list[Problem]:
        """The problems of one row; a good row's answer is added to its respondent.

        Runs once per row of files with 100,000 of them, so everything that repeats across
        rows (category, question and value; each detail cell; the folded name) is looked up in
        a dictionary of earlier verdicts before it is worked out.
        """
        values = raw.values
        name, category, sector, code, value_text, text = _ANSWER_FIELDS(values)
        key = (category, sector, code, value_text, text != "")
        verdict = self._answers.get(key)
        if verdict is None:
            verdict = self._answers[key] = self._check_answer(*key[:4], text)
        label, question, written, found = verdict
        problems = list(found)
        if not name:
            problems.append(("respondent", "missing_respondent", {}))
        if len(text) > self.max_text:
            problems.append(
                ("text", "text_too_long", {"length": len(text), "limit": self.max_text})
            )
        given: list[tuple[str, object]] = []
        for detail in details:
            cell = values[detail.index]
            if cell != "":
                parsed_problem = detail.seen.get(cell)
                if parsed_problem is None:
                    parsed_problem = detail.seen[cell] = detail.check(cell)
                parsed, problem = parsed_problem
                if problem:
                    problems.append(problem)
                given.append((detail.name, parsed))
        if problems or label is None or question is None:
            return problems
        folded = self._folded_names.get(name)
        if folded is None:
            folded = self._folded_names[name] = fold(name)
        respondent = pending.get((folded, label))
        if respondent is None:
            respondent = pending[folded, label] = _Pending(" ".join(name.split()), label)
        first = respondent.answer_rows.get(question.code)
        if first is not None:
            return [("question", "duplicate_answer", {"code": question.code, "first": first})]
        respondent.answer_rows[question.code] = raw.row
        respondent.answers[question.code] = self._answer(question.code, written, text)
        for field_name, parsed in given:
            # The first row that gives a detail decides it.
            if field_name not in respondent.given:
                respondent.given.add(field_name)
                setattr(respondent, field_name, parsed)
        return problems

    def _answer(self, code: str, written: snap.Answer | None, text: str) -> snap.Answer:
        """The answer of a good row: what its value cell writes, with the row's text. Without
        text it is the verdict's own object, shared by every row alike (answers are frozen),
        which spares a third of a large import's allocations."""
        if not text:
            return written or snap.Answer(code)
        if written is None:
            return snap.Answer(code, text=text)
        return snap.Answer(
            code,
            value=written.value,
            dont_know=written.dont_know,
            choices=written.choices,
            text=text,
        )

    def _check_answer(
        self, category: str, sector: str, code: str, value_text: str, text: str
    ) -> _AnswerVerdict:
        """Category, question and scale value of a row; the same for every row that repeats
        them, which is why `_check_row` remembers the verdict."""
        problems: list[Problem] = []
        label, problem = self._check_category(category, sector)
        if problem:
            problems.append(problem)
        question, problem = self._check_question(code)
        if problem:
            problems.append(problem)
        written = None
        if value_text and question is not None:
            written, problem = self._check_value(value_text, question)
            if problem:
                problems.append(problem)
        if text and question is not None and not question.kind.takes_text(question):
            problems.append(("text", "text_not_allowed", {"code": question.code}))
        return label, question, written, tuple(problems)

    def _check_category(self, category: str, sector_text: str) -> tuple[str | None, Problem | None]:
        if not category:
            return None, ("category", "missing_category", {})
        if sector_text and snap.sector_named(sector_text) is None:
            return None, ("sector", "bad_sector", {"value": sector_text})
        label, problem = self.categories.resolve(category, sector_text)
        if problem == "unknown_category" and self.creating:
            problem = "category_needs_sector"
        return label, ("category", problem, {"value": category}) if problem else None

    def _check_question(self, code: str) -> tuple[snap.Question | None, Problem | None]:
        if not code:
            return None, ("question", "missing_question", {})
        question = self.questions.get(fold(code).rstrip("."))
        if question is None:
            return None, ("question", "unknown_question", {"value": code})
        return question, None

    def _check_value(
        self, text: str, question: snap.Question
    ) -> tuple[snap.Answer | None, Problem | None]:
        """The answer the value cell writes, as the question's kind reads it."""
        kind, scale = question.kind, self.consultation.scale
        if not kind.tabulated:
            return None, ("value", "value_not_allowed", {"code": question.code, "value": text})
        found = kind.parse_cell(text, question, scale)
        if found is None:
            columns = kind.columns(question, scale)
            params = {"value": text, "choices": ", ".join(columns), "count": len(columns)}
            return None, ("value", "bad_value", params)
        return found, None

    def _check_on_behalf_of(self, text: str) -> tuple[str, None]:
        return text, None

    def _check_email(self, email: str) -> tuple[str, Problem | None]:
        if "@" not in email or len(email.split()) != 1:
            return email, ("email", "bad_email", {"value": email})
        return email, None

    def _check_submitted_at(self, cell: object) -> tuple[datetime | None, Problem | None]:
        parsed = parse_datetime(cell)
        return parsed, None if parsed else ("submitted_at", "bad_date", {"value": cell})

    def _check_consent(self, text: str) -> tuple[snap.Consent | None, Problem | None]:
        consent = CONSENT_NAMES.get(fold(text))
        return consent, None if consent else ("consent", "bad_consent", {"value": text})
