"""Answers that only point elsewhere: "Se kommentarer under punkt 4", "se generelle kommentarer".

Such an answer says nothing of its own about the question, so clustering it would make a
"theme" of the words "se", "kommentar" and "punkt". It is recognised instead and linked to the
question it points to (or to the respondent's general comments), so the summary can follow the
link. An answer that points elsewhere *and* says something ("Se over: I tillegg til …") is a
real answer and is clustered as usual.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from synthesis.text import clean_text, split_sentences

GENERAL = "general"

# The answer must open with a pointing verb: Norwegian (both standards) or English.
_POINTER_START = re.compile(
    r"^(?:(?:vi|jeg|eg|me|we|i)\s+)?"
    r"(?:se|sjå|viser|vis|henviser|refererer|jf\.?|jfr\.?|see|please\s+see|refer|cf\.?"
    r"|samme\s+som|same\s+as|som\s+(?:i|under)|as\s+in)\b",
    re.IGNORECASE,
)
_GENERAL_TARGET = re.compile(
    r"\b(?:generel\w*|overordn\w*|innleiande|innledende|general|overall)\b", re.IGNORECASE
)
# The question a consultation asks for general comments ("Har du flere kommentarer?").
_GENERAL_QUESTION = re.compile(
    r"\b(?:flere|andre|øvrige|generelle|general|other|further)\s+(?:kommentar|merknad|comment)",
    re.IGNORECASE,
)
# "4", "1b", "1.b", "1 b", "1.a)" — a number, optionally followed by a single letter.
_CODE = re.compile(r"(?<![\w.])(\d{1,2})(?:\s*\.?\s*([a-z])(?![a-zæøå]))?(?!\d)", re.IGNORECASE)
MAX_POINTER_WORDS = 15
MAX_TRAILING_WORDS = 3


@dataclass(frozen=True)
class CrossReference:
    """An answer that refers to another question's answer (`target` = its code) or "general"."""

    target: str
    phrase: str


def is_general_question(text: str) -> bool:
    """Whether a question's text asks for general comments: where "se generelle kommentarer"
    points, and where a letter's passages that answer no question are filed."""
    return _GENERAL_QUESTION.search(text) is not None


def canonical_code(code: str) -> str:
    """ "1.b", "1b", "1 b)" → "1b": how codes compare regardless of punctuation."""
    return re.sub(r"[^0-9a-z]", "", code.casefold())


def find_cross_reference(text: str, question_codes: Collection[str]) -> CrossReference | None:
    """The cross-reference that makes up `text`, or None when the answer has content of its own.

    The first sentence must open with a pointing verb ("Se", "Viser til", "See") and name a
    target: general comments, or a code in `question_codes`; at most a few words may follow.
    """
    paragraphs = clean_text(text).split("\n\n")
    sentences = [sentence for paragraph in paragraphs for sentence in split_sentences(paragraph)]
    if not sentences:
        return None
    first, rest = sentences[0], sentences[1:]
    if not _POINTER_START.match(first) or len(first.split()) > MAX_POINTER_WORDS:
        return None
    if sum(len(sentence.split()) for sentence in rest) > MAX_TRAILING_WORDS:
        return None
    target = _target_of(first, question_codes)
    return CrossReference(target=target, phrase=first) if target else None


def _target_of(sentence: str, question_codes: Collection[str]) -> str | None:
    by_canonical = {canonical_code(code): code for code in question_codes}
    for match in _CODE.finditer(sentence):
        # "punkt 4 i rapporten" reads as "4i"; fall back to the number alone.
        code = by_canonical.get(canonical_code(match.group(0))) or by_canonical.get(match.group(1))
        if code is not None:
            return code
    if _GENERAL_TARGET.search(sentence):
        return GENERAL
    return None
