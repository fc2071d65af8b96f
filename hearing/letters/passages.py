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
    WordSet,
    content_words,
    is_closing,
    is_heading_like,
    is_letterhead_line,
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


# "4", "1.1", "2.a", "2a", "2A", "2 a)", "2 (a)", "2 a:": a question's number as letters write
# it; never "2 i rapporten" (a letter standing alone is a word unless a bracket or colon follows).
_NUMBER = (
    r"(?P<number>\d{1,2}(?:\s?\.\s?\d{1,2})*"
    r"(?:\.\s?(?-i:[a-zæøå])(?!\w)|(?-i:[a-zæøåA-ZÆØÅ])(?!\w)|\s?\(?(?-i:[a-zæøåA-ZÆØÅ])\)"
    r"|\s(?-i:[a-zæøå])(?=\s*(?:[:.–—-]|$)))?)"
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


@dataclass(frozen=True)
class _Heading:
    code: str | None
    text: str
    inline: str = ""  # the answer's first words, on the heading's own line
    addressed: bool = False  # says a question's number, even one the consultation lacks


def split_passages(text: str, questions: Sequence[QuestionRef]) -> list[Passage]:
    """The letter's passages in order, consecutive ones for the same question merged."""
    reader = _Reader(_QuestionIndex(questions))
    blocks = [block.strip().split("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]
    for number, lines in enumerate(blocks):
        reader.read(lines, before_text=number + 1 < len(blocks) and _is_prose(blocks[number + 1]))
    return _merged(reader.opened)


class _Reader:
    """The passages opened so far, and what the blocks before the next one said."""

    def __init__(self, index: _QuestionIndex) -> None:
        self.index = index
        self.opened = [_Open(None, "", [])]
        self.body_started = False
        self.heading_number: int | None = None  # of the last "N. Title" heading
        self.in_list = False  # the block before was an item of a numbered list

    def read(self, lines: list[str], before_text: bool) -> None:
        """Read a block; `before_text` says whether the next block is prose (a heading that
        names no question needs some, or it is a short paragraph: "Ingen kommentarer")."""
        if is_closing(lines[0]):
            self.opened.append(_Open(None, "", [], signature=True))
            return
        heading = self._heading(lines[0], alone=len(lines) == 1, before_text=before_text)
        general = heading is None or (heading.code is None and not heading.addressed)
        if general and not self.body_started and _is_head(lines):
            return
        self.body_started = True
        if heading is None:
            if not self.opened[-1].signature:
                self.opened[-1].blocks.append("\n".join(lines))
            return
        rest = "\n".join(([heading.inline] if heading.inline else []) + lines[1:])
        self.opened.append(_Open(heading.code, heading.text, [rest] if rest else []))

    def _heading(self, line: str, alone: bool, before_text: bool) -> _Heading | None:
        """The heading `line` is, if it opens a passage."""
        line = line.strip()
        numbered = _BARE.match(line)
        in_list, self.in_list = self.in_list, False
        if not (line[:1].isupper() or line[:1].isdigit()):
            return None
        lead_in = _LEAD_IN.match(line)
        if lead_in and (found := self.index.lead_in(line, lead_in)) is not None:
            return found
        if numbered and is_heading_like(line):
            return self._numbered(line, numbered, alone, in_list)
        if not alone or not is_heading_like(line) or line.endswith(":"):
            return None
        code = self.index.title(line)
        if code is not None:
            return _Heading(code, line)
        return _Heading(None, line) if before_text and _unrelated(line) else None

    def _numbered(
        self, line: str, numbered: re.Match[str], alone: bool, in_list: bool
    ) -> _Heading | None:
        """ "2. Målsettinger": a question's heading when its words are the question's and it
        moves on to a later question; an unrelated heading when it continues the numbering of
        such headings; else an item of a list."""
        code = self.index.number(numbered["number"])
        main = int(re.match(r"\d+", numbered["number"])[0])  # type: ignore[index]
        current = self.opened[-1].code
        later = code is not None and self.index.later(code, current)
        if later and self.index.title_match(numbered["rest"], code):
            self.heading_number = main
            return _Heading(code, line, addressed=True)
        if alone and not in_list and self.heading_number == main - 1:
            self.heading_number = main
            return _Heading(None, line, addressed=True)
        self.in_list = True
        return None


def _merged(opened: list[_Open]) -> list[Passage]:
    """The passages with text, each run of passages for the same question made one."""
    runs: list[_Open] = []
    for part in opened:
        if part.signature or not part.blocks:
            continue
        if runs and runs[-1].code == part.code:
            runs[-1].heading = runs[-1].heading or part.heading
            runs[-1].blocks += part.blocks
        else:
            runs.append(_Open(part.code, part.heading, list(part.blocks)))
    return [Passage(run.code, run.heading, "\n\n".join(run.blocks)) for run in runs]


class _QuestionIndex:
    """The consultation's questions by number and by title words."""

    def __init__(self, questions: Sequence[QuestionRef]) -> None:
        self.questions = list(questions)
        self.by_number = {_number_key(q.number): q.code for q in questions if q.number}
        self.position = {q.code: position for position, q in enumerate(questions)}
        self.titles = {
            q.code: (
                WordSet(content_words(q.title)),
                content_words(_TITLE_SEGMENT.split(q.title + " ")[0]),
            )
            for q in questions
        }
        self.vocabulary = WordSet([word for q in questions for word in content_words(q.title)])

    def lead_in(self, line: str, match: re.Match[str]) -> _Heading | None:
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
        code = self.number(match["number"])
        return _Heading(code, heading.rstrip(":").strip(), after_separator, addressed=True)

    def number(self, raw: str) -> str | None:
        key = _number_key(raw)
        if key in self.by_number:
            return self.by_number[key]
        main = re.match(r"\d+", key)
        if main and main[0] != key and main[0] in self.by_number:
            return self.by_number[main[0]]
        return None

    def later(self, code: str, after: str | None) -> bool:
        return after is None or self.position[code] > self.position.get(after, -1)

    def title_match(self, words_text: str, code: str) -> bool:
        """Whether two thirds of the words are words of the question's title."""
        words = content_words(words_text)
        matched = [word for word in words if self.titles[code][0].has(word)]
        return bool(words) and len(matched) * 3 >= len(words) * 2

    def title(self, line: str) -> str | None:
        """The one question whose title `line` repeats (all its words are the title's, and
        they are its first phrase or at least two), if any."""
        words = content_words(line)
        if not words or not all(self.vocabulary.has(word) for word in words):
            return None
        heading = WordSet(words)
        scores = []
        for code, (title, first) in self.titles.items():
            if not all(title.has(word) for word in words):
                continue
            covers_first = all(heading.has(word) for word in first)
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


def _is_prose(lines: list[str]) -> bool:
    """Whether a block reads as text rather than a heading: several lines, or a sentence."""
    return len(lines) > 1 or not is_heading_like(lines[0]) or lines[0].endswith((".", "!"))


def _unrelated(line: str) -> bool:
    """Whether `line` is a heading of its own (that answers no question)."""
    return not line.endswith((".", ",", ";")) and len(line.split()) <= 10


def _number_key(number: str) -> str:
    """ "2.a", "2 a)", "2A", "2. (a)" → "2a"; "1.1" → "1.1"."""
    key = re.sub(r"[\s()]", "", number.lower()).rstrip(".")
    return re.sub(r"(?<=\d)\.(?=[a-zæøå])", "", key)
