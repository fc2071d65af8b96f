"""Vectorised MinHash signatures and LSH banding over many short texts at once.

datasketch's `MinHash`/`MinHashLSH` pay Python overhead per document and per insert (measured:
about 32 s for 100,000 answers on this machine), so the duplicate finder computes the same thing
with NumPy over all documents in one go: word shingles are hashed to 64-bit integers, every
permutation is a multiply-shift hash `(a·x + b) >> 32`, and the per-document minimum is one
`np.minimum.reduceat`. The band/row split for a Jaccard threshold is chosen the way datasketch
does it (minimising the weighted false-positive and false-negative areas).

Words are normalised the same way everywhere (`words`, `words_of_many`, `fold`): Unicode
compatibility form, case folded, accents dropped (but å, æ and ø kept), punctuation dropped;
`TokenIds` then gives every number one id, so retyped, re-cased or re-dated copies compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import chain

import numpy as np

_WORD = re.compile(r"\w+")
_SEPARATOR = "\x00"
_ASCII_NON_WORD = bytes(b for b in range(128) if not (chr(b).isalnum() or chr(b) in "_\x00"))
_ASCII_NON_WORD_TO_SPACE = bytes.maketrans(_ASCII_NON_WORD, b" " * len(_ASCII_NON_WORD))
_NUMBER = "0"  # every number is this word for the word ids


def _accent_folding() -> dict[int, str]:
    """Latin letters with diacritics -> their base letters ("é" -> "e", "ü" -> "u"), except the
    Nordic letters å, æ and ø, which are letters of their own, not accented ones."""
    table = {}
    for code in range(0xC0, 0x250):
        letter = unicodedata.normalize("NFKD", chr(code))
        base = "".join(c for c in letter if not unicodedata.combining(c))
        if base and base != chr(code) and chr(code) not in "åÅ":
            table[code] = base
    return table


_ACCENT_FOLD = _accent_folding()
_ACCENTED = re.compile("[" + "".join(map(chr, _ACCENT_FOLD)) + "]")
_COMMON_MARKS = "«»“”‘’–—•\uf0b7"
_MIX_BLOCK = 1 << 20  # tokens hashed at a time
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
# Shingles hashed per block (× num_perm × 8 bytes: 64 MB at 128 permutations).
_SHINGLES_PER_BLOCK = 65_536


def fold(text: str) -> str:
    """Case-folded, accents dropped ("Idé" -> "ide", as members who retype a text often do)."""
    text = text.casefold()
    return text.translate(_ACCENT_FOLD) if _ACCENTED.search(text) else text


def fold_each(words: list[str]) -> list[str]:
    """`fold` of every word, with one accent check for all of them."""
    folded = [word.casefold() for word in words]
    if _ACCENTED.search(" ".join(folded)):
        return [word.translate(_ACCENT_FOLD) for word in folded]
    return folded


def words(text: str) -> list[str]:
    """Normalised words: Unicode-compatible, folded (`fold`), punctuation dropped."""
    return _WORD.findall(fold(unicodedata.normalize("NFKC", text)))


def words_of_many(texts: Sequence[str]) -> list[list[str]]:
    """`words` of every text, much faster than one regex call per text.

    The texts are joined, ASCII punctuation becomes spaces with one bytes translation and the
    commonest typographic marks with `str.replace`, then a plain `split` does the rest; only
    texts with an accented letter pay for `str.translate`. A text whose
    pieces are not all alphanumeric after that (a rarer mark, an underscore) falls back to the
    regex, so the result always equals `words`. Normalising text by text is faster than
    normalising the joined string, where one "…" sends everything down the slow path.
    """
    joined = _SEPARATOR.join(
        unicodedata.normalize("NFKC", text).replace(_SEPARATOR, " ") for text in texts
    ).casefold()
    for mark in _COMMON_MARKS:
        joined = joined.replace(mark, " ")
    spaced = joined.encode("utf-8").translate(_ASCII_NON_WORD_TO_SPACE).decode("utf-8")
    documents = []
    for part in spaced.split(_SEPARATOR):
        if _ACCENTED.search(part):
            part = part.translate(_ACCENT_FOLD)
        tokens = part.split()
        documents.append(tokens if all(map(str.isalnum, tokens)) else _WORD.findall(part))
    return documents


class TokenIds:
    """Word ids of documents added batch by batch, words numbered in first-seen order, so the
    token strings of all documents never have to coexist (at 100,000 answers the lists of word
    strings alone took over half a gigabyte). Shingle hashes, fingerprints and word pairs are
    all computed from these ids. Every number gets one id, so dates and figures that members
    of one campaign fill in differently compare equal."""

    def __init__(self) -> None:
        self._word_ids: dict[str, int] = {_NUMBER: 0}
        self._ids: list[np.ndarray] = []
        self._lengths: list[np.ndarray] = []

    def add(self, documents: Sequence[Sequence[str]]) -> None:
        """Number the words of `documents` (each a non-empty list of words)."""
        if not documents:
            return
        word_ids = self._word_ids
        flat = list(chain.from_iterable(documents))
        for word in dict.fromkeys(flat):
            if word not in word_ids:
                word_ids[word] = 0 if word.isdecimal() else len(word_ids)
        self._ids.append(np.fromiter(map(word_ids.__getitem__, flat), np.uint32, len(flat)))
        self._lengths.append(np.fromiter(map(len, documents), np.int64, len(documents)))

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """All word ids in document order (uint32), and each document's length."""
        if not self._ids:
            return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64)
        return np.concatenate(self._ids), np.concatenate(self._lengths)


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values, like `np.unique`, whose default hash-based path is two
    orders of magnitude slower than sorting on millions of integers (NumPy 2.4)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def mix_in_place(values: np.ndarray) -> None:
    """`_mix` in place (uint64 `values`), a block at a time: the shifted copies it needs are
    then a block's, not as large as `values` (millions of tokens)."""
    for start in range(0, len(values), _MIX_BLOCK):
        block = values[start : start + _MIX_BLOCK]
        block ^= block >> np.uint64(30)
        block *= _MIX_1
        block ^= block >> np.uint64(27)
        block *= _MIX_2
        block ^= block >> np.uint64(31)


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads token ids and shingle sums over all 64 bits."""
    values = values ^ (values >> np.uint64(30))
    values = values * _MIX_1
    values = values ^ (values >> np.uint64(27))
    values = values * _MIX_2
    return values ^ (values >> np.uint64(31))


def shingle_hashes(
    tokens: np.ndarray, lengths: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Hash the word `size`-shingles of documents (flat token ids, lengths) into one array.

    Returns the hashes and each document's start offset into them. A document shorter than
    `size` words yields one shingle of all its words, so short texts still get a signature.
    Every document must have at least one token.
    """
    if size == 1:  # the same hashes as below, in place, without per-token bookkeeping arrays
        hashes = tokens.astype(np.uint64)
        hashes += _GOLDEN
        for _ in range(3):
            mix_in_place(hashes)
        return hashes, np.concatenate(([0], np.cumsum(lengths)[:-1]))
    tokens = tokens.astype(np.uint64)
    token_start = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    doc_of_token = np.repeat(np.arange(len(lengths)), lengths)
    position = np.arange(len(tokens)) - token_start[doc_of_token]
    remaining = lengths[doc_of_token] - position
    mixed = _mix(tokens + _GOLDEN)
    combined = np.zeros(len(tokens), dtype=np.uint64)
    for offset in range(size):
        shifted = np.zeros(len(tokens), dtype=np.uint64)
        shifted[: len(tokens) - offset] = mixed[offset:]
        inside = remaining > offset
        combined += np.where(inside, _mix(shifted + np.uint64(offset)), np.uint64(0))
    is_start = position <= np.maximum(lengths[doc_of_token] - size, 0)
    counts = np.maximum(lengths - size + 1, 1)
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    return _mix(combined[is_start]), offsets


def signatures(
    hashes: np.ndarray, offsets: np.ndarray, num_perm: int, random_state: int
) -> np.ndarray:
    """MinHash signature matrix (documents × num_perm, uint32) of the shingle hashes.

    Works on blocks of whole documents laid out permutation-major, so the hashing runs in place
    on a cache-sized buffer and the minimum per document is a contiguous `reduceat`.
    """
    rng = np.random.default_rng(random_state)
    multipliers = rng.integers(1, 2**63, size=(num_perm, 1), dtype=np.uint64) | np.uint64(1)
    increments = rng.integers(0, 2**63, size=(num_perm, 1), dtype=np.uint64)
    result = np.empty((len(offsets), num_perm), dtype=np.uint32)
    bounds = np.append(offsets, len(hashes))
    buffer = np.empty((num_perm, _SHINGLES_PER_BLOCK), dtype=np.uint64)
    first_doc = 0
    while first_doc < len(offsets):
        end = bounds[first_doc] + _SHINGLES_PER_BLOCK
        last_doc = max(int(np.searchsorted(bounds, end, side="right")) - 1, first_doc + 1)
        lo, hi = bounds[first_doc], bounds[last_doc]
        if hi - lo <= _SHINGLES_PER_BLOCK:
            block = buffer[:, : hi - lo]
        else:  # a single document longer than a block gets a buffer of its own
            block = np.empty((num_perm, hi - lo), dtype=np.uint64)
        np.multiply(multipliers, hashes[None, lo:hi], out=block)
        block += increments
        block >>= np.uint64(32)
        minima = np.minimum.reduceat(block, offsets[first_doc:last_doc] - lo, axis=1)
        result[first_doc:last_doc] = minima.T
        first_doc = last_doc
    return result


def band_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows per band whose S-curve best separates pairs at `threshold`."""
    grid = np.linspace(0.0, 1.0, 201)
    best, best_error = (1, num_perm), np.inf
    for bands in range(1, num_perm + 1):
        rows = num_perm // bands
        collide = 1.0 - (1.0 - grid**rows) ** bands
        below = grid < threshold
        error = np.trapezoid(np.where(below, collide, 0.0), grid) + np.trapezoid(
            np.where(below, 0.0, 1.0 - collide), grid
        )
        if error < best_error:
            best, best_error = (bands, rows), error
    return best


def candidate_pairs(signature: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Document pairs (i < j) that share at least one band bucket, as an (m, 2) array.

    Within a bucket only neighbours in bucket order and pairs with the bucket's first member are
    returned, not all pairs: enough to connect a group, and linear in the bucket size.
    """
    n_docs = len(signature)
    weights = _mix(np.arange(1, rows + 1, dtype=np.uint64)) | np.uint64(1)
    found = []
    for band in range(bands):
        block = signature[:, band * rows : (band + 1) * rows].astype(np.uint64)
        keys = (block * weights).sum(axis=1) + np.uint64(band)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        same_as_previous = np.zeros(n_docs, dtype=bool)
        same_as_previous[1:] = sorted_keys[1:] == sorted_keys[:-1]
        if not same_as_previous.any():
            continue
        run_start = np.maximum.accumulate(np.where(same_as_previous, 0, np.arange(n_docs)))
        linked = np.flatnonzero(same_as_previous)
        found.append(np.stack([order[linked - 1], order[linked]], axis=1))
        found.append(np.stack([order[run_start[linked]], order[linked]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found), axis=1)
    codes = distinct(pairs[pairs[:, 0] != pairs[:, 1]] @ np.array([n_docs, 1]))
    return np.stack([codes // n_docs, codes % n_docs], axis=1)
