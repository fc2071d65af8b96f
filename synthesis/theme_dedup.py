"""Passages counted once however many respondents sent them, and who counts as one author.

Duplicates drive a clustering that counts them: the one text two respondents both sent becomes
four themes made of its own sentences, and a campaign's sentence fills a theme's quotes. Themes
are therefore found on *distinct* passages (the same wording, ignoring case, punctuation and
spacing, is one passage) and on the answers of campaign representatives only; every member is
assigned afterwards. A distinct passage shared by n respondents weighs `1 + log(n)` in the fit:
what many sent is a theme, but not one that crowds out the rest.

A theme must be raised by several *authors*, not by several copies of one text: respondents
whose whole answers are identical, whose answers share at least half of the shorter one's
passages word for word, or whom the duplicate stage put in one campaign
(`DuplicateDetector.collapse_map_`), are one author.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from synthesis.text import Passage

_NOT_LETTERS = re.compile(r"[^\w]+|[\d_]+")
# Two answers sharing this share of the shorter one's passages word for word are one text
# sent twice (seed 004: Stavanger kommune's two submissions), so one author.
SHARED_PASSAGES_FOR_ONE_AUTHOR = 0.5


def content_key(text: str) -> str:
    """The words of `text`, case-folded, without punctuation, digits or spacing differences."""
    return " ".join(_NOT_LETTERS.sub(" ", text.casefold()).split())


@dataclass(frozen=True)
class DistinctPassages:
    """Per passage its distinct passage; per distinct passage its first passage and weight."""

    distinct_of: np.ndarray
    first: np.ndarray
    senders: np.ndarray
    fitted: np.ndarray  # distinct passages the themes are found on
    author_of: dict[str, int]

    @property
    def weights(self) -> np.ndarray:
        """Fit weight of each distinct passage: 1 + log(number of respondents who sent it)."""
        return 1.0 + np.log(np.maximum(self.senders, 1))


def distinct_passages(
    passages: Sequence[Passage],
    answer_texts: Mapping[str, str],
    collapse: Mapping[str, str] | None = None,
) -> DistinctPassages:
    """Group `passages` by content; `answer_texts` (key → whole answer) and `collapse`
    (key → campaign representative) say which respondents are one author, as does sharing
    most passages (`SHARED_PASSAGES_FOR_ONE_AUTHOR`)."""
    collapse = collapse or {}
    index: dict[str, int] = {}
    distinct_of = np.empty(len(passages), dtype=np.int64)
    first: list[int] = []
    senders: list[set[str]] = []
    fitted: list[bool] = []
    for row, passage in enumerate(passages):
        key = content_key(passage.text)
        number = index.setdefault(key, len(index))
        if number == len(first):
            first.append(row)
            senders.append(set())
            fitted.append(False)
        distinct_of[row] = number
        senders[number].add(passage.respondent_key)
        represented = collapse.get(passage.respondent_key, passage.respondent_key)
        fitted[number] |= represented == passage.respondent_key
    passage_count = Counter(passage.respondent_key for passage in passages)
    shared: Counter[tuple[str, str]] = Counter()
    for keys in senders:
        if len(keys) > 1:
            first_sender, *others = sorted(keys)
            shared.update((first_sender, other) for other in others)
    same_author = [
        pair
        for pair, count in shared.items()
        if count >= SHARED_PASSAGES_FOR_ONE_AUTHOR * min(passage_count[key] for key in pair)
    ]
    return DistinctPassages(
        distinct_of=distinct_of,
        first=np.array(first, dtype=np.int64),
        senders=np.array([len(keys) for keys in senders], dtype=np.int64),
        fitted=np.flatnonzero(fitted),
        author_of=_authors(answer_texts, collapse, same_author),
    )


def _authors(
    answer_texts: Mapping[str, str],
    collapse: Mapping[str, str],
    same_author: Sequence[tuple[str, str]],
) -> dict[str, int]:
    """Author id per respondent: one id per campaign, per identical answer text and per pair
    of answers sharing most of their passages."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    first_with_text: dict[str, str] = {}
    for key, text in answer_texts.items():
        same = first_with_text.setdefault(content_key(text), key)
        parent[find(key)] = find(same)
        representative = collapse.get(key)
        if representative is not None and representative in answer_texts:
            parent[find(key)] = find(representative)
    for first, second in same_author:
        parent[find(second)] = find(first)
    roots: dict[str, int] = {}
    return {key: roots.setdefault(find(key), len(roots)) for key in answer_texts}
