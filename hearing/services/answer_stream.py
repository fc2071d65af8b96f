"""A consultation's answers streamed from the database, for a synthesis run's steps.

`snapshot_of` builds every respondent and answer as objects at once, which is what a page or an
export of an ordinary consultation wants; a synthesis run of a million answers does not
(`synthesis.answer_source` says what each step needs instead). `DatabaseSource` reads the
submissions and their answers in one ordered query, `STREAM_BATCH` rows at a time (a server-side
cursor on PostgreSQL: `yield_per`), and hands out one respondent at a time, all of a question's
respondents, or a few chosen by key. It yields the respondents a run of its scope analyses:
submitted and not hidden, and for a public run only what `synthesis.publishable` allows, with
its redactions applied, exactly as `publishable(snapshot_of(...))` would hold them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import groupby
from typing import Any

from sqlalchemy import Select, case, func, select

from hearing.extensions import db
from hearing.models import Answer, Consultation, RunScope, Submission, SubmissionStatus
from hearing.services.response_rows import ANSWER_PART_COLUMNS, stored_answer
from hearing.services.snapshots import consultation_frame, redactions_by_submission
from synthesis import snapshot as snap
from synthesis.answer_source import TEXT_LEFT_OUT, ValueAnswers, has_text
from synthesis.publishable import is_publishable, publishable

STREAM_BATCH = 2_000  # rows fetched at a time
KEYS_PER_QUERY = 500  # references per IN list, well under every database's limit
TEXT_PREFIX = 64  # characters read of each text to know whether it says anything
_SUBMISSION_COLUMNS = (
    Submission.id,
    Submission.reference,
    Submission.respondent_name,
    Submission.category_id,
    Submission.on_behalf_of,
    Submission.email,
    Submission.consent,
    Submission.hidden,
)
_VALUE, _DONT_KNOW, _CHOICES, _TEXT = range(4)  # ANSWER_PART_COLUMNS' order


class DatabaseSource:
    """An `AnswerSource` (`synthesis.answer_source`) over one consultation's stored answers."""

    def __init__(self, consultation: Consultation, scope: str) -> None:
        self.consultation_id = consultation.id
        self.public = scope == RunScope.PUBLIC
        self.frame = consultation_frame(consultation)
        self._codes = {q.id: q.code for q in consultation.questions}
        self._labels = {c.id: c.label for c in consultation.categories}
        self._redactions = redactions_by_submission(consultation, self._codes)

    def respondents(self, *, texts: bool = True) -> Iterator[snap.Respondent]:
        stream = self._stream(self._query(texts=texts), outer=True)
        if texts:
            yield from stream
            return
        positions = ValueAnswers()
        for respondent in stream:
            yield positions.of(respondent)

    def respondents_with_keys(self, keys: Collection[str]) -> Iterator[snap.Respondent]:
        wanted = sorted(keys)
        found: list[snap.Respondent] = []
        order: dict[str, int] = {}
        for start in range(0, len(wanted), KEYS_PER_QUERY):
            chunk = wanted[start : start + KEYS_PER_QUERY]
            query = self._query(texts=True).where(Submission.reference.in_(chunk))
            for submission_id, respondent in self._stream_with_ids(query, outer=True):
                order[respondent.key] = submission_id
                found.append(respondent)
        return iter(sorted(found, key=lambda respondent: order[respondent.key]))

    def keys_with_text(self) -> Iterator[str]:
        """Without reading every text whole: each answer's first `TEXT_PREFIX` characters,
        and the rest only of one whose beginning is blank."""
        query = (
            select(
                Submission.id,
                Submission.reference,
                Submission.consent,
                Submission.hidden,
                Answer.id,
                func.substr(Answer.text, 1, TEXT_PREFIX),
                func.length(Answer.text) > TEXT_PREFIX,
            )
            .join(Answer, Answer.submission_id == Submission.id)
            .where(*self._submitted(), func.length(Answer.text) > 0)
            .order_by(Submission.id, Answer.id)
            .execution_options(yield_per=STREAM_BATCH)
        )
        blank_beginnings: list[tuple[str, int]] = []
        written: dict[str, bool] = {}
        for _, group in groupby(db.session.execute(query), key=lambda row: row[0]):
            rows = list(group)
            _, reference, consent, hidden, *_ = rows[0]
            shown = snap.Respondent(reference, "", "", consent=snap.Consent(consent), hidden=hidden)
            if self.public and not is_publishable(shown):
                continue
            written[reference] = any(has_text(row[5]) for row in rows)
            blank_beginnings += [
                (reference, row[4]) for row in rows if row[6] and not written[reference]
            ]
        for reference, answer_id in blank_beginnings:
            written[reference] = written[reference] or has_text(
                db.session.get(Answer, answer_id).text
            )
        return (reference for reference, wrote in written.items() if wrote)

    def answers_to(self, codes: Sequence[str]) -> Iterator[snap.Respondent]:
        ids = [question_id for question_id, code in self._codes.items() if code in codes]
        query = self._query(texts=True).where(Answer.question_id.in_(ids))
        for respondent in self._stream(query, outer=False):
            if respondent.answer(codes[0]) is not None:
                yield respondent

    def _query(self, *, texts: bool) -> Select[Any]:
        """Submitted, visible responses with their answers, in respondent order; without the
        answers' texts (a mark that there is one) when `texts` is False."""
        parts: list[Any] = list(ANSWER_PART_COLUMNS)
        if not texts:
            parts[_TEXT] = case((func.length(Answer.text) > 0, TEXT_LEFT_OUT), else_=None)
        return (
            select(*_SUBMISSION_COLUMNS, Answer.question_id, *parts)
            .where(*self._submitted())
            .order_by(Submission.id, Answer.id)
            .execution_options(yield_per=STREAM_BATCH)
        )

    def _submitted(self) -> tuple[Any, ...]:
        """The consultation's submitted responses that are not hidden."""
        return (
            Submission.consultation_id == self.consultation_id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.hidden.is_(False),
        )

    def _stream(self, query: Select[Any], *, outer: bool) -> Iterator[snap.Respondent]:
        return (respondent for _, respondent in self._stream_with_ids(query, outer=outer))

    def _stream_with_ids(
        self, query: Select[Any], *, outer: bool
    ) -> Iterator[tuple[int, snap.Respondent]]:
        joined = (
            query.outerjoin(Answer, Answer.submission_id == Submission.id)
            if outer
            else query.join(Answer, Answer.submission_id == Submission.id)
        )
        rows = db.session.execute(joined)
        batch: list[tuple[int, snap.Respondent]] = []
        for submission_id, group in groupby(rows, key=lambda row: row[0]):
            batch.append((submission_id, self._respondent(list(group))))
            if len(batch) == STREAM_BATCH:
                yield from self._in_scope(batch)
                batch = []
        yield from self._in_scope(batch)

    def _respondent(self, rows: list[Any]) -> snap.Respondent:
        """One submission's rows (one per answer; one with no answer for a response without
        any) as the snapshot's respondent."""
        first = rows[0]
        width = len(_SUBMISSION_COLUMNS)
        answers = {}
        for row in rows:
            if row[width] is None:  # the outer join's row of a response without answers
                continue
            code = self._codes[row[width]]
            answers[code] = stored_answer(code, *row[width + 1 :])
        _, reference, name, category_id, on_behalf_of, email, consent, hidden = first[:width]
        return snap.Respondent(
            key=reference,
            name=name,
            category=self._labels.get(category_id, ""),
            on_behalf_of=on_behalf_of,
            email=email,
            consent=snap.Consent(consent),
            hidden=hidden,
            answers=answers,
            redactions=self._redactions.get(first[0], ()),
        )

    def _in_scope(
        self, batch: Iterable[tuple[int, snap.Respondent]]
    ) -> Iterator[tuple[int, snap.Respondent]]:
        """The batch as a run of this scope holds it: a public run's through `publishable`
        (only respondents who may be published, redacted)."""
        batch = list(batch)
        if not self.public or not batch:
            return iter(batch)
        ids = {respondent.key: submission_id for submission_id, respondent in batch}
        kept = publishable(replace(self.frame, respondents=tuple(r for _, r in batch)))
        return ((ids[respondent.key], respondent) for respondent in kept.respondents)
