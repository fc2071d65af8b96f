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

from hearing.imports.long_format import LongTable, RawRow
from hearing.imports.messages import message
from synthesis import snapshot as snap
from synthesis.presets import (
    DEFAULT_DONT_KNOW,
    ENGLISH_DONT_KNOW,
    ENGLISH_SCALE_EQUIVALENTS,
    SCALE_PRESETS,
)

KEY_PREFIX = "long:"
DEFAULT_MAX_TEXT = 20_000
SECTOR_NAMES: dict[str, snap.Sector] = {
    "public": snap.Sector.PUBLIC,
    "offentlig": snap.Sector.PUBLIC,
    "private": snap.Sector.PRIVATE,
    "privat": snap.Sector.PRIVATE,
    "individual": snap.Sector.INDIVIDUAL,
    "enkeltperson": snap.Sector.INDIVIDUAL,
}
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
# Records a problem: error(column, problem code, **message parameters).
ReportError = Callable[..., None]


def fold(text: str) -> str:
    """Compare labels the way people mean them: case and spacing do not matter."""
    return " ".join(text.split()).casefold()


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
    """Respondents built from the good rows, and every error found in the others."""

    respondents: list[snap.Respondent]
    errors: list[RowError]
    rows_read: int
    rejected: list[RawRow]

    @property
    def rows_valid(self) -> int:
        return self.rows_read - len(self.rejected)


def parse_sector(text: str) -> snap.Sector | None:
    return SECTOR_NAMES.get(fold(text))


def split_label(text: str) -> tuple[str, snap.Sector | None]:
    """ "Annet (Privat)" → ("Annet", PRIVATE); text without a known suffix stays whole."""
    match = _LABEL_WITH_SECTOR.match(text.strip())
    if match:
        sector = parse_sector(match["sector"])
        if sector is not None:
            return match["name"].strip(), sector
    return text.strip(), None


def scale_lookup(scale: snap.Scale) -> dict[str, tuple[int | None, bool]]:
    """Every accepted way of writing a point → (0-based value, don't know).

    Bokmål labels, their English equivalents when the scale is a preset, 1-based numbers, and
    the "don't know" label in both languages.
    """
    lookup: dict[str, tuple[int | None, bool]] = {}
    for label in (scale.dont_know or DEFAULT_DONT_KNOW, DEFAULT_DONT_KNOW, ENGLISH_DONT_KNOW):
        lookup[fold(label)] = (None, True)
    families = [scale.points]
    points = tuple(fold(p) for p in scale.points)
    for name, preset in SCALE_PRESETS.items():
        english = ENGLISH_SCALE_EQUIVALENTS.get(name, ())
        if points in (tuple(map(fold, preset)), tuple(map(fold, english))):
            families += [preset, english]
    for family in families:
        for index, label in enumerate(family):
            lookup[fold(label)] = (index, False)
    for index in range(len(scale.points)):
        lookup[str(index + 1)] = (index, False)
    return lookup


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
            sector = parse_sector(sector_text) or sector
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

    key: str
    name: str
    category: str
    on_behalf_of: str = ""
    email: str = ""
    consent: snap.Consent = snap.Consent.NAMED
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

    `creating` only changes a message: when the consultation is being made from the file, an
    unknown category means its sector was missing.
    """

    def __init__(
        self,
        consultation: snap.ConsultationSnapshot,
        *,
        max_text: int = DEFAULT_MAX_TEXT,
        creating: bool = False,
    ) -> None:
        self.consultation = consultation
        self.max_text = max_text
        self.creating = creating
        self.questions = {fold(q.code).rstrip("."): q for q in consultation.questions}
        self.values = scale_lookup(consultation.scale)
        self.categories = CategoryResolver(consultation.categories)

    def validate(self, table: LongTable) -> ValidatedImport:
        pending: dict[str, _Pending] = {}
        errors: list[RowError] = []
        rejected: list[RawRow] = []
        for raw in table.rows:
            row_errors = self._check_row(raw, table, pending)
            if row_errors:
                errors.extend(row_errors)
                rejected.append(raw)
        respondents = [
            snap.Respondent(
                key=p.key,
                name=p.name,
                category=p.category,
                on_behalf_of=p.on_behalf_of,
                email=p.email,
                consent=p.consent,
                submitted_at=p.submitted_at,
                answers=p.answers,
            )
            for p in pending.values()
        ]
        return ValidatedImport(respondents, errors, len(table.rows), rejected)

    def _check_row(
        self, raw: RawRow, table: LongTable, pending: dict[str, _Pending]
    ) -> list[RowError]:
        errors: list[RowError] = []

        def error(column: str, problem: str, **params: object) -> None:
            errors.append(RowError(raw.row, table.column_name(column), problem, params))

        name = raw.text("respondent")
        if not name:
            error("respondent", "missing_respondent")
        label = self._category(raw, error)
        question = self._question(raw, error)
        value, dont_know = self._value(raw, question, error)
        text = raw.text("text")
        if text and question is not None and not question.kind.has_text:
            error("text", "text_not_allowed", code=question.code)
        if len(text) > self.max_text:
            error("text", "text_too_long", length=len(text), limit=self.max_text)
        details = self._details(raw, error)
        if errors or label is None or question is None:
            return errors
        key = respondent_key(self.consultation.slug, name, label)
        respondent = pending.get(key)
        if respondent is None:
            respondent = pending[key] = _Pending(key, " ".join(name.split()), label)
        first = respondent.answer_rows.get(question.code)
        if first is not None:
            error("question", "duplicate_answer", code=question.code, first=first)
            return errors
        respondent.answer_rows[question.code] = raw.row
        respondent.answers[question.code] = snap.Answer(
            question.code, value, text or None, dont_know
        )
        self._merge_details(respondent, details)
        return errors

    def _category(self, raw: RawRow, error: ReportError) -> str | None:
        category = raw.text("category")
        if not category:
            error("category", "missing_category")
            return None
        sector_text = raw.text("sector")
        if sector_text and parse_sector(sector_text) is None:
            error("sector", "bad_sector", value=sector_text)
            return None
        label, problem = self.categories.resolve(category, sector_text)
        if problem == "unknown_category" and self.creating:
            problem = "category_needs_sector"
        if problem:
            error("category", problem, value=category)
        return label

    def _question(self, raw: RawRow, error: ReportError) -> snap.Question | None:
        code = raw.text("question")
        if not code:
            error("question", "missing_question")
            return None
        question = self.questions.get(fold(code).rstrip("."))
        if question is None:
            error("question", "unknown_question", value=code)
        return question

    def _value(
        self, raw: RawRow, question: snap.Question | None, error: ReportError
    ) -> tuple[int | None, bool]:
        text = raw.text("value")
        if not text:
            return None, False
        if question is not None and not question.kind.has_scale:
            error("value", "value_not_allowed", code=question.code, value=text)
            return None, False
        found = self.values.get(fold(text))
        if found is None:
            points = self.consultation.scale.points
            error("value", "bad_value", value=text, choices=", ".join(points), count=len(points))
            return None, False
        return found

    def _details(self, raw: RawRow, error: ReportError) -> dict[str, object]:
        details: dict[str, object] = {}
        if on_behalf_of := raw.text("on_behalf_of"):
            details["on_behalf_of"] = on_behalf_of
        if email := raw.text("email"):
            if "@" not in email or any(c.isspace() for c in email):
                error("email", "bad_email", value=email)
            details["email"] = email
        submitted = raw.values.get("submitted_at")
        if submitted not in (None, ""):
            parsed = parse_datetime(submitted)
            if parsed is None:
                error("submitted_at", "bad_date", value=submitted)
            details["submitted_at"] = parsed
        if consent := raw.text("consent"):
            if fold(consent) not in CONSENT_NAMES:
                error("consent", "bad_consent", value=consent)
            details["consent"] = CONSENT_NAMES.get(fold(consent))
        return details

    @staticmethod
    def _merge_details(respondent: _Pending, details: dict[str, object]) -> None:
        """A respondent's details come from the first row that gives them."""
        for name, value in details.items():
            if value is not None and name not in respondent.given:
                respondent.given.add(name)
                setattr(respondent, name, value)
