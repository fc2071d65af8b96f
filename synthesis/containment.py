"""Campaign members who add text of their own: links by containment, and campaigns grown
around their template.

Whole-text similarity misses a member who pasted the template and wrote as much again of their
own: the two texts share half their words, whatever Jaccard threshold one picks. What such a
member keeps is the template *inside* their text. So texts are compared by the word pairs
(bigrams of normalised words, see `synthesis.minhash`) they share. Word pairs rather than single
words, because two unrelated Norwegian answers on one topic share half their words ("og",
"at", "tjenestene") but few word pairs.

Two steps:

1. **Pairs** of texts are linked when they share at least `MIN_SHARED_PAIRS` (15) word pairs,
   at least `MIN_CONTAINMENT` (60 %) of the smaller text's pairs and at least
   `OVERLAP_OF_LARGER` (40 %) of the larger one's. 15 pairs is a long sentence, more than a
   salutation; 60 % because a member who edits one word in ten keeps about 80 % of the
   template's pairs (each edit breaks two), so one who also dropped a sentence of four still
   passes, while a stock phrase or one shared sentence is far less than 60 % of any answer
   longer than itself plus a line. The 40 % keeps these links, which chain (a linked to b,
   b to c), from running through short answers: an answer made mostly of one sentence that
   others quote would otherwise tie all of them together. A link between two groups that
   are each a campaign already (`min_senders`) joins them only when their templates agree
   (`same_campaign`): one member who kept little but a sentence two templates share merged
   campaigns of 841 and 441 senders in `bench/bench_million.py`.
2. **Templates** take in members with any amount of their own text. Every group of at least
   `min_senders` senders gets a template: the word pairs that more than half of its senders
   use, less the pairs that are common outside it (in more than `TEMPLATE_SPECIFICITY` (4)
   times as many texts as the group has: "barn og", "Vi viser til høringsbrev av"). A group
   whose senders mostly do not hold 60 % of that template (a chain of answers sharing
   different sentences) gets none, nor does one whose template is shorter than 15 pairs. A
   text that is in no group joins the group whose template it holds best, if it holds at least
   `TEMPLATE_COVERAGE` (70 %) of it and 15 pairs, whatever it adds (asymmetric containment
   |template ∩ text| / |template|). 70 % rather than 60 %: a member holds 80–90 % of a
   consensus (which leaves out what members edit differently), while an answer that merely
   quotes the longest sentence of a two-sentence template can hold 60 % of it (seen when
   organic answers and templates share sentences, as in `bench/bench_synthesis.py`). Templates
   are fixed before anyone joins, so a joiner's additions never pull in more texts.

On the generated benchmark (`bench/campaign_quality.py`: members who paraphrase, drop and
reorder sentences and add up to half of their text; decoys sharing stock phrases) this finds
98 % of campaign pairs with 99.99 % precision, where whole-text Jaccard finds 83 %. The
thresholds were set on seeds 0–2 and reported on seeds 3–5.

Candidates stay sub-quadratic. Pairs: texts that share a fingerprint (a word 3-gram whose hash
is 0 modulo 4: the same sample in every text, so a template inside a longer text shows the same
fingerprints) are paired with the bucket's shortest text and with their neighbour in length;
pairs that share too few fingerprints or whose MinHash word-set Jaccard estimate is below
`_MIN_ESTIMATE` (0.35) are dropped (of 77,000 pairs that passed on the benchmarks, 9 had a
lower estimate), and only the rest are counted exactly. Templates: a fingerprint that most of a
group's senders have is one of its template fingerprints, and texts sharing enough of them are
the candidates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import chain

import numpy as np

from synthesis.minhash import distinct, mix_in_place

MIN_SHARED_PAIRS = 15
MIN_CONTAINMENT = 0.6
OVERLAP_OF_LARGER = 0.4
TEMPLATE_SPECIFICITY = 4
TEMPLATE_COVERAGE = 0.7
FINGERPRINT_WORDS = 3
FINGERPRINT_SAMPLE = 4
# Candidate pairs sharing fewer fingerprints than this share of the smaller text's are not
# counted exactly (a one-in-four sample of 3-grams estimates the share of common word pairs).
_FINGERPRINT_MARGIN = 0.3
# ... nor are pairs whose MinHash estimate of the word-set Jaccard index is below this.
_MIN_ESTIMATE = 0.35
_PAIRS_PER_BLOCK = 16_384
_ENTRIES_PER_BLOCK = 1 << 20  # fingerprint entries paired at a time
# Word-pair sets kept for reuse; the cache is emptied when full (each set costs kilobytes).
_CACHED_SETS = 4096
# A template is the consensus of at most this many distinct texts (the most frequent).
TEMPLATE_SOURCES = 64
_GRAM_WEIGHTS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)  # odd constants
_NO_PAIR = np.uint64(2**64 - 1)


class WordPairs:
    """The set of word pairs of each text, built on first use from the texts' word ids."""

    def __init__(self, ids: np.ndarray, lengths: np.ndarray) -> None:
        self._ids = ids
        self._bounds = np.concatenate(([0], np.cumsum(lengths)))
        self._sets: dict[int, frozenset[int]] = {}

    def of(self, text: int) -> frozenset[int]:
        found = self._sets.get(text)
        if found is None:
            if len(self._sets) >= _CACHED_SETS:
                self._sets.clear()
            ids = self._ids[self._bounds[text] : self._bounds[text + 1]].astype(np.uint64)
            found = frozenset(((ids[:-1] << np.uint64(32)) | ids[1:]).tolist())
            self._sets[text] = found
        return found

    def contained(self, first: int, second: int) -> bool:
        """Whether one of the two texts contains the other (step 1 of the module docstring)."""
        left, right = self.of(first), self.of(second)
        shared = len(left & right)
        smaller, larger = sorted((len(left), len(right)))
        return (
            shared >= MIN_SHARED_PAIRS
            and shared >= MIN_CONTAINMENT * smaller
            and shared >= OVERLAP_OF_LARGER * larger
        )

    def consensus(self, texts: list[int], weights: np.ndarray) -> frozenset[int]:
        """Word pairs used by more than half of the senders of `texts` (the most frequent
        `TEMPLATE_SOURCES` texts vote)."""
        order = np.argsort(-weights, kind="stable")[:TEMPLATE_SOURCES]
        votes: Counter[int] = Counter()
        for position in order:
            for pair in self.of(texts[position]):
                votes[pair] += int(weights[position])
        half = weights[order].sum() / 2
        return frozenset(pair for pair, count in votes.items() if count > half)

    def held_by_most(self, template: frozenset[int], texts: list[int], weights: np.ndarray) -> bool:
        """Whether most senders of `texts` hold 60 % of the template."""
        order = np.argsort(-weights, kind="stable")[:TEMPLATE_SOURCES]
        holding = sum(
            int(weights[position])
            for position in order
            if len(template & self.of(texts[position])) >= MIN_CONTAINMENT * len(template)
        )
        return holding > weights[order].sum() / 2

    def text_counts(self, wanted: np.ndarray) -> np.ndarray:
        """In how many texts each of the sorted word pairs `wanted` occurs (a pair repeated
        within a text counts each time)."""
        counts = np.zeros(len(wanted), dtype=np.int64)
        if not len(wanted):
            return counts
        for start in range(0, len(self._ids), 1 << 20):  # in blocks, to bound memory
            ids = self._ids[start : start + (1 << 20) + 1].astype(np.uint64)
            codes = (ids[:-1] << np.uint64(32)) | ids[1:]
            inside = self._bounds[1:-1] - 1 - start  # pairs across two texts are none
            codes[inside[(inside >= 0) & (inside < len(codes))]] = _NO_PAIR
            at = np.minimum(np.searchsorted(wanted, codes), len(wanted) - 1)
            np.add.at(counts, at[wanted[at] == codes], 1)
        return counts


@dataclass(frozen=True)
class Fingerprints:
    """Each text's sampled word 3-grams as entries (text, bucket), sorted by bucket."""

    text: np.ndarray
    bucket: np.ndarray
    per_text: np.ndarray  # distinct fingerprints per text
    n_buckets: int

    @classmethod
    def of(cls, ids: np.ndarray, lengths: np.ndarray) -> Fingerprints:
        hashes = _gram_hashes(ids)
        bounds = np.cumsum(lengths)
        for last in range(1, FINGERPRINT_WORDS):  # 3-grams that run into the next text
            ends = bounds - last
            hashes[ends[(ends >= 0) & (ends < len(hashes))]] = np.uint64(1)
        at = np.flatnonzero(hashes % np.uint64(FINGERPRINT_SAMPLE) == 0)
        hashes = hashes[at]
        text = np.searchsorted(bounds, at, side="right")
        order = np.lexsort((text, hashes))
        hashes, text = hashes[order], text[order]
        new = np.ones(len(hashes), dtype=bool)
        new[1:] = (hashes[1:] != hashes[:-1]) | (text[1:] != text[:-1])
        hashes, text = hashes[new], text[new]
        starts = np.ones(len(hashes), dtype=bool)
        starts[1:] = hashes[1:] != hashes[:-1]
        bucket = np.cumsum(starts) - 1
        per_text = np.bincount(text, minlength=len(lengths))
        n_buckets = int(bucket[-1]) + 1 if len(bucket) else 0
        return cls(text.astype(np.int32), bucket.astype(np.int32), per_text, n_buckets)

    def matrix(self):
        """Texts × buckets incidence matrix (CSR), for counting common fingerprints."""
        from scipy.sparse import csr_matrix

        ones = np.ones(len(self.text), dtype=np.float32)
        shape = (len(self.per_text), self.n_buckets)
        return csr_matrix((ones, (self.text, self.bucket)), shape=shape)


def _gram_hashes(ids: np.ndarray) -> np.ndarray:
    """A 64-bit hash of every run of `FINGERPRINT_WORDS` word ids (the last runs are 1)."""
    hashes = np.ones(len(ids), dtype=np.uint64)
    usable = len(ids) - FINGERPRINT_WORDS + 1
    if usable <= 0:
        return hashes
    combined = hashes[:usable]
    combined[:] = 0
    for offset, weight in enumerate(_GRAM_WEIGHTS[:FINGERPRINT_WORDS]):
        word = ids[offset : offset + usable].astype(np.uint64)
        word += np.uint64(1)
        word *= np.uint64(weight)
        combined += word
        del word
    mix_in_place(combined)
    return hashes


def likely_containments(
    fingerprints: Fingerprints, lengths: np.ndarray, signature: np.ndarray
) -> np.ndarray:
    """Candidate pairs (m, 2) for `WordPairs.contained`: sharing enough fingerprints, and with
    a MinHash word-set Jaccard estimate of at least `_MIN_ESTIMATE`."""
    candidates = _bucket_pairs(fingerprints, lengths)
    incidence = fingerprints.matrix()
    counts = fingerprints.per_text
    kept = []
    for start in range(0, len(candidates), _PAIRS_PER_BLOCK):
        block = candidates[start : start + _PAIRS_PER_BLOCK]
        first, second = block[:, 0], block[:, 1]
        similar = (signature[first] == signature[second]).mean(axis=1) >= _MIN_ESTIMATE
        block, first, second = block[similar], first[similar], second[similar]
        common = np.asarray(incidence[first].multiply(incidence[second]).sum(axis=1)).ravel()
        smaller = np.minimum(counts[first], counts[second])
        larger = np.maximum(counts[first], counts[second])
        enough = (common >= np.maximum(_FINGERPRINT_MARGIN * smaller, 1)) & (
            common >= _FINGERPRINT_MARGIN * OVERLAP_OF_LARGER / MIN_CONTAINMENT * larger
        )
        kept.append(block[enough])
    return np.concatenate(kept) if kept else np.empty((0, 2), dtype=np.int64)


def _bucket_pairs(fingerprints: Fingerprints, lengths: np.ndarray) -> np.ndarray:
    """Within each fingerprint bucket, every text with the bucket's shortest text and with its
    neighbour in length: linear in the bucket size, and a bare template (the shortest member)
    meets every text that holds it.

    Buckets are taken `_ENTRIES_PER_BLOCK` entries at a time (whole buckets; the entries are
    sorted by bucket): the sort keys, partners and pair codes of all nine million entries of a
    quarter of a million answers at once took 450 MB, the duplicate search's peak."""
    text, bucket = fingerprints.text, fingerprints.bucket
    if not len(text):
        return np.empty((0, 2), dtype=np.int64)
    n_texts, longest = len(lengths), int(lengths.max()) + 1
    parts = []
    start = 0
    while start < len(bucket):
        end = min(start + _ENTRIES_PER_BLOCK, len(bucket))
        if end < len(bucket):  # up to the end of the last bucket the block starts
            end = int(np.searchsorted(bucket, bucket[end], side="left"))
            if end <= start:  # one bucket larger than a block
                end = int(np.searchsorted(bucket, bucket[start], side="right"))
        parts.append(_pairs_in_buckets(text[start:end], bucket[start:end], lengths, longest))
        start = end
    codes = distinct(np.concatenate(parts)) if len(parts) > 1 else parts[0]
    return np.stack([codes // n_texts, codes % n_texts], axis=1)


def _pairs_in_buckets(
    text: np.ndarray, bucket: np.ndarray, lengths: np.ndarray, longest: int
) -> np.ndarray:
    """`_bucket_pairs` of whole buckets' entries, as distinct codes low · n_texts + high."""
    key = (bucket - bucket[0]).astype(np.int64) * longest + lengths[text]
    order = np.argsort(key, kind="stable")
    del key
    text, bucket = text[order], bucket[order]
    del order
    first = np.ones(len(bucket), dtype=bool)
    first[1:] = bucket[1:] != bucket[:-1]
    run_start = np.maximum.accumulate(np.where(first, np.arange(len(bucket)), 0))
    later = np.flatnonzero(~first)
    partner = np.concatenate([text[run_start[later]], text[later - 1]])
    other = np.concatenate([text[later], text[later]])
    low, high = np.minimum(partner, other), np.maximum(partner, other)
    codes = low.astype(np.int64) * len(lengths) + high
    return distinct(codes[low != high])


def same_campaign(mine: frozenset[int], theirs: frozenset[int]) -> bool:
    """Whether two groups of texts that are each a campaign already circulate one template,
    given their consensuses (`WordPairs.consensus`): those of the one hold `MIN_CONTAINMENT`
    of those of the other (the smaller). Two campaigns whose templates quote one long sentence
    alike ("Plan for helhetlig oppvekst ... er et styrings- og utviklingsverktøy") are linked
    pairwise by a member who kept little but that sentence; their consensuses share only it."""
    shared = len(mine & theirs)
    return shared >= MIN_SHARED_PAIRS and shared >= MIN_CONTAINMENT * min(len(mine), len(theirs))


def template_links(
    fingerprints: Fingerprints,
    root: np.ndarray,
    weights: np.ndarray,
    pairs: WordPairs,
    min_senders: int,
) -> list[tuple[int, int]]:
    """(text, group) links: every text in no group with the group of at least `min_senders`
    senders whose template it holds best (step 2 of the module docstring)."""
    n_texts = len(root)
    group_weight = np.bincount(root, weights=weights, minlength=n_texts)
    text, bucket = fingerprints.text, fingerprints.bucket
    group = root[text]
    eligible = group_weight[group] >= min_senders
    # A bucket is one of a group's template fingerprints when most of its senders have it.
    codes = bucket[eligible].astype(np.int64) * n_texts + group[eligible]
    keys, inverse = np.unique(codes, return_inverse=True)
    held = np.bincount(inverse, weights=weights[text[eligible]])
    is_template = held > group_weight[keys % n_texts] / 2
    template_bucket, template_group = keys[is_template] // n_texts, keys[is_template] % n_texts
    template_size = np.bincount(template_group, minlength=n_texts)
    # Every text alone (no group) in a template bucket is a candidate for that group.
    alone = group_weight[root[text]] == weights[text]
    starts = np.searchsorted(template_bucket, bucket[alone], side="left")
    repeats = np.searchsorted(template_bucket, bucket[alone], side="right") - starts
    rows = np.repeat(starts - np.cumsum(repeats) + repeats, repeats) + np.arange(repeats.sum())
    codes = np.repeat(text[alone], repeats).astype(np.int64) * n_texts + template_group[rows]
    keys, common = np.unique(codes, return_counts=True)
    candidate_text, candidate_group = keys // n_texts, keys % n_texts
    smaller = np.minimum(template_size[candidate_group], fingerprints.per_text[candidate_text])
    likely = common >= np.maximum(_FINGERPRINT_MARGIN * smaller, 2)
    candidate_text, candidate_group = candidate_text[likely], candidate_group[likely]
    if not len(candidate_text):
        return []
    templates = _specific_templates(distinct(candidate_group), root, weights, pairs)
    best: dict[int, tuple[float, int]] = {}
    for candidate, its_group in zip(candidate_text.tolist(), candidate_group.tolist(), strict=True):
        template = templates[its_group]
        shared = len(template & pairs.of(candidate))
        if template and shared >= max(MIN_SHARED_PAIRS, TEMPLATE_COVERAGE * len(template)):
            score = shared / len(template)
            if score > best.get(candidate, (0.0, -1))[0]:
                best[candidate] = (score, its_group)
    return [(candidate, its_group) for candidate, (_, its_group) in best.items()]


def _specific_templates(
    groups: np.ndarray, root: np.ndarray, weights: np.ndarray, pairs: WordPairs
) -> dict[int, frozenset[int]]:
    """Each group's template (its consensus without pairs common outside it), or an empty set
    where the group has none (see the module docstring)."""
    members: dict[int, list[int]] = {int(group): [] for group in groups}
    for text, its_group in enumerate(root.tolist()):
        if its_group in members:
            members[its_group].append(text)
    consensus = {group: pairs.consensus(texts, weights[texts]) for group, texts in members.items()}
    wanted = distinct(np.fromiter(chain.from_iterable(consensus.values()), dtype=np.uint64))
    text_count = dict(zip(wanted.tolist(), pairs.text_counts(wanted).tolist(), strict=True))
    templates = {}
    for group, agreed in consensus.items():
        texts = members[group]
        most = TEMPLATE_SPECIFICITY * len(texts)
        template = frozenset(pair for pair in agreed if text_count[pair] <= most)
        if len(template) < MIN_SHARED_PAIRS or not pairs.held_by_most(
            template, texts, weights[texts]
        ):
            template = frozenset()
        templates[group] = template
    return templates
