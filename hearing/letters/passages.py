"""Cut a letter's text into passages, each filed under the question it answers.

Letters answer a consultation's questions in prose, under headings or lead-ins of their own:
"Til punkt 4", "Spørsmål 2", "Kommentarer til kapittel 3", "Ad 2.a", "Svar på spørsmål 3:",
"Til spørsmål 4" (nynorsk), "Question 2", "4. <the question's title>", or a heading that
repeats a question's title. Text before the first of them, and under a heading that names no
question, is a general comment (`question_code=None`). The letterhead (addresses, references,
dates) and the signature are no comment and are left out.

A number is only a question's when it is said as one: "jf. punkt 4 i rapporten" inside a
sentence, or a line a page wrapped to start with "punkt 4 i rapporten", is no heading (a
lead-in opens a paragraph, starts with a capital and is followed by a colon, a dash, the end of
its line or a short title). A bare "2. …" is a heading only when its words are the question's
and it moves on to a later question, so a numbered list inside an answer stays in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from hearing.letters.letter_words import (
    content_words,
    is_closing,
    is_heading_like,
    is_letterhead_line,
    words_match,
)


@dataclass(frozen=True)
class QuestionRef:
    """A consultation's question as letters refer to it: its code, its number as shown
    ("4", "2.a") and its title."""

    code: str
    number: str
    title: str


@dataclass(frozen=True)
class Passage:
    question_code: str | None  # None: a general comment
    heading: str
    text: str


# "4", "1.1", "2.a", "2a", "2 a)", "2 (a)": a question's number as letters write it.
_NUMBER = (
    r"(?P<number>\d{1,2}(?:\s?\.\s?\d{1,2})*"
    r"(?:\s?\.?\s?\(?[a-zæøå]\)(?!\w)|\s?\.?\s?[a-zæøå](?!\w))?)"
)
_LEAD = (
    r"(?:(?:svar|kommentar(?:er|ar)?|merknad(?:er|ar)?|innspill|innspel|tilbakemelding(?:er|ar)?"
    r"|synspunkt(?:er)?|vurdering(?:er|ar)?|uttalelse|fråsegn|comments?|answer|response)"
    r"\s+(?:til|på|om|for|vedrørende|knyttet\s+til|knytt\s+til|to|on)\s+"
    r"|(?:til|om|ad|vedr\.?|vedrørende|angående|ang\.?|gjelder|gjeld|re:?|regarding|on)\s+)?"
)
_KEYWORD = (
    r"(?:spørsmål(?:et)?|spm\.?|sporsmal|punkt(?:et)?|pkt\.?|kapittel(?:et)?|kap\.?|avsnitt(?:et)?"
    r"|del|tema|question|point|item|section|chapter)\s*(?:nr\.?\s*)?"
)
_LEAD_IN = re.compile(rf"^(?P<lead>{_LEAD}{_KEYWORD}|ad\s+){_NUMBER}(?P<rest>.*)$", re.IGNORECASE)
_BARE = re.compile(rf"^{_NUMBER}\s?[.)]?\s+(?P<rest>\S.*)$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*[:\-–—)]\s*|^\.\s+(?=\S)")
_TITLE_SEGMENT = re.compile(r"[.?!:]\s")
_HEAD_LINE_WORDS = 12  # a subject line is long, but no sentence


@dataclass
class _Open:
    code: str | None
    heading: str
    blocks: list[str]
    signature: bool = False  # the closing and what follows it: not part of any answer


def split_passages(text: str, questions: Sequence[QuestionRef]) -> list[Passage]:
    """The letter's passages in order, consecutive ones for the same question merged."""
    index = _QuestionIndex(questions)
    opened: list[_Open] = [_Open(None, "", [])]
    body_started = False
    for block in _blocks(text):
        lines = block.split("\n")
        if is_closing(lines[0]):
            opened.append(_Open(None, "", [], signature=True))
            continue
        current = opened[-1]
        start = index.heading(lines[0], alone=len(lines) == 1, after=current.code)
        if (start is None or start[0] is None) and not body_started and _is_head(lines):
            continue
        body_started = True
        if start is None:
            if not current.signature:
                current.blocks.append(block)
            continue
        code, heading, inline = start
        rest = "\n".join(([inline] if inline else []) + lines[1:])
        opened.append(_Open(code, heading, [rest] if rest else []))
    return _merged(opened)


def _blocks(text: str) -> list[str]:
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def _merged(opened: list[_Open]) -> list[Passage]:
    passages: list[Passage] = []
    for part in opened:
        if part.signature or not part.blocks:
            continue
        text = "\n\n".join(part.blocks)
        if passages and passages[-1].question_code == part.code:
            last = passages[-1]
            passages[-1] = Passage(
                part.code, last.heading or part.heading, f"{last.text}\n\n{text}"
            )
        else:
            passages.append(Passage(part.code, part.heading, text))
    return passages


class _QuestionIndex:
    """The consultation's questions by number and by title words."""

    def __init__(self, questions: Sequence[QuestionRef]) -> None:
        self.questions = list(questions)
        self.by_number = {_number_key(q.number): q.code for q in questions if q.number}
        self.position = {q.code: position for position, q in enumerate(questions)}
        self.titles = [
            (q.code, content_words(q.title), content_words(_TITLE_SEGMENT.split(q.title + " ")[0]))
            for q in questions
        ]

    def heading(
        self, line: str, alone: bool, after: str | None
    ) -> tuple[str | None, str, str] | None:
        """(question code or None, heading, text on the heading's line) when `line` opens a
        passage; None when it is text."""
        line = line.strip()
        if not line or not (line[0].isupper() or line[0].isdigit()):
            return None
        lead_in = _LEAD_IN.match(line)
        if lead_in:
            found = self._lead_in(line, lead_in)
            if found is not None:
                return found
        bare = _BARE.match(line)
        if bare and is_heading_like(line):
            code = self._number(bare["number"])
            if (
                code is not None
                and self._later(code, after)
                and self._title_match(bare["rest"], code)
            ):
                return code, line, ""
        if not alone or not is_heading_like(line) or line.endswith(":"):
            return None
        code = self._title(line)
        return (code, line, "") if code is not None or _unrelated(line) else None

    def _lead_in(self, line: str, match: re.Match[str]) -> tuple[str | None, str, str] | None:
        rest = match["rest"]
        separator = _SEPARATOR.match(rest)
        if separator:
            heading = line[: match.start("rest")].strip()
            after_separator = rest[separator.end() :].strip()
            title_only = is_heading_like(after_separator) and not after_separator.endswith(".")
            if title_only:
                heading, after_separator = line, ""
        elif not rest.strip() or (is_heading_like(line) and not line.endswith(".")):
            heading, after_separator = line, ""
        else:
            return None
        code = self._number(match["number"])
        return code, heading.rstrip(":").strip(), after_separator

    def _number(self, raw: str) -> str | None:
        key = _number_key(raw)
        if key in self.by_number:
            return self.by_number[key]
        main = re.match(r"\d+", key)
        if main and main[0] != key and main[0] in self.by_number:
            return self.by_number[main[0]]
        return None

    def _later(self, code: str, after: str | None) -> bool:
        return after is None or self.position[code] > self.position.get(after, -1)

    def _title_match(self, words_text: str, code: str) -> bool:
        words = content_words(words_text)
        title = next(title for other, title, _ in self.titles if other == code)
        matched = [word for word in words if any(words_match(word, other) for other in title)]
        return bool(words) and len(matched) * 3 >= len(words) * 2

    def _title(self, line: str) -> str | None:
        """The one question whose title `line` repeats, if any."""
        words = content_words(line)
        if not words:
            return None
        scores = []
        for code, title, first in self.titles:
            if not all(any(words_match(word, other) for other in title) for word in words):
                continue
            covers_first = all(any(words_match(w, other) for other in words) for w in first)
            if covers_first or len(words) >= 2:
                scores.append((len(words) / max(len(title), 1) + covers_first, code))
        scores.sort(reverse=True)
        if not scores or (len(scores) > 1 and scores[0][0] == scores[1][0]):
            return None
        return scores[0][1]


def _is_head(lines: list[str]) -> bool:
    """Whether a block before the letter's first paragraph is part of its head: addresses,
    references, dates, the sender's and addressee's names, the subject."""
    return all(
        is_letterhead_line(line)
        or (len(line.split()) <= _HEAD_LINE_WORDS and not line.endswith("."))
        for line in lines
    )


def _unrelated(line: str) -> bool:
    """Whether `line` is a heading of its own (that answers no question)."""
    return not line.endswith((".", ",", ";")) and len(line.split()) <= 10


def _number_key(number: str) -> str:
    """ "2.a", "2 a)", "2A", "2. (a)" → "2a"; "1.1" → "1.1"."""
    key = re.sub(r"[\s()]", "", number.lower()).rstrip(".")
    return re.sub(r"(?<=\d)\.(?=[a-zæøå])", "", key)
