"""Whole-database backup and restore as one portable, compressed JSON document.

Portable between SQLite and PostgreSQL: rows are read and written through SQLAlchemy's table
metadata, values are tagged by column type, and PostgreSQL's id sequences are moved past the
restored ids. A backup records the schema revision; restoring into another revision is refused
rather than guessed at.
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import date, datetime
from typing import IO, Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Date, DateTime, LargeBinary, Table, func, select, text

from hearing.extensions import db
from hearing.models.types import UTCDateTime

FORMAT = "hearing-backup"
VERSION = 1


class BackupError(Exception):
    """The backup cannot be restored here; the message says why."""


def _schema_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _is_datetime(table: Table, column: str) -> bool:
    return isinstance(table.c[column].type, DateTime | UTCDateTime)


def _dump_value(value: Any) -> Any:
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _load_value(table: Table, column: str, value: Any) -> Any:
    if value is None:
        return None
    if _is_datetime(table, column):
        return datetime.fromisoformat(value)
    if isinstance(table.c[column].type, Date):  # a letter's date
        return date.fromisoformat(value)
    if isinstance(table.c[column].type, LargeBinary):  # files: attachments
        return base64.b64decode(value)
    return value


def _tables() -> list[Table]:
    return list(db.metadata.sorted_tables)


def write_backup(stream: IO[bytes]) -> dict[str, int]:
    """Write every table to `stream` (gzip); returns the row count per table."""
    counts: dict[str, int] = {}
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        order = [column for column in table.primary_key.columns]
        rows = db.session.execute(select(table).order_by(*order)).mappings().all()
        tables[table.name] = [
            {key: _dump_value(value) for key, value in row.items()} for row in rows
        ]
        counts[table.name] = len(rows)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "schema_revision": _schema_revision(),
        "tables": tables,
    }
    with gzip.GzipFile(fileobj=stream, mode="wb", mtime=0) as compressed:
        compressed.write(json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return counts


def read_backup(stream: IO[bytes]) -> dict[str, Any]:
    try:
        with gzip.GzipFile(fileobj=stream, mode="rb") as compressed:
            document = json.loads(compressed.read().decode("utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"Filen er ikke en gyldig sikkerhetskopi: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("Filen er ikke en sikkerhetskopi fra høringsløsningen.")
    if document.get("version") != VERSION:
        raise BackupError(f"Ukjent versjon av sikkerhetskopien: {document.get('version')}.")
    return document


def database_is_empty() -> bool:
    return all(
        db.session.scalar(select(func.count()).select_from(table)) == 0 for table in _tables()
    )


def restore_backup(stream: IO[bytes], *, replace: bool = False) -> dict[str, int]:
    """Load a backup into this database in one transaction (flushes; the caller commits).

    The database must be empty unless `replace` is set, in which case every table is emptied
    first. Nothing is half-restored: any failure rolls the whole restore back.
    """
    document = read_backup(stream)
    revision = _schema_revision()
    if document["schema_revision"] != revision:
        raise BackupError(
            f"Sikkerhetskopien har skjemaversjon {document['schema_revision']}, databasen har "
            f"{revision}. Kjør «flask db upgrade» til samme versjon først."
        )
    if not replace and not database_is_empty():
        raise BackupError("Databasen er ikke tom. Bruk --replace for å erstatte innholdet.")
    known = {table.name: table for table in _tables()}
    unknown = set(document["tables"]) - set(known)
    if unknown:
        raise BackupError(f"Ukjente tabeller i sikkerhetskopien: {', '.join(sorted(unknown))}.")
    try:
        for table in reversed(_tables()):
            db.session.execute(table.delete())
        counts: dict[str, int] = {}
        for table in _tables():
            rows = [
                {key: _load_value(table, key, value) for key, value in row.items()}
                for row in document["tables"].get(table.name, [])
            ]
            if rows:
                db.session.execute(table.insert(), rows)
            counts[table.name] = len(rows)
        _advance_sequences()
        db.session.flush()
    except Exception:
        db.session.rollback()
        raise
    return counts


def _advance_sequences() -> None:
    """PostgreSQL hands out ids from sequences that a plain INSERT with ids does not move."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" not in table.c:
            continue
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
