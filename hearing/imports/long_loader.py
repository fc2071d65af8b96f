"""Write validated respondents to the database in bulk (imports of thousands of responses).

Submissions and answers go in with one driver-level `executemany` per batch of respondents,
instead of an ORM object and a commit per row: a 100,000-row file loads in about a second.
Even Core `insert()` spent most of that second processing parameters row by row (a dict per
row, a type conversion per value), so the rows are built here as tuples of values the driver
takes as they are. The few values a column type converts (datetimes, booleans) are converted
once per distinct value with the column's own bind processor, so what is stored is exactly
what the ORM would store, on SQLite and PostgreSQL alike. The new submissions' ids are read
back through their unique `external_key`. Nothing here commits; the CLI command or the view
commits once, so a failure leaves nothing half-imported.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Table, select

from hearing.extensions import db
from hearing.models import (
    Answer,
    Consultation,
    Source,
    Submission,
    SubmissionStatus,
)
from hearing.models.types import utcnow
from hearing.services.references import REFERENCE_ALPHABET, REFERENCE_LENGTH
from synthesis import snapshot as snap

BATCH_RESPONDENTS = 5_000
_REFERENCE_SPACE = len(REFERENCE_ALPHABET) ** REFERENCE_LENGTH
# Every column an import fills, in the order of the tuples built below. A column with a default
# that is missing here would be left NULL (a test holds these lists to the models).
SUBMISSION_COLUMNS: tuple[str, ...] = (
    "consultation_id",
    "reference",
    "external_key",
    "status",
    "source",
    "respondent_name",
    "on_behalf_of",
    "email",
    "category_id",
    "private_person",
    "consent",
    "hidden",
    "hidden_reason",
    "created_at",
    "updated_at",
    "submitted_at",
)
ANSWER_COLUMNS: tuple[str, ...] = ("submission_id", "question_id", "value", "dont_know", "text")
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


@dataclass(frozen=True)
class LoadResult:
    created: int
    skipped_existing: int
    answers: int


class DriverInsert:
    """An INSERT of `columns` into `table` in the driver's own dialect, and the column types'
    conversions, for rows given as tuples of plain values."""

    def __init__(self, connection: Connection, table: Table, columns: Sequence[str]) -> None:
        dialect = connection.dialect
        placeholder = _PLACEHOLDERS[dialect.paramstyle]
        quote = dialect.identifier_preparer
        self.connection = connection
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote.format_table(table),
            ", ".join(quote.format_column(table.c[name]) for name in columns),
            ", ".join(placeholder for _ in columns),
        )
        self._processors = {
            name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in columns
        }

    def converter(self, column: str) -> Callable[[object], object]:
        """What the column's type makes of a value before the driver sees it, remembered per
        value: a batch repeats the same few timestamps and booleans thousands of times."""
        process = self._processors[column]
        if process is None:
            return lambda value: value
        seen: dict[object, object] = {}

        def convert(value: object) -> object:
            if value is None:
                return None
            stored = seen.get(value)
            if stored is None:
                stored = seen[value] = process(value)
            return stored

        return convert

    def execute(self, rows: list[tuple[object, ...]]) -> None:
        if rows:
            self.connection.exec_driver_sql(self.sql, rows)


def existing_keys(consultation: Consultation) -> set[str]:
    """External keys already stored for `consultation` (imports done before)."""
    return set(
        db.session.scalars(
            select(Submission.external_key).where(
                Submission.consultation_id == consultation.id,
                Submission.external_key.is_not(None),
            )
        )
    )


def load_respondents(
    consultation: Consultation,
    respondents: Sequence[snap.Respondent],
    *,
    source: Source = Source.IMPORT,
    batch_size: int = BATCH_RESPONDENTS,
) -> LoadResult:
    """Insert `respondents` (their `key` is the external key) that are not stored yet."""
    known = existing_keys(consultation)
    fresh = [r for r in respondents if r.key not in known]
    db.session.flush()
    connection = db.session.connection()
    submissions = DriverInsert(connection, Submission.__table__, SUBMISSION_COLUMNS)
    answers = DriverInsert(connection, Answer.__table__, ANSWER_COLUMNS)
    stored_time = submissions.converter("submitted_at")
    stored_flag = submissions.converter("hidden")
    stored_dont_know = answers.converter("dont_know")
    # Per category label: (category id, private person flag), as stored.
    categories = {
        c.label: (c.id, stored_flag(c.sector == snap.Sector.INDIVIDUAL))
        for c in consultation.categories
    }
    no_category = (None, stored_flag(False))
    questions = {q.code: q.id for q in consultation.questions}
    consultation_id = consultation.id
    status, source_value = SubmissionStatus.SUBMITTED.value, source.value
    not_hidden = stored_flag(False)
    answer_count = 0
    for start in range(0, len(fresh), batch_size):
        batch = fresh[start : start + batch_size]
        now = stored_time(utcnow())
        submissions.execute(
            [
                (
                    consultation_id,
                    bulk_reference(),
                    respondent.key,
                    status,
                    source_value,
                    respondent.name,
                    respondent.on_behalf_of,
                    respondent.email,
                    *categories.get(respondent.category, no_category),
                    respondent.consent.value,
                    not_hidden,
                    "",
                    now,
                    now,
                    stored_time(respondent.submitted_at) if respondent.submitted_at else now,
                )
                for respondent in batch
            ]
        )
        ids = _ids_by_key(consultation, [r.key for r in batch])
        rows = [
            (
                submission_id,
                questions[code],
                answer.value,
                stored_dont_know(answer.dont_know),
                answer.text,
            )
            for respondent in batch
            for submission_id in (ids[respondent.key],)
            for code, answer in respondent.answers.items()
            if code in questions and not answer.is_empty
        ]
        answers.execute(rows)
        answer_count += len(rows)
    return LoadResult(len(fresh), len(respondents) - len(fresh), answer_count)


def bulk_reference() -> str:
    """A reference in `new_reference`'s format from one random draw instead of ten.

    `secrets.choice` per character dominated the time of a large import; drawing one number
    below 31**10 and writing it in base 31 gives the same uniform distribution.
    """
    number = secrets.randbelow(_REFERENCE_SPACE)
    characters = []
    for _ in range(REFERENCE_LENGTH):
        number, digit = divmod(number, len(REFERENCE_ALPHABET))
        characters.append(REFERENCE_ALPHABET[digit])
    body = "".join(characters)
    return f"H-{body[:5]}-{body[5:]}"


def _ids_by_key(consultation: Consultation, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    # Chunks keep the IN list well under every database's parameter limit.
    for start in range(0, len(keys), 1_000):
        chunk = keys[start : start + 1_000]
        found.update(
            (key, submission_id)
            for submission_id, key in db.session.execute(
                select(Submission.id, Submission.external_key).where(
                    Submission.consultation_id == consultation.id,
                    Submission.external_key.in_(chunk),
                )
            )
        )
    return found
