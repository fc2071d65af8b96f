"""Exact and near-duplicate answers, campaigns, and respondents who may have answered twice.

Identical or near-identical texts from many respondents are usually a campaign: one organisation
circulates a template, members send it in, some add a sentence of their own. A compiled summary
should show such a text once with its number of senders and what members added, and positions
may be counted once per campaign (`tabulation.tabulate(collapse=detector.collapse_map_())`).

Words are normalised before comparing (case, punctuation and accents folded, every number one
word; `synthesis.minhash`). Near-duplicates: the Jaccard index of the sets of words (word
1-shingles by default). Two members of one campaign who each edited up to 10 % of the words
keep about two thirds of their words in common, so the default threshold is **0.6**: pairs of
texts with at least `min_words` words and a word-set Jaccard ≥ 0.6 are linked. MinHash LSH
(see `synthesis.minhash`) proposes candidate pairs; every candidate is then checked with the
exact Jaccard index. Campaign members who add text of their own are linked by containment of
word pairs, and groups grow by the texts that hold most of their template
(`synthesis.containment`, which states those thresholds). Linked texts are grouped
transitively (union-find). Texts with fewer than `min_words` words ("Ingen kommentar", "Helt
enig") are never grouped: agreeing in two words is not a campaign. A group's template is the
text nearest to what most of its senders share, and each member's additions are the words it
has beyond that template.

Resubmissions are pairs of respondents that the secretariat should look at to merge or keep
(`synthesis.resubmissions`): one body under two spellings or departments ("Bergen kommune" and
"Bergen Kommune/etat for barn og familie"), the same words in their name, the same e-mail, or an
identical answer from two respondents in different categories.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Self

import numpy as np

from synthesis.containment import (
    Fingerprints,
    WordPairs,
    likely_containments,
    same_campaign,
    template_links,
)
from synthesis.minhash import (
    TokenIds,
    band_layout,
    candidate_pairs,
    fold_each,
    shingle_hashes,
    signatures,
    words,
    words_of_many,
)
from synthesis.resubmissions import ResubmissionFlag, find_resubmissions
from synthesis.snapshot import ConsultationSnapshot, Respondent

__all__ = ["DuplicateDetector", "DuplicateGroup", "ResubmissionFlag", "collapse_map"]

_WORD = re.compile(r"\w+")
# The LSH proposes pairs from a little below the threshold, and pairs whose MinHash estimate is
# at least this close to it (3.5 standard errors at 128 permutations) are checked exactly, so
# borderline pairs are not lost to the banding or the estimate's noise.
_LSH_MARGIN = 0.15
_PAIRS_PER_BLOCK = 65_536
# Word sets kept for reuse while checking candidate pairs (candidates come sorted by their first
# text, so a small cache keeps most hits).
_CACHED_SETS = 8192
# Texts cut into words at a time: only one batch's word lists exist at once.
_TEXTS_PER_BATCH = 10_000
# A template is chosen among at most this many distinct texts of a group (the most frequent).
_TEMPLATE_CANDIDATES = 64


@dataclass(frozen=True)
class DuplicateGroup:
    """Answers that are identical ("exact"), similar ("near"), or a campaign (many senders)."""

    group_id: str
    kind: str  # "exact" | "near" | "campaign"
    question_code: str | None
    member_keys: tuple[str, ...]
    template: str
    additions: dict[str, str]  # member key -> the words it has beyond the template


class DuplicateDetector:
    """Find duplicate and campaign answers (per question) and likely resubmissions.

    Parameters: `threshold` is the word-set Jaccard index at which two texts are linked;
    `shingle_size` the number of words per shingle (1 = sets of words); `containment` also
    links a text to another it mostly contains, and to a group whose template it mostly holds
    (`synthesis.containment`; False gives the Jaccard-only detector); `min_campaign_size` the
    number of senders that makes a group a campaign; `min_words` the shortest text considered.
    """

    def __init__(
        self,
        threshold: float = 0.6,
        num_perm: int = 128,
        shingle_size: int = 1,
        containment: bool = True,
        min_campaign_size: int = 3,
        min_words: int = 6,
        random_state: int = 0,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.containment = containment
        self.min_campaign_size = min_campaign_size
        self.min_words = min_words
        self.random_state = random_state

    def fit(self, snapshot: ConsultationSnapshot) -> Self:
        """Group the free-text answers of every text question; flag likely resubmissions."""
        respondents = [r for r in snapshot.respondents if not r.hidden]
        self.groups_ = []
        for question in snapshot.questions:
            if question.kind.has_text:
                self.groups_.extend(self._question_groups(respondents, question.code))
        self.resubmissions_ = find_resubmissions(
            respondents,
            [(g.question_code, g.member_keys) for g in self.groups_ if g.kind == "exact"],
        )
        return self

    def fit_question(self, snapshot: ConsultationSnapshot, question_code: str) -> Self:
        """Group the free-text answers of one question (no resubmission check): what a run's
        step for that question does, apart from the other questions."""
        respondents = [r for r in snapshot.respondents if not r.hidden]
        self.groups_ = self._question_groups(respondents, question_code)
        self.resubmissions_ = []
        return self

    def fit_texts(self, items: Iterable[tuple[str, str]]) -> Self:
        """Group plain (key, text) pairs, e.g. for a benchmark; no resubmission check."""
        self.groups_ = self._group(list(items), None)
        self.resubmissions_ = []
        return self

    def collapse_map_(self) -> dict[str, str]:
        """Respondent key -> representative key, merging members of every campaign."""
        return collapse_map(self.groups_)

    def _question_groups(
        self, respondents: Sequence[Respondent], question_code: str
    ) -> list[DuplicateGroup]:
        items = [
            (r.key, answer.text)
            for r in respondents
            if (answer := r.answer(question_code)) is not None and answer.text
        ]
        return self._group(items, question_code)

    def _group(self, items: Sequence[tuple[str, str]], question_code: str | None) -> list:
        members: list[list[int]] = []  # item positions per distinct text
        index_of: dict[bytes, int] = {}  # digest of the normalised text -> distinct text
        token_ids = TokenIds()
        for start in range(0, len(items), _TEXTS_PER_BATCH):
            batch = items[start : start + _TEXTS_PER_BATCH]
            new_texts = []
            for position, tokens in enumerate(words_of_many([text for _, text in batch]), start):
                if len(set(tokens)) < self.min_words:
                    continue
                digest = hashlib.blake2b(" ".join(tokens).encode(), digest_size=16).digest()
                distinct = index_of.get(digest)
                if distinct is None:
                    distinct = index_of[digest] = len(members)
                    new_texts.append(tokens)
                    members.append([])
                members[distinct].append(position)
            token_ids.add(new_texts)
        if not members:
            return []
        ids, lengths = token_ids.result()
        del token_ids, index_of  # the vocabulary's strings: a fifth of the peak at 250,000 texts
        hashes, offsets = shingle_hashes(ids, lengths, self.shingle_size)
        signature = signatures(hashes, offsets, self.num_perm, self.random_state)
        senders = np.array([len(positions) for positions in members], dtype=float)
        links = _UnionFind(senders)
        self._link(hashes, offsets, signature, links)
        del hashes, offsets
        pairs = WordPairs(ids, lengths)
        if self.containment:
            fingerprints = Fingerprints.of(ids, lengths)
            candidates = likely_containments(fingerprints, lengths, signature)
            del signature
            self._link_containments(candidates, links, pairs, senders)
            grown = template_links(
                fingerprints, links.roots(), senders, pairs, self.min_campaign_size
            )
            for a, b in grown:
                links.union(a, b)
        root = links.roots()

        components: dict[int, list[int]] = defaultdict(list)
        for distinct in range(len(members)):
            components[root[distinct]].append(distinct)
        groups = []
        for distincts in components.values():
            positions = sorted(p for d in distincts for p in members[d])
            keys = tuple(dict.fromkeys(items[p][0] for p in positions))
            if len(keys) < 2:
                continue
            if len(keys) >= self.min_campaign_size:
                kind = "campaign"
            else:
                kind = "exact" if len(distincts) == 1 else "near"
            weights = np.array([len(members[d]) for d in distincts])
            template_distinct = distincts[_closest_to_consensus(distincts, weights, pairs)]
            template = items[members[template_distinct][0]][1].strip()
            template_bigrams = set(pairwise(words(template)))
            additions = {
                items[p][0]: added
                for d in distincts
                if d != template_distinct
                for p in members[d]
                if (added := _added_words(items[p][1], template_bigrams))
            }
            groups.append((positions[0], kind, keys, template, additions))
        groups.sort(key=lambda group: group[0])
        prefix = question_code if question_code is not None else "texts"
        return [
            DuplicateGroup(f"{prefix}:{n}", kind, question_code, keys, template, additions)
            for n, (_, kind, keys, template, additions) in enumerate(groups, start=1)
        ]

    def _link_containments(
        self, candidates: np.ndarray, links: _UnionFind, pairs: WordPairs, senders: np.ndarray
    ) -> None:
        """Link the candidate pairs where one text contains the other; a pair between two
        groups that are each a campaign already waits until every other link is made, and
        then joins them only if they share a template (`containment.same_campaign`)."""
        between_campaigns = []
        for a, b in candidates.tolist():
            if links.find(a) == links.find(b) or not pairs.contained(a, b):
                continue
            if min(links.senders_of(a), links.senders_of(b)) >= self.min_campaign_size:
                between_campaigns.append((a, b))
            else:
                links.union(a, b)
        if not between_campaigns:
            return
        texts_of: dict[int, list[int]] = defaultdict(list)
        for text, root in enumerate(links.roots().tolist()):
            texts_of[root].append(text)
        consensus_of: dict[int, frozenset[int]] = {}  # per group, until it grows

        def consensus(root: int) -> frozenset[int]:
            if root not in consensus_of:
                texts = texts_of[root]
                consensus_of[root] = pairs.consensus(texts, senders[texts])
            return consensus_of[root]

        for a, b in between_campaigns:
            root_a, root_b = links.find(a), links.find(b)
            if root_a != root_b and same_campaign(consensus(root_a), consensus(root_b)):
                links.union(root_a, root_b)
                texts_of[links.find(root_a)] = texts_of.pop(root_a) + texts_of.pop(root_b)
                consensus_of.pop(root_a), consensus_of.pop(root_b)

    def _link(
        self, hashes: np.ndarray, offsets: np.ndarray, signature: np.ndarray, links: _UnionFind
    ) -> None:
        """Link LSH candidates whose exact word-set Jaccard index passes the threshold."""
        bands, rows = band_layout(max(self.threshold - _LSH_MARGIN, 0.05), self.num_perm)
        bounds = np.append(offsets, len(hashes))
        shingle_sets: dict[int, set[int]] = {}

        def shingles(doc: int) -> set[int]:
            found = shingle_sets.get(doc)
            if found is None:
                if len(shingle_sets) >= _CACHED_SETS:  # each set costs kilobytes
                    shingle_sets.clear()
                found = shingle_sets[doc] = set(hashes[bounds[doc] : bounds[doc + 1]].tolist())
            return found

        pairs = candidate_pairs(signature, bands, rows)
        estimate = _estimated_jaccard(signature, pairs)
        for a, b in pairs[estimate >= self.threshold - _LSH_MARGIN].tolist():
            if links.find(a) == links.find(b):
                continue
            left, right = shingles(a), shingles(b)
            if len(left & right) >= self.threshold * len(left | right):
                links.union(a, b)


def collapse_map(groups: Iterable[DuplicateGroup]) -> dict[str, str]:
    """Respondent key -> representative key, merging members of every campaign.

    A respondent in campaigns on several questions joins them into one unit; the
    representative is the unit's first member in the order of the groups' members (respondent
    order, question by question).
    """
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    first_seen: dict[str, int] = {}
    for group in groups:
        if group.kind != "campaign":
            continue
        for key in group.member_keys:
            first_seen.setdefault(key, len(first_seen))
        for key in group.member_keys[1:]:
            a, b = find(group.member_keys[0]), find(key)
            if a != b:
                parent[max(a, b, key=first_seen.__getitem__)] = min(
                    a, b, key=first_seen.__getitem__
                )
    return {key: find(key) for key in first_seen}


class _UnionFind:
    """Groups of distinct texts and their number of senders; the root of a group is its first
    text."""

    def __init__(self, senders: np.ndarray) -> None:
        self.parent = list(range(len(senders)))
        self.senders = senders.tolist()

    def find(self, node: int) -> int:
        parent = self.parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            low, high = min(root_a, root_b), max(root_a, root_b)
            self.parent[high] = low
            self.senders[low] += self.senders[high]

    def senders_of(self, node: int) -> float:
        return self.senders[self.find(node)]

    def roots(self) -> np.ndarray:
        return np.array([self.find(node) for node in range(len(self.parent))], dtype=np.int64)


def _estimated_jaccard(signature: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """MinHash estimate of each pair's Jaccard index, in blocks to bound memory."""
    estimate = np.empty(len(pairs))
    for start in range(0, len(pairs), _PAIRS_PER_BLOCK):
        block = pairs[start : start + _PAIRS_PER_BLOCK]
        estimate[start : start + len(block)] = (
            signature[block[:, 0]] == signature[block[:, 1]]
        ).mean(axis=1)
    return estimate


def _closest_to_consensus(distincts: list[int], weights: np.ndarray, pairs: WordPairs) -> int:
    """Index of the text nearest to the group's consensus (the word pairs most senders use):
    the barest copy of the template, without any one member's additions or omissions."""
    if len(distincts) == 1:
        return 0
    consensus = pairs.consensus(distincts, weights)
    candidates = np.argsort(-weights, kind="stable")[:_TEMPLATE_CANDIDATES]
    scores = [
        len(consensus & (own := pairs.of(distincts[c]))) / max(len(consensus | own), 1)
        for c in candidates
    ]
    return int(candidates[int(np.argmax(scores))])


def _added_words(text: str, template_bigrams: set[tuple[str, str]]) -> str:
    """The runs of words `text` has beyond the template, joined by " … ".

    A word belongs to the template when it forms a template word pair with its left or right
    neighbour; the rest (inserted or replaced words) are additions. Linear in the text, unlike a
    full sequence alignment, which matters for campaigns of thousands of members.
    """
    text = unicodedata.normalize("NFKC", text)
    spans = list(_WORD.finditer(text))
    folded = fold_each([span.group() for span in spans])
    pairs = [pair in template_bigrams for pair in pairwise(folded)]
    runs: list[tuple[int, int]] = []
    for index in range(len(spans)):
        in_template = (index > 0 and pairs[index - 1]) or (index < len(pairs) and pairs[index])
        if in_template:
            continue
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return " … ".join(text[spans[first].start() : spans[last].end()] for first, last in runs)
