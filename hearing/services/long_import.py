"""One long-format import from file to database, in two steps: plan (read-only) and apply.

The CLI and the upload page share this: `plan_long_import` reads and validates the file against
the consultation (or the one the file describes, with `create`) and counts what would happen,
writing nothing, so the page can show a preview; `apply_long_import` writes. Both only flush;
the caller commits once.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from hearing.extensions import db
from hearing.imports.collector import cycle_collector_paused
from hearing.imports.limits import ImportLimits
from hearing.imports.long_format import LongTable, read_long_file
from hearing.imports.long_infer import infer_consultation
from hearing.imports.long_validate import DEFAULT_MAX_TEXT, LongValidator, ValidatedImport
from hearing.models import Consultation, Status
from hearing.services.long_loader import LoadResult, existing_keys, load_respondents
from hearing.services.snapshots import create_consultation
from synthesis import snapshot as snap

REASON_COLUMN = {"nb": "årsak", "en": "reason"}


class ConsultationNotFound(LookupError):
    """No consultation has the slug, and the import was not asked to create one."""


class InvalidRows(ValueError):
    """Some rows are bad and the import was not asked to skip them: nothing was written."""


@dataclass
class LongImportPlan:
    slug: str
    table: LongTable
    target: snap.ConsultationSnapshot
    creating: bool
    validated: ValidatedImport
    already_imported: int

    @property
    def new_respondents(self) -> int:
        return len(self.validated.respondents) - self.already_imported

    def answers_per_question(self) -> list[tuple[str, int]]:
        counts = Counter(code for r in self.validated.respondents for code in r.answers)
        return [(q.code, counts[q.code]) for q in self.target.questions]

    def respondents_per_category(self) -> list[tuple[str, int]]:
        counts = Counter(r.category for r in self.validated.respondents)
        return [(c.label, counts[c.label]) for c in self.target.categories if counts[c.label]]


@dataclass(frozen=True)
class LongImportOutcome:
    consultation: Consultation
    created_consultation: bool
    loaded: LoadResult


def find_consultation(slug: str) -> Consultation | None:
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


def consultation_skeleton(consultation: Consultation) -> snap.ConsultationSnapshot:
    """Questions, categories and scale of a stored consultation, without its responses."""
    return snap.ConsultationSnapshot(
        slug=consultation.slug,
        title=consultation.title,
        scale=consultation.scale,
        categories=tuple(c.as_category for c in consultation.categories),
        questions=tuple(
            snap.Question(q.code, q.text, q.question_kind, q.required, q.help_text)
            for q in consultation.questions
        ),
        language=consultation.language,
    )


def plan_long_import(
    data: bytes,
    filename: str,
    *,
    slug: str,
    create: bool = False,
    title: str | None = None,
    scale_points: Sequence[str] | None = None,
    locale: str = "nb",
    max_text: int = DEFAULT_MAX_TEXT,
    consent: snap.Consent | None = None,
    limits: ImportLimits | None = None,
) -> LongImportPlan:
    """Read and check the file; raises `LongFormatError`, `LimitExceeded` (the file would cost
    more than `limits` allow) or `ConsultationNotFound`.

    `consent` is the whole-file choice for respondents whose rows state none; without it they
    get the default (private persons anonymous, organisations named; see `consent.py`)."""
    with cycle_collector_paused():
        return _plan(
            data, filename, slug, create, title, scale_points, locale, max_text, consent, limits
        )


def _plan(
    data: bytes,
    filename: str,
    slug: str,
    create: bool,
    title: str | None,
    scale_points: Sequence[str] | None,
    locale: str,
    max_text: int,
    consent: snap.Consent | None,
    limits: ImportLimits | None,
) -> LongImportPlan:
    table = read_long_file(data, filename, limits)
    consultation = find_consultation(slug)
    if consultation is None and not create:
        raise ConsultationNotFound(slug)
    if consultation is None:
        target = infer_consultation(
            table, slug=slug, title=title or slug, scale_points=scale_points, locale=locale
        )
        known: set[str] = set()
    else:
        target = consultation_skeleton(consultation)
        known = existing_keys(consultation)
    creating = consultation is None
    validator = LongValidator(target, max_text=max_text, creating=creating, consent=consent)
    validated = validator.validate(table)
    already = sum(1 for r in validated.respondents if r.key in known)
    return LongImportPlan(slug, table, target, creating, validated, already)


def apply_long_import(
    plan: LongImportPlan, *, skip_invalid: bool = False, created_by_id: int | None = None
) -> LongImportOutcome:
    """Write the plan's good respondents; raises `InvalidRows` (writing nothing) unless
    `skip_invalid`. Flushes only."""
    if plan.validated.errors and not skip_invalid:
        raise InvalidRows(len(plan.validated.rejected))
    consultation = find_consultation(plan.slug)
    created = consultation is None
    if consultation is None:
        consultation = create_consultation(
            plan.target, slug=plan.slug, status=Status.CLOSED, created_by_id=created_by_id
        )
    with cycle_collector_paused():
        loaded = load_respondents(consultation, plan.validated.respondents)
    return LongImportOutcome(consultation, created, loaded)


def rejected_csv(plan: LongImportPlan, locale: str = "nb") -> bytes:
    """The rejected rows as they stood in the file, plus a column saying why (UTF-8, BOM)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=plan.table.delimiter, lineterminator="\r\n")
    reason = REASON_COLUMN.get(locale, REASON_COLUMN["nb"])
    writer.writerow([*plan.table.header, reason])
    width = len(plan.table.header)
    reasons: dict[int, list[str]] = {}
    for error in plan.validated.errors:
        reasons.setdefault(error.row, []).append(error.message(locale))
    for raw in plan.validated.rejected:
        cells = list(raw.cells[:width]) + [""] * (width - len(raw.cells))
        writer.writerow([*cells, "; ".join(reasons.get(raw.row, []))])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
