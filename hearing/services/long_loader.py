"""Write validated respondents to the database in bulk (imports of thousands of responses).

Submissions and answers go in with one driver-level `executemany` per batch of respondents,
instead of an ORM object and a commit per row: a 100,000-row file loads in about a second.
Even Core `insert()` spent most of that second processing parameters row by row (a dict per
row, a type conversion per value), so the rows, which `hearing.services.response_rows` maps
from the respondents as it does for every other way a response is stored, go to the driver as
tuples of values it takes as they are. The few values a column type converts (datetimes,
booleans) are converted once per distinct value with the column's own bind processor, so
what is stored is exactly what the other paths store, on SQLite and PostgreSQL alike. The new
submissions' ids are read back through their unique `external_key`. Nothing here commits; the
CLI command or the view commits once, so a failure leaves nothing half-imported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Table, select

from hearing.extensions import db
from hearing.models import Answer, Consultation, Source, Submission
from hearing.models.types import utcnow
from hearing.services.references import new_reference
from hearing.services.response_rows import ANSWER_COLUMNS, SUBMISSION_COLUMNS, ResponseRows
from synthesis import snapshot as snap

BATCH_RESPONDENTS = 5_000
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
    rows = ResponseRows.of(
        consultation,
        stored_time=submissions.converter("submitted_at"),
        stored_flag=submissions.converter("hidden"),
        stored_json=answers.converter("choices"),
    )
    answer_count = 0
    for start in range(0, len(fresh), batch_size):
        batch = fresh[start : start + batch_size]
        now = utcnow()
        stored_now = rows.stored_time(now)
        responses = [
            rows.from_respondent(respondent, source=source, now=now, external_key=respondent.key)
            for respondent in batch
        ]
        submissions.execute(
            [rows.submission(response, new_reference(), stored_now) for response in responses]
        )
        ids = _ids_by_key(consultation, [respondent.key for respondent in batch])
        answer_rows = [
            row
            for respondent, response in zip(batch, responses, strict=True)
            for row in rows.answers(ids[respondent.key], response)
        ]
        answers.execute(answer_rows)
        answer_count += len(answer_rows)
    return LoadResult(len(fresh), len(respondents) - len(fresh), answer_count)


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
