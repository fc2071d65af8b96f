"""Passages counted once however many respondents sent them, and who counts as one author.

Duplicates drive a clustering that counts them: the one text two respondents both sent becomes
four themes made of its own sentences, and a campaign's sentence fills a theme's quotes. Themes
are therefore found on *distinct* passages (the same run of lemmas is one passage), and every
passage is assigned afterwards. A distinct passage shared by n respondents weighs `1 + log(n)`
in the fit: what many sent is a theme, but not one that crowds out the rest. What a campaign
member adds to the template is its own text and is clustered like any other.

A theme must be raised by several *authors*, not by several copies of one text: respondents
whose whole answers are identical or nearly so, whose answers share at least half of the
shorter one's passages word for word, or whom the duplicate stage put in one campaign
(`DuplicateDetector.collapse_map_`), are one author; quotes come from different authors.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from synthesis.corpus import LemmaDocs
from synthesis.text import Passage

_NOT_LETTERS = re.compile(r"[^\w]+|[\d_]+")
# Two answers sharing this share of the shorter one's passages word for word are one text
# sent twice (seed 004: Stavanger kommune's two submissions), so one author.
SHARED_PASSAGES_FOR_ONE_AUTHOR = 0.5
# Two whole answers of at least `NEAR_IDENTICAL_MIN_WORDS` distinct words with this word-set
# Jaccard index are one text edited a little, as the duplicate stage links campaign members
# (Stavanger kommune's two submissions: 0.70 to 1.0; two respondents' answers on one topic
# rarely pass 0.4). Shorter answers share too large a part of their few words by chance.
NEAR_IDENTICAL_JACCARD = 0.6
NEAR_IDENTICAL_MIN_WORDS = 12
NEAR_IDENTICAL_MAX_ANSWERS = 5_000
MIN_LEMMAS_FOR_LEMMA_KEY = 4


def content_key(text: str) -> str:
    """The words of `text`, case-folded, without punctuation, digits or spacing differences."""
    return " ".join(_NOT_LETTERS.sub(" ", text.casefold()).split())


@dataclass(frozen=True)
class DistinctPassages:
    """Per passage its distinct passage; per distinct passage its first passage and weight."""

    distinct_of: np.ndarray
    first: np.ndarray
    senders: np.ndarray
    author_of: dict[str, int]

    @property
    def weights(self) -> np.ndarray:
        """Fit weight of each distinct passage: 1 + log(number of respondents who sent it)."""
        return 1.0 + np.log(np.maximum(self.senders, 1))


def distinct_passages(
    passages: Sequence[Passage],
    docs: LemmaDocs,
    answer_keys: Sequence[str],
    collapse: Mapping[str, str] | None = None,
    same_author: Sequence[tuple[str, str]] = (),
) -> DistinctPassages:
    """Group `passages` (whose lemma ids `docs` holds row for row) by content, and say which
    of the respondents `answer_keys` are one author: those `collapse` (key → campaign
    representative) puts in one campaign, the pairs `same_author` (`near_identical_answers`),
    and those sharing most passages (`SHARED_PASSAGES_FOR_ONE_AUTHOR`).

    A passage's content is its run of lemma ids (what the clustering sees; case, punctuation,
    inflection and function words aside), or its words when it has fewer than
    `MIN_LEMMAS_FOR_LEMMA_KEY` lemmas: "Det er bra" and "Det er ikke bra" differ only in a
    function word. Keys of all answers are built from these, with no text read twice."""
    collapse = collapse or {}
    index: dict[bytes | str, int] = {}
    distinct_of = np.empty(len(passages), dtype=np.int64)
    first: list[int] = []
    senders: list[set[str]] = []
    passages_of: dict[str, list[int]] = {}
    for row, key in enumerate(_passage_keys(passages, docs)):
        passage = passages[row]
        number = index.setdefault(key, len(index))
        if number == len(first):
            first.append(row)
            senders.append(set())
        distinct_of[row] = number
        senders[number].add(passage.respondent_key)
        passages_of.setdefault(passage.respondent_key, []).append(number)
    same_author = list(same_author)
    shared: Counter[tuple[str, str]] = Counter()
    for keys in senders:
        if len(keys) > 1:
            first_sender, *others = sorted(keys)
            shared.update((first_sender, other) for other in others)
    same_author += [
        pair
        for pair, count in shared.items()
        if count >= SHARED_PASSAGES_FOR_ONE_AUTHOR * min(len(passages_of[key]) for key in pair)
    ]
    return DistinctPassages(
        distinct_of=distinct_of,
        first=np.array(first, dtype=np.int64),
        senders=np.array([len(keys) for keys in senders], dtype=np.int64),
        author_of=_authors(answer_keys, passages_of, collapse, same_author),
    )


def _passage_keys(passages: Sequence[Passage], docs: LemmaDocs) -> list[bytes | str]:
    indptr, ids = docs.indptr, docs.lemma_ids
    keys: list[bytes | str] = []
    for row, passage in enumerate(passages):
        start, end = int(indptr[row]), int(indptr[row + 1])
        if end - start >= MIN_LEMMAS_FOR_LEMMA_KEY:
            keys.append(ids[start:end].tobytes())
        else:
            keys.append(content_key(passage.text))
    return keys


def near_identical_answers(answer_texts: Mapping[str, str]) -> list[tuple[str, str]]:
    """Pairs of answers whose word sets have a Jaccard index of `NEAR_IDENTICAL_JACCARD` or
    more: the same text sent twice with a few words changed. Only for questions of at most
    `NEAR_IDENTICAL_MAX_ANSWERS` answers (a sparse product of all pairs); beyond that the
    duplicate stage's campaigns (`collapse`) and shared passages find them."""
    keys = list(answer_texts)
    if not 1 < len(keys) <= NEAR_IDENTICAL_MAX_ANSWERS:
        return []
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for row, key in enumerate(keys):
        for word in set(content_key(answer_texts[key]).split()):
            rows.append(row)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
    words = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(keys), len(vocabulary))
    )
    sizes = np.asarray(words.sum(axis=1)).ravel()
    together = sparse.triu(words @ words.T, k=1).tocoo()
    jaccard = together.data / (sizes[together.row] + sizes[together.col] - together.data)
    long_enough = np.minimum(sizes[together.row], sizes[together.col]) >= NEAR_IDENTICAL_MIN_WORDS
    near = (jaccard >= NEAR_IDENTICAL_JACCARD) & long_enough
    return [
        (keys[a], keys[b])
        for a, b in zip(together.row[near].tolist(), together.col[near].tolist(), strict=True)
    ]


def _authors(
    answer_keys: Sequence[str],
    passages_of: Mapping[str, Sequence[int]],
    collapse: Mapping[str, str],
    same_author: Sequence[tuple[str, str]],
) -> dict[str, int]:
    """Author id per respondent: one id per campaign, per identical answer (the same distinct
    passages in the same order) and per pair of answers found to be one text."""
    parent: dict[str, str] = {}
    answering = set(answer_keys)

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    first_with_content: dict[tuple[int, ...], str] = {}
    for key in answer_keys:
        same = first_with_content.setdefault(tuple(passages_of.get(key, ())), key)
        parent[find(key)] = find(same)
        representative = collapse.get(key)
        if representative is not None and representative in answering:
            parent[find(key)] = find(representative)
    for first, second in same_author:
        parent[find(second)] = find(first)
    roots: dict[str, int] = {}
    return {key: roots.setdefault(find(key), len(roots)) for key in answer_keys}
