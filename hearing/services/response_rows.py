"""One mapping from a respondent and their answers to table rows, for every way a response is
stored: the web form, a letter the secretariat types in, a compiled document, a response file.

`ResponseRows` knows one consultation's categories and questions and turns a `NewResponse`
into a `submissions` row and its `answers` rows, each as a tuple under `SUBMISSION_COLUMNS`
and `ANSWER_COLUMNS`. `store_responses` inserts them with two Core statements; the long-format
import (`hearing.services.long_loader`) takes the same tuples past SQLAlchemy's parameter
processing to the driver, for files of 100,000 rows, giving `ResponseRows` the columns' own
conversions so that both store exactly the same values. Every column is given (no table
default is left to apply), so the two paths cannot drift apart.

An `Answer` (`synthesis.answers`) is stored as the columns of the same names, so reading a row
back is written here once too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import insert

from forms.response import ResponseContent
from hearing.extensions import db
from hearing.models import Answer as StoredAnswer
from hearing.models import Consultation, Source, Submission, SubmissionStatus
from hearing.services.references import new_reference
from synthesis import snapshot as snap
from synthesis.answers import Answer
from synthesis.snapshot import Scale, Sector

# Every column a new submission fills, in the order of `ResponseRows.submission`'s tuples.
SUBMISSION_COLUMNS: tuple[str, ...] = (
    "consultation_id",
    "reference",
    "idempotency_key",
    "resume_token_hash",
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
    "received_at",
)
# The columns that hold an answer's parts, and every column of an answer row, in tuple order.
ANSWER_PARTS: tuple[str, ...] = ("value", "dont_know", "choices", "text")
ANSWER_COLUMNS: tuple[str, ...] = ("submission_id", "question_id", *ANSWER_PARTS)
ANSWER_PART_COLUMNS = tuple(StoredAnswer.__table__.c[name] for name in ANSWER_PARTS)

NEW_SUBMISSIONS = insert(Submission.__table__).returning(
    Submission.__table__.c.id, sort_by_parameter_order=True
)
NEW_ANSWERS = insert(StoredAnswer.__table__)

Convert = Callable[[Any], Any]
NO_CATEGORY: tuple[int | None, bool] = (None, False)


def _as_is(value: Any) -> Any:
    return value


class CategoryLike(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def label(self) -> str: ...

    @property
    def sector(self) -> str: ...


class QuestionLike(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def code(self) -> str: ...


@dataclass(frozen=True, slots=True)
class NewResponse:
    """A response about to be stored, however it came: who answered, what, and how it came.

    `idempotency_key` and `resume_token_hash` are hashes (a web form's); `external_key` names
    an imported response so that importing the same file again finds it.
    """

    respondent_name: str
    category_id: int | None
    private_person: bool
    on_behalf_of: str
    email: str
    consent: str
    answers: Mapping[int, Answer]  # by question id
    status: SubmissionStatus
    source: Source
    submitted_at: datetime | None
    received_at: datetime | None = None  # the day a registered letter came
    external_key: str | None = None
    idempotency_key: str | None = None
    resume_token_hash: str | None = None


class ResponseRows:
    """New responses of one consultation as rows.

    The `stored_*` conversions are what the columns' types do to a value: the identity for
    Core statements (which convert by themselves), the types' own bind processors where the
    rows go to the driver as they are (the bulk loader gives them).
    """

    def __init__(
        self,
        consultation_id: int,
        categories: Sequence[CategoryLike],
        questions: Iterable[QuestionLike],
        *,
        stored_time: Convert = _as_is,
        stored_flag: Convert = _as_is,
        stored_json: Convert = _as_is,
    ) -> None:
        self.consultation_id = consultation_id
        # (category id, private person) by id and by label; in the individual sector a
        # respondent is a private person, whose name is never published without consent.
        self.by_id = {c.id: (c.id, c.sector == Sector.INDIVIDUAL) for c in categories}
        self.by_label = {c.label: self.by_id[c.id] for c in categories}
        self.question_ids = {q.code: q.id for q in questions}
        self.stored_time = stored_time  # a datetime column's conversion
        self.stored_flag = stored_flag  # a Boolean column's (`dont_know` is one too)
        self.stored_json = stored_json  # a JSON column's (`choices`)

    @classmethod
    def of(cls, consultation: Consultation, **conversions: Convert) -> ResponseRows:
        """For a consultation as stored."""
        return cls(consultation.id, consultation.categories, consultation.questions, **conversions)

    def from_content(
        self,
        content: ResponseContent,
        *,
        status: SubmissionStatus,
        source: Source,
        submitted_at: datetime | None,
        received_at: datetime | None = None,
        idempotency_key: str | None = None,
        resume_token_hash: str | None = None,
    ) -> NewResponse:
        """A response typed into the form."""
        return NewResponse(
            **self.respondent(content),
            answers=content.answers,
            status=status,
            source=source,
            submitted_at=submitted_at,
            received_at=received_at,
            idempotency_key=idempotency_key,
            resume_token_hash=resume_token_hash,
        )

    def respondent(self, content: ResponseContent) -> dict[str, Any]:
        """Who answered, by column, as stored: a category not the consultation's counts as
        none."""
        category_id, private = self.by_id.get(content.category_id or -1, NO_CATEGORY)
        return {
            "respondent_name": content.respondent_name,
            "category_id": category_id,
            "private_person": private,
            "on_behalf_of": content.on_behalf_of,
            "email": content.email,
            "consent": content.consent,
        }

    def from_respondent(
        self,
        respondent: snap.Respondent,
        *,
        source: Source,
        now: datetime,
        external_key: str | None,
    ) -> NewResponse:
        """An imported, submitted response; answers to questions the consultation lacks are
        left out, and a response that does not say when it was sent was sent `now`."""
        category_id, private = self.by_label.get(respondent.category, NO_CATEGORY)
        question_ids = self.question_ids
        return NewResponse(
            respondent_name=respondent.name,
            category_id=category_id,
            private_person=private,
            on_behalf_of=respondent.on_behalf_of,
            email=respondent.email,
            consent=respondent.consent.value,
            answers={
                question_ids[code]: answer
                for code, answer in respondent.answers.items()
                if code in question_ids
            },
            status=SubmissionStatus.SUBMITTED,
            source=source,
            submitted_at=respondent.submitted_at or now,
            external_key=external_key,
        )

    def submission(self, response: NewResponse, reference: str, now: Any) -> tuple[Any, ...]:
        """The submission's row under `SUBMISSION_COLUMNS`; `now` as already converted."""
        submitted_at, received_at = response.submitted_at, response.received_at
        return (
            self.consultation_id,
            reference,
            response.idempotency_key,
            response.resume_token_hash,
            response.external_key,
            response.status.value,
            response.source.value,
            response.respondent_name,
            response.on_behalf_of,
            response.email,
            response.category_id,
            self.stored_flag(response.private_person),
            response.consent,
            self.stored_flag(False),
            "",
            now,
            now,
            self.stored_time(submitted_at) if submitted_at is not None else None,
            self.stored_time(received_at) if received_at is not None else None,
        )

    def answers(self, submission_id: int, response: NewResponse) -> list[tuple[Any, ...]]:
        """The rows under `ANSWER_COLUMNS` of the response's answers that say something
        (the parts in the order of `ANSWER_PARTS`, as `answer_columns` names them)."""
        flag, json = self.stored_flag, self.stored_json
        return [
            (
                submission_id,
                question_id,
                answer.value,
                flag(answer.dont_know),
                json(answer.choices) if answer.choices else None,
                answer.text,
            )
            for question_id, answer in response.answers.items()
            if not answer.is_empty
        ]


def store_responses(
    rows: ResponseRows, responses: Sequence[NewResponse], now: datetime
) -> list[int]:
    """Insert `responses` with their answers (two Core statements, flush only); their ids.

    Not through the unit of work: on a consultation's busiest day this is the one write of a
    submission, and the ORM spent more on it than everything else in the request.
    """
    if not responses:
        return []
    submissions = [
        dict(zip(SUBMISSION_COLUMNS, rows.submission(response, new_reference(), now), strict=True))
        for response in responses
    ]
    ids = list(db.session.scalars(NEW_SUBMISSIONS, submissions))
    answers = [
        dict(zip(ANSWER_COLUMNS, row, strict=True))
        for submission_id, response in zip(ids, responses, strict=True)
        for row in rows.answers(submission_id, response)
    ]
    if answers:  # Core, not ORM bulk: that splits rows into one INSERT per set of non-null values
        db.session.execute(NEW_ANSWERS, answers)
    return ids


def answer_columns(answer: Answer) -> dict[str, Any]:
    """The answer's stored parts by column name (for an answer updated in place)."""
    return {
        "value": answer.value,
        "dont_know": answer.dont_know,
        "choices": list(answer.choices) or None,
        "text": answer.text,
    }


def stored_answer(
    question_code: str,
    value: int | None,
    dont_know: bool,
    choices: Sequence[int] | None,
    text: str | None,
) -> Answer:
    """The answer a row's parts (in the order of `ANSWER_PARTS`) stand for."""
    return Answer(
        question_code,
        value=value,
        dont_know=bool(dont_know),
        choices=tuple(choices) if choices else (),
        text=text,
    )


def answer_of(row: StoredAnswer, question_code: str) -> Answer:
    """The answer an ORM row stands for."""
    return stored_answer(question_code, *(getattr(row, name) for name in ANSWER_PARTS))


def answer_label(row: StoredAnswer, scale: Scale) -> str:
    """A stored answer's value in words, as its question's kind writes it ("" for none)."""
    question = row.question
    return question.question_kind.label(answer_of(row, question.code), question, scale)
