"""Searching a consultation's responses: the words of a query, found in the answers' text with
the database's own full-text index, or in the respondent's name.

Every word must occur in one answer, as the start of a word there ("barn" finds "barnehage":
Norwegian joins words into compounds); case does not matter, diacritics do ("gå" is not "ga").
SQLite uses the FTS5 table and PostgreSQL the GIN index of migration 0007; a database without
either (or an SQLite built without FTS5) is searched with LIKE, slower but with the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from hearing.extensions import db
from hearing.models import Answer, Question, Submission

# Migration 0007 makes these by hand (an FTS5 table and its shadow tables, a GIN index); they
# are no models, so a comparison of the schema with the models leaves them out.
SEARCH_OBJECT_PREFIX = "answer_search"
MAX_WORDS = 8
# Letters and digits; everything else separates words, as the databases' tokenizers do.
WORD = re.compile(r"[^\W_]+")
SIMPLE = literal_column("'simple'::regconfig")
# The indexed expression of migration 0007, repeated exactly so PostgreSQL uses the index:
# non-alphanumerics become spaces, so a URL's words ("example.no/mat") are found as words.
NOT_ALPHANUMERIC = literal_column("'[^[:alnum:]]+'")
SPACE = literal_column("' '")
GLOBAL = literal_column("'g'")
EXCERPT_CONTEXT = 80  # characters either side of the first word found


def is_model_object(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's `include_name` hook: False for the search index's own tables and index."""
    return not (type_ in ("table", "index") and (name or "").startswith(SEARCH_OBJECT_PREFIX))


def search_words(query: str) -> list[str]:
    """The words searched for, lower-cased, at most MAX_WORDS."""
    return [word.lower() for word in WORD.findall(query)][:MAX_WORDS]


def _has_fts5_table(session: Session) -> bool:
    return bool(
        session.scalar(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'answer_search'")
        )
    )


def answer_matches(words: list[str]) -> ColumnElement[bool]:
    """A condition on `Answer` that holds when its text contains every word (as a word start)."""
    session = db.session
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        words_only = func.regexp_replace(Answer.text, NOT_ALPHANUMERIC, SPACE, GLOBAL)
        return func.to_tsvector(SIMPLE, words_only).op("@@")(func.to_tsquery(SIMPLE, query))
    if dialect == "sqlite" and _has_fts5_table(session):
        match = " AND ".join(f'"{word}"*' for word in words)
        found = (
            select(literal_column("rowid"))
            .select_from(text("answer_search"))
            .where(text("answer_search MATCH :match").bindparams(match=match))
        )
        return Answer.id.in_(found)
    return and_(*(func.lower(Answer.text).contains(word) for word in words))


def submission_matches(words: list[str]) -> ColumnElement[bool]:
    """A condition on `Submission`: one of its answers holds every word, or its respondent's
    name (or whom they answer for) holds the whole query."""
    phrase = " ".join(words)
    in_answers = exists().where(Answer.submission_id == Submission.id, answer_matches(words))
    return or_(
        in_answers,
        func.lower(Submission.respondent_name).contains(phrase, autoescape=True),
        func.lower(Submission.on_behalf_of).contains(phrase, autoescape=True),
    )


@dataclass(frozen=True)
class Excerpt:
    """Where a response matched: the question, and the text around the first word found."""

    question_code: str
    before: str
    match: str
    after: str


def excerpts(submission_ids: Iterable[int], words: list[str]) -> dict[int, list[Excerpt]]:
    """For each listed submission, its answers that match, as short excerpts to show."""
    ids = list(submission_ids)
    if not ids or not words:
        return {}
    rows = db.session.execute(
        select(Answer.submission_id, Question.code, Answer.text)
        .join(Question, Answer.question_id == Question.id)
        .where(Answer.submission_id.in_(ids), answer_matches(words))
        .order_by(Answer.submission_id, Question.position)
    )
    found: dict[int, list[Excerpt]] = {}
    for submission_id, code, answer_text in rows:
        excerpt = excerpt_of(code, answer_text or "", words)
        if excerpt is not None:
            found.setdefault(submission_id, []).append(excerpt)
    return found


def excerpt_of(code: str, answer_text: str, words: list[str]) -> Excerpt | None:
    """The text around the first place a word starts, trimmed at word boundaries."""
    pattern = re.compile(
        r"(?<![^\W_])(?:" + "|".join(re.escape(word) for word in words) + r")[^\W_]*", re.IGNORECASE
    )
    hit = pattern.search(answer_text)
    if hit is None:
        return None
    start = max(0, hit.start() - EXCERPT_CONTEXT)
    end = min(len(answer_text), hit.end() + EXCERPT_CONTEXT)
    before = answer_text[start : hit.start()]
    after = answer_text[hit.end() : end]
    if start > 0:
        before = "…" + before.split(" ", 1)[-1]
    if end < len(answer_text):
        after = after.rsplit(" ", 1)[0] + "…"
    return Excerpt(code, before, hit.group(0), after)


def purge_deleted_text(session: Session) -> None:
    """Merge SQLite's full-text index so deleted answers leave no words behind in it.

    FTS5 only marks a deleted row's entries as deleted until its segments are merged; after an
    erasure the respondent's words must not stay in the file. PostgreSQL's GIN index holds no
    text of its own beyond what VACUUM removes with the rows."""
    if session.get_bind().dialect.name == "sqlite" and _has_fts5_table(session):
        session.execute(text("INSERT INTO answer_search(answer_search) VALUES ('optimize')"))
