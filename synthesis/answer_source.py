"""Where a run reads its answers from, one respondent or one question at a time.

A million answers as Python objects all at once take gigabytes (each respondent, answer and
text an object of its own), and no step needs them all together: tabulation and opinion groups
need every respondent's positions but no text, themes and duplicates need one question's texts,
the term background a sample of those who wrote anything. An `AnswerSource` hands out these,
so the pipeline holds one question's texts at a time. `SnapshotSource` serves them from a
snapshot already in memory (tests, the benchmark's baseline, a small run); the web app's source
streams them from the database (`hearing.services.answer_stream`).

Whichever the source, it yields only the respondents the run analyses (visible ones, or the
publishable ones of a public run), in the consultation's order.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import replace
from typing import Protocol

from synthesis.answers import Answer
from synthesis.snapshot import ConsultationSnapshot, Respondent


class AnswerSource(Protocol):
    @property
    def frame(self) -> ConsultationSnapshot:
        """The consultation (questions, categories, scale, title, document) without respondents."""

    def respondents(self, *, texts: bool = True) -> Iterator[Respondent]:
        """Every respondent with all their answers; without the texts when `texts` is False."""

    def respondents_with_keys(self, keys: Collection[str]) -> Iterator[Respondent]:
        """The respondents with these keys, with all their answers, in order."""

    def keys_with_text(self) -> Iterator[str]:
        """The keys of the respondents who wrote anything (not only blanks), in order."""

    def answers_to(self, codes: Sequence[str]) -> Iterator[Respondent]:
        """The respondents who answered `codes[0]`, holding only their answers to `codes`."""


class SnapshotSource:
    """An `AnswerSource` over a snapshot in memory (hidden respondents left out)."""

    def __init__(self, snapshot: ConsultationSnapshot) -> None:
        self.snapshot = snapshot
        self.frame = replace(snapshot, respondents=())

    def _visible(self) -> Iterator[Respondent]:
        return (r for r in self.snapshot.respondents if not r.hidden)

    def respondents(self, *, texts: bool = True) -> Iterator[Respondent]:
        if texts:
            yield from self._visible()
            return
        positions = ValueAnswers()
        for respondent in self._visible():
            yield positions.of(respondent)

    def respondents_with_keys(self, keys: Collection[str]) -> Iterator[Respondent]:
        wanted = set(keys)
        return (r for r in self._visible() if r.key in wanted)

    def keys_with_text(self) -> Iterator[str]:
        for respondent in self._visible():
            if any(has_text(answer.text) for answer in respondent.answers.values()):
                yield respondent.key

    def answers_to(self, codes: Sequence[str]) -> Iterator[Respondent]:
        for respondent in self._visible():
            if respondent.answer(codes[0]) is not None:
                answers = {c: a for c in codes if (a := respondent.answers.get(c)) is not None}
                yield replace(respondent, answers=answers)


def has_text(text: str | None) -> bool:
    """Whether a text says anything (is not empty or only blanks)."""
    return bool(text and text.strip())


# What stands for an answer's text where the text is left out: tabulation counts a respondent
# who only wrote text as having answered, so the answer must stay non-empty.
TEXT_LEFT_OUT = "…"


class ValueAnswers:
    """Respondents with their answers' positions only, sharing one `Answer` object per
    distinct position: a quarter of a million respondents' positions then cost their
    dictionaries, not a million answer objects. A text is replaced by `TEXT_LEFT_OUT`."""

    def __init__(self) -> None:
        self._shared: dict[tuple[object, ...], Answer] = {}

    def answer(self, answer: Answer) -> Answer:
        text = TEXT_LEFT_OUT if has_text(answer.text) else None
        key = (answer.question_code, answer.value, answer.dont_know, answer.choices, text)
        found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = Answer(
                answer.question_code,
                value=answer.value,
                dont_know=answer.dont_know,
                choices=answer.choices,
                text=text,
            )
        return found

    def of(self, respondent: Respondent) -> Respondent:
        """The respondent with its non-empty answers' positions, without their texts."""
        return replace(
            respondent,
            answers={
                code: self.answer(answer)
                for code, answer in respondent.answers.items()
                if not answer.is_empty
            },
        )
