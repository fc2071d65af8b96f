"""Store a parsed compiled document as a closed consultation (CLI and upload page alike).

Each respondent's external key starts with a hash of the file, so the same file imported into
the same slug is recognised (`already_imported`) instead of duplicated. Flushes only.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from hearing.extensions import db
from hearing.imports.compiled import CompiledDocument
from hearing.models import Consultation, Source, Status, Submission
from hearing.services.snapshots import add_respondents, create_consultation


def compiled_prefix(data: bytes) -> str:
    """External-key prefix of one compiled file: the same file maps to the same keys."""
    return f"compiled:{hashlib.sha256(data).hexdigest()[:16]}:"


def already_imported(consultation: Consultation, data: bytes) -> bool:
    found = db.session.scalar(
        select(Submission.id)
        .where(
            Submission.consultation_id == consultation.id,
            Submission.external_key.startswith(compiled_prefix(data)),
        )
        .limit(1)
    )
    return found is not None


def store_compiled(
    document: CompiledDocument, data: bytes, *, slug: str, created_by_id: int | None = None
) -> Consultation:
    consultation = create_consultation(
        document.snapshot, slug=slug, status=Status.CLOSED, created_by_id=created_by_id
    )
    add_respondents(
        consultation,
        document.snapshot.respondents,
        source=Source.IMPORT,
        external_prefix=compiled_prefix(data),
    )
    return consultation
