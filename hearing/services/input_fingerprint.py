"""What is computed from all of a consultation's responses, kept until one of them changes.

A synthesis run keeps the hash of everything it analysed (`SynthesisPipeline`'s input hash), and
several pages ask whether today's answers hash the same: the synthesis page, the publication
page and the consultation's page (is the edition out of date?); the publication page also counts
what publishing would show and leave out. Each reads every answer; at a hundred thousand answers
that is seconds per page view. So such values are remembered per *fingerprint*: a few aggregates
the database computes in one query, from columns that move whenever any of them can change:

- the consultation's `updated_at`, which any change to it (title, document, scale), its
  questions or its categories moves (`hearing.models.consultation`);
- the number, the sum of the ids and the latest `updated_at` of its submitted responses: a
  response added, erased or withdrawn changes the number (and ids only grow, so an erasure and an
  addition never cancel out), a changed response (hidden, shown again, its consent) moves the
  latest time, and so does a changed answer, which moves its response's `updated_at`
  (`hearing.models.submission`);
- its redactions, which the public edition applies.

Same fingerprint, same responses: a value is computed once per change and worker process, and
every later view reads one row of aggregates. A change that alters no value (a response edited
back) costs one more computation, never a wrong answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, select

from hearing.caching import BoundedCache, app_cache
from hearing.extensions import db
from hearing.models import Consultation, Submission, SubmissionStatus
from hearing.models.redaction import Redaction

CACHE_KEY = "hearing_response_derived"
MAX_REMEMBERED = 256
Value = TypeVar("Value")


def fingerprint(consultation_id: int) -> tuple[Hashable, ...]:
    """Aggregates that change whenever the consultation's responses can (one query)."""
    submitted = (
        Submission.consultation_id == consultation_id,
        Submission.status == SubmissionStatus.SUBMITTED,
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
        ).where(*submitted)
    ).one()
    return tuple(row)


def remembered(consultation: Consultation, what: Hashable, compute: Callable[[], Value]) -> Value:
    """`compute()`, a value made from the consultation's submitted responses and named by `what`
    (with whatever else it depends on), computed the first time the consultation has this
    fingerprint and remembered after that."""
    values: BoundedCache[Any] = app_cache(CACHE_KEY, MAX_REMEMBERED)
    key = (consultation.id, what, fingerprint(consultation.id))
    value: Value = values.get_or_make(key, compute)
    return value


def remembered_input_hash(
    consultation: Consultation,
    parameters: dict[str, Any],
    scope: str,
    compute: Callable[[], str],
) -> str:
    """The input hash a synthesis run of `scope` with `parameters` would have now."""
    what = ("input hash", scope, json.dumps(parameters, sort_keys=True, default=str))
    return remembered(consultation, what, compute)
