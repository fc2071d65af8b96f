"""After a load run: is everything the clients were told was received really stored, once, whole?

The checks read the database directly with plain SQL, independent of the app's models, so a bug
in the app cannot hide itself. They hold after a crash too: a submission and its answers are
written in one transaction, so a kill -9 can lose a response that was never acknowledged, but
never leave half of one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import create_engine, text

ORPHAN_QUERIES = {
    "answers without submission": (
        "SELECT count(*) FROM answers a LEFT JOIN submissions s ON s.id = a.submission_id "
        "WHERE s.id IS NULL"
    ),
    "answers without question": (
        "SELECT count(*) FROM answers a LEFT JOIN questions q ON q.id = a.question_id "
        "WHERE q.id IS NULL"
    ),
    "submissions without consultation": (
        "SELECT count(*) FROM submissions s LEFT JOIN consultations c ON c.id = s.consultation_id "
        "WHERE c.id IS NULL"
    ),
    "versions without submission": (
        "SELECT count(*) FROM submission_versions v "
        "LEFT JOIN submissions s ON s.id = v.submission_id WHERE s.id IS NULL"
    ),
}
WEB_SUBMISSIONS = text(
    "SELECT s.reference, s.status, count(a.id) FROM submissions s "
    "JOIN consultations c ON c.id = s.consultation_id "
    "LEFT JOIN answers a ON a.submission_id = s.id "
    "WHERE c.slug = :slug AND s.source = 'web' GROUP BY s.id, s.reference, s.status"
)


@dataclass
class Verification:
    """Every count that must be zero is listed in `problems`; `ok` when there are none."""

    acknowledged: int
    stored_web: int
    acknowledged_missing: int = 0
    acknowledged_duplicated: int = 0
    partial: int = 0
    not_submitted: int = 0
    stored_unacknowledged: int = 0
    orphans: dict[str, int] = field(default_factory=dict)
    integrity: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def verify(
    database_url: str,
    slug: str,
    acknowledged: Iterable[str],
    answers_per_submission: int,
    abandoned: int = 0,
) -> Verification:
    """Check the stored responses against what the clients were acknowledged.

    `abandoned` responses were given up by their client (an error), so may be stored without
    an acknowledgement; any other stored but unacknowledged response would be a duplicate.
    """
    from hearing.config import _database_url

    acknowledged = list(acknowledged)
    engine = create_engine(_database_url(database_url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(WEB_SUBMISSIONS, {"slug": slug}).all()
            orphans = {
                name: connection.execute(text(query)).scalar_one()
                for name, query in ORPHAN_QUERIES.items()
            }
            integrity = _integrity(connection) if engine.dialect.name == "sqlite" else []
    finally:
        engine.dispose()
    return _judge(rows, acknowledged, answers_per_submission, abandoned, orphans, integrity)


def _integrity(connection: Any) -> list[str]:
    """SQLite's own checks: page-level integrity and foreign keys."""
    problems = []
    result = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
    if result != ["ok"]:
        problems += [f"integrity_check: {line}" for line in result]
    for row in connection.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"foreign_key_check: {tuple(row)}")
    return problems


def _judge(
    rows: list[Any],
    acknowledged: list[str],
    answers_per_submission: int,
    abandoned: int,
    orphans: dict[str, int],
    integrity: list[str],
) -> Verification:
    stored = Counter(reference for reference, _status, _answers in rows)
    acknowledged_set = set(acknowledged)
    result = Verification(acknowledged=len(acknowledged), stored_web=len(rows))
    result.acknowledged_missing = sum(1 for ref in acknowledged_set if stored[ref] == 0)
    result.acknowledged_duplicated = sum(1 for ref in acknowledged_set if stored[ref] > 1)
    result.partial = sum(1 for _ref, _status, count in rows if count != answers_per_submission)
    result.not_submitted = sum(1 for _ref, status, _count in rows if status != "submitted")
    result.stored_unacknowledged = sum(1 for ref in stored if ref not in acknowledged_set)
    result.orphans = orphans
    result.integrity = integrity
    checks = {
        "acknowledged twice by the clients": len(acknowledged) - len(acknowledged_set),
        "acknowledged but missing": result.acknowledged_missing,
        "acknowledged but stored more than once": result.acknowledged_duplicated,
        "submissions with missing answers": result.partial,
        "web submissions not in status submitted": result.not_submitted,
        "stored without acknowledgement (duplicates)": max(
            0, result.stored_unacknowledged - abandoned
        ),
        **orphans,
    }
    result.problems = [f"{name}: {count}" for name, count in checks.items() if count]
    result.problems += integrity
    return result
