"""Respondents who may be one body answering twice, and why, for the secretariat to check.

A body is named in many ways: "Bergen kommune" and "Bergen Kommune/etat for barn og familie",
"Stavanger kommune, Helse og velferd" and "Stavanger kommune, Oppvekst". What comes after a
department separator — "/", ",", "(", ":", ";", "v/" (ved) or a dash with spaces around it
(" - ", " – ") — names a part of the body, so the *body name* is what comes before the first
separator. A hyphen without spaces joins words into one name: "Kompetansesenter rus-Midt-Norge"
is a regional centre of its own, not a department of "Kompetansesenter rus", and the two body
names differ ("kompetansesenter rus midt norge" against "kompetansesenter rus"). Body names
are compared as normalised words (case, accents and punctuation folded), from both the
respondent's name and the body it answers on behalf of.

A flag holds its reasons as data — a kind and its parameters — so that pages word them in the
reader's language; `ResubmissionFlag.reason` words them in English for logs and the CLI.
Kinds:

- `same_body` {"name"}: the same body name (see above);
- `same_name_words`: the same words in another order ("Kommune Bergen");
- `same_email`: the same contact e-mail address;
- `identical_answer` {"question", "category", "other_category"}: the very same text to a
  question from respondents in two different categories.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from synthesis.minhash import words
from synthesis.snapshot import Respondent

SAME_BODY = "same_body"
SAME_NAME_WORDS = "same_name_words"
SAME_EMAIL = "same_email"
IDENTICAL_ANSWER = "identical_answer"
# The leftmost separator wins, so " v/" (ved) is found before its "/".
_DEPARTMENT = re.compile(r"\s+v\s*/|\s+v\.\s|/|,|\(|:|;|\s[-–—]\s")
# Beyond this many respondents sharing a body name, each is paired with the first only: a
# shared placeholder ("Anonym") would otherwise give a flag for every pair.
_ALL_PAIRS_UP_TO = 5


@dataclass(frozen=True)
class ResubmissionReason:
    """One reason to think two respondents are one body: a kind and its parameters."""

    kind: str
    params: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """The reason in English."""
        match self.kind:
            case "same_body":
                return f'same leading name "{self.params["name"]}"'
            case "same_name_words":
                return "same words in the name"
            case "same_email":
                return "same contact e-mail"
            case "identical_answer":
                return (
                    f"identical answer to question {self.params['question']} from "
                    f'"{self.params["category"]}" and "{self.params["other_category"]}"'
                )
        return self.kind


@dataclass(frozen=True)
class ResubmissionFlag:
    """Two respondents that may be the same body answering twice."""

    respondent_keys: tuple[str, str]
    reasons: tuple[ResubmissionReason, ...] = ()

    @property
    def reason(self) -> str:
        """All reasons in English, joined by "; "."""
        return "; ".join(reason.describe() for reason in self.reasons)


def body_name(name: str) -> str:
    """The normalised name before the first department separator ("" if none is left)."""
    return " ".join(words(_DEPARTMENT.split(name, maxsplit=1)[0]))


def find_resubmissions(
    respondents: list[Respondent], identical_answers: Iterable[tuple[str, tuple[str, ...]]]
) -> list[ResubmissionFlag]:
    """Flags for pairs of `respondents`, in respondent order; `identical_answers` are
    (question code, respondent keys) of answers with exactly the same text."""
    order = {r.key: position for position, r in enumerate(respondents)}
    reasons: dict[tuple[str, str], list[ResubmissionReason]] = defaultdict(list)

    def flag(a: str, b: str, reason: ResubmissionReason) -> None:
        pair = (a, b) if order[a] < order[b] else (b, a)
        if a != b and reason not in reasons[pair]:
            reasons[pair].append(reason)

    by_body: dict[str, list[str]] = defaultdict(list)
    by_name_words: dict[frozenset[str], list[str]] = defaultdict(list)
    by_email: dict[str, list[str]] = defaultdict(list)
    for respondent in respondents:
        for name in {respondent.name, respondent.on_behalf_of} - {""}:
            if body := body_name(name):
                by_body[body].append(respondent.key)
        if name_words := frozenset(words(respondent.name)):
            by_name_words[name_words].append(respondent.key)
        if email := respondent.email.strip().casefold():
            by_email[email].append(respondent.key)
    for body, keys in by_body.items():
        for a, b in _pairs(keys):
            flag(a, b, ResubmissionReason(SAME_BODY, {"name": body}))
    for keys in by_name_words.values():
        for a, b in _pairs(keys):
            if not reasons.get((a, b) if order[a] < order[b] else (b, a)):
                flag(a, b, ResubmissionReason(SAME_NAME_WORDS))
    for keys in by_email.values():
        for a, b in _pairs(keys):
            flag(a, b, ResubmissionReason(SAME_EMAIL))

    category = {r.key: r.category for r in respondents}
    for question, keys in identical_answers:
        for i, first in enumerate(keys):
            for second in keys[i + 1 :]:
                if category[first] != category[second]:
                    params = {
                        "question": question,
                        "category": category[first],
                        "other_category": category[second],
                    }
                    flag(first, second, ResubmissionReason(IDENTICAL_ANSWER, params))
    return [
        ResubmissionFlag(pair, tuple(found))
        for pair, found in sorted(reasons.items(), key=lambda item: [order[k] for k in item[0]])
    ]


def _pairs(keys: list[str]) -> list[tuple[str, str]]:
    """Pairs of distinct keys: all of them for a few, else each with the first."""
    keys = list(dict.fromkeys(keys))
    if len(keys) <= _ALL_PAIRS_UP_TO:
        return [(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :]]
    return [(keys[0], b) for b in keys[1:]]
