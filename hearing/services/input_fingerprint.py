"""Whether a synthesis run still has the answers there are now, told without reading them.

A run keeps the hash of everything it analysed (`SynthesisPipeline`'s input hash), and several
pages ask whether today's answers hash the same: the synthesis page, the publication page and
the consultation's page (is the edition out of date?). Hashing streams every answer; at a
hundred thousand answers that is seconds per page view. So the hash is remembered per
*fingerprint*: a few aggregates the database computes in one query, from columns that move
whenever the hash can change:

- the consultation's `updated_at`, which any change to it (title, document, scale), its
  questions or its categories moves (`hearing.models.consultation`);
- the number, the sum of the ids and the latest `updated_at` of its submitted, visible
  responses: a response added, erased, hidden, withdrawn or shown again changes the number (and
  ids only grow, so an erasure and an addition never cancel out), a changed response moves the
  latest time, and a changed answer moves its response's `updated_at`
  (`hearing.models.submission`);
- the ids of its redactions, which the public scope applies.

Same fingerprint, same answers: the hash is computed once per change and worker process, and
every later view reads one row of aggregates. A change that does not alter the hash (a response
edited back) costs one more hash, never a wrong answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import func, select

from hearing.caching import BoundedCache, app_cache
from hearing.extensions import db
from hearing.models import Consultation, Submission, SubmissionStatus
from hearing.models.redaction import Redaction

CACHE_KEY = "hearing_input_hashes"
MAX_REMEMBERED = 256


def fingerprint(consultation_id: int) -> tuple[Hashable, ...]:
    """Aggregates that change whenever the consultation's synthesis input can (one query)."""
    visible = (
        Submission.consultation_id == consultation_id,
        Submission.status == SubmissionStatus.SUBMITTED,
        Submission.hidden.is_(False),
    )
    redactions = (
        select(Redaction.id)
        .join(Submission, Redaction.submission_id == Submission.id)
        .where(Submission.consultation_id == consultation_id)
        .subquery()
    )
    row = db.session.execute(
        select(
            select(Consultation.updated_at)
            .where(Consultation.id == consultation_id)
            .scalar_subquery(),
            func.count(Submission.id),
            func.coalesce(func.sum(Submission.id), 0),
            func.max(Submission.updated_at),
            select(func.count()).select_from(redactions).scalar_subquery(),
            select(func.coalesce(func.sum(redactions.c.id), 0)).scalar_subquery(),
        ).where(*visible)
    ).one()
    return tuple(row)


def remembered_input_hash(
    consultation: Consultation,
    parameters: dict[str, Any],
    scope: str,
    compute: Callable[[], str],
) -> str:
    """The input hash a run of `scope` with `parameters` would have now: `compute()` the first
    time the consultation has this fingerprint, the remembered value after that."""
    key = (
        consultation.id,
        scope,
        json.dumps(parameters, sort_keys=True, default=str),
        fingerprint(consultation.id),
    )
    hashes: BoundedCache[str] = app_cache(CACHE_KEY, MAX_REMEMBERED)
    return hashes.get_or_make(key, compute)
