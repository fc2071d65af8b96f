"""The bulk loader writes rows through the driver, past SQLAlchemy's type processing: what it
stores must be exactly what the ORM stores, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Answer, Source, Status, Submission, SubmissionStatus
from hearing.services.long_import import apply_long_import, plan_long_import
from hearing.services.response_rows import ANSWER_COLUMNS, SUBMISSION_COLUMNS
from hearing.services.snapshots import create_consultation
from synthesis import snapshot as snap
from tests.test_import_long_format import CONSULTATION, NB_HEADER, csv_bytes

HEADER = [*NB_HEADER, "På vegne av", "E-post", "Innsendt", "Samtykke"]
ROW = ["Bærum kommune", "Forvaltning", "Offentlig", "2", "Vet ikke", "Tekst"]
DETAILS = ["Bærum", "post@baerum.kommune.no", "2024-03-01T15:30:00+01:00", "anonym"]
# What the ORM is given for the same respondent.
SUBMITTED_AT = datetime(2024, 3, 1, 14, 30, tzinfo=UTC)
COMPARED = tuple(
    name
    for name in SUBMISSION_COLUMNS
    if name not in ("reference", "external_key", "created_at", "updated_at")
)


def _shape(value: object) -> object:
    """A stored timestamp's form without its digits (SQLite keeps text, PostgreSQL a value)."""
    return re.sub(r"\d", "9", value) if isinstance(value, str) else type(value)


def _raw(table: str, columns: tuple[str, ...], key_column: str, key: object) -> tuple:
    """One row as the driver hands it back, before any SQLAlchemy type sees it."""
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE {key_column} = "
    sql += "?" if db.session.get_bind().dialect.paramstyle == "qmark" else "%s"
    return tuple(db.session.connection().exec_driver_sql(sql, (key,)).one())


def test_driver_columns_cover_every_column_with_a_default() -> None:
    for model, columns in ((Submission, SUBMISSION_COLUMNS), (Answer, ANSWER_COLUMNS)):
        defaulted = {c.name for c in model.__table__.columns if c.default is not None}
        assert defaulted <= set(columns), model.__name__


def test_bulk_rows_are_stored_as_the_orm_stores_them(app) -> None:
    consultation = create_consultation(CONSULTATION, slug="h", status=Status.OPEN)
    db.session.commit()
    plan = plan_long_import(csv_bytes([[*ROW, *DETAILS]], header=HEADER), "svar.csv", slug="h")
    assert not plan.validated.errors
    apply_long_import(plan)
    imported = db.session.scalar(select(Submission).where(Submission.external_key.is_not(None)))
    category = consultation.categories[0]
    by_orm = Submission(
        consultation_id=consultation.id,
        reference="H-ORM00-00000",
        status=SubmissionStatus.SUBMITTED.value,
        source=Source.IMPORT.value,
        respondent_name="Bærum kommune",
        on_behalf_of="Bærum",
        email="post@baerum.kommune.no",
        category_id=category.id,
        private_person=False,
        consent=snap.Consent.ANONYMOUS.value,
        submitted_at=SUBMITTED_AT,
    )
    db.session.add(by_orm)
    db.session.flush()
    question = next(q for q in consultation.questions if q.code == "2")
    db.session.add(
        Answer(submission_id=by_orm.id, question_id=question.id, dont_know=True, text="Tekst")
    )
    db.session.flush()

    assert _raw("submissions", COMPARED, "id", imported.id) == _raw(
        "submissions", COMPARED, "id", by_orm.id
    )
    times = ("created_at", "updated_at")
    assert [_shape(v) for v in _raw("submissions", times, "id", imported.id)] == [
        _shape(v) for v in _raw("submissions", times, "id", by_orm.id)
    ]
    answer_columns = ANSWER_COLUMNS[1:]
    assert _raw("answers", answer_columns, "submission_id", imported.id) == _raw(
        "answers", answer_columns, "submission_id", by_orm.id
    )
    # And read back through the ORM: an aware instant, the same one.
    db.session.expire_all()
    assert db.session.get(Submission, imported.id).submitted_at == SUBMITTED_AT
    db.session.rollback()
