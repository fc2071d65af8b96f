"""Passage vectors for theme clustering: TF-IDF of lemma words plus character n-grams of lemmas.

Lemma uni- and bigrams carry the meaning and give themes their readable keywords. Norwegian
writes compounds as one word ("barnevernstjenesten", "barnevernet", "barnevernsarbeid"), so word
features alone would see three unrelated words; character 4–5-grams inside each lemma (" barn",
"barn", "arne", …, padded like scikit-learn's `char_wb`) let such passages meet, and let a word
misspelt by OCR still share most of its n-grams with the right one.

Everything is built from integer ids (`synthesis.corpus.LemmaDocs`) with numpy and scipy: a
bigram is the pair of neighbouring lemma ids packed into one integer, counts are sparse
matrices made from (row, column) arrays, and the character n-grams are computed once per
distinct lemma and spread to passages by a sparse product (passage × lemma @ lemma × n-gram).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from synthesis.corpus import LemmaDocs


class LemmaFeatures:
    """TF-IDF of lemma uni- and bigrams beside TF-IDF of within-lemma character n-grams.

    Each block keeps the features found in at least `min_df` passages and at most `max_df` of
    them, the most widespread first (at most `max_word_features` and `max_char_features`):
    NMF's cost grows with the width of the matrix, and rare features describe no theme. Term
    frequencies are sublinear (1 + log tf), idf is smoothed as in scikit-learn; each block is
    L2-normalised per passage, the character block weighted by `char_weight`, and the joined
    row normalised again, so cosine similarity mixes both views.

    `lemma_weights` (one per lemma of the docs' lemma table) scales every feature of a lemma:
    the background weights of `synthesis.theme_background`, which mute the words the
    consultation's own texts make common. A bigram gets the geometric mean of its two lemmas',
    a character n-gram the mean weight of the lemmas it comes from.
    """

    def __init__(
        self,
        *,
        min_df: int = 2,
        max_df: float = 0.5,
        char_ngram_range: tuple[int, int] = (4, 5),
        char_weight: float = 0.5,
        max_word_features: int = 5_000,
        max_char_features: int = 5_000,
        lemma_weights: np.ndarray | None = None,
    ) -> None:
        self.min_df = min_df
        self.max_df = max_df
        self.char_ngram_range = char_ngram_range
        self.char_weight = char_weight
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.lemma_weights = lemma_weights

    def fit(self, docs: LemmaDocs) -> LemmaFeatures:
        n_docs = len(docs)
        rows, keys = word_keys(docs)
        distinct_keys, frequency = _document_frequency(rows, keys, n_docs)
        chosen = self._select(frequency, n_docs, self.max_word_features)
        self.word_keys_ = distinct_keys[chosen]  # sorted, for searchsorted in `transform`
        lemma_weights = (
            np.ones(len(docs.lemmas)) if self.lemma_weights is None else self.lemma_weights
        )
        self.word_weights_ = _key_weights(self.word_keys_, lemma_weights)
        self.word_idf_ = _idf(frequency[chosen], n_docs) * self.word_weights_
        self.word_feature_names_ = [_key_name(key, docs.lemmas) for key in self.word_keys_]
        self.unigram_features_ = np.flatnonzero(self.word_keys_ < len(docs.lemmas))

        lemma_chars = lemma_char_ngrams(docs.lemmas, self.char_ngram_range)
        passage_chars = lemma_counts(docs) @ lemma_chars
        char_frequency = np.bincount(passage_chars.indices, minlength=passage_chars.shape[1])
        self.char_columns_ = np.sort(self._select(char_frequency, n_docs, self.max_char_features))
        self.lemma_chars_ = lemma_chars[:, self.char_columns_].tocsr()
        lemma_frequency = np.bincount(docs.lemma_ids, minlength=len(docs.lemmas)).astype(float)
        self.char_weights_ = _column_weights(self.lemma_chars_, lemma_frequency, lemma_weights)
        self.char_idf_ = _idf(char_frequency[self.char_columns_], n_docs) * self.char_weights_
        return self

    def transform(self, docs: LemmaDocs) -> sparse.csr_matrix:
        n_docs = len(docs)
        rows, keys = word_keys(docs)
        columns = np.searchsorted(self.word_keys_, keys)
        columns[columns == len(self.word_keys_)] = 0
        known = self.word_keys_[columns] == keys if len(self.word_keys_) else keys < 0
        words = _counts(rows[known], columns[known], (n_docs, len(self.word_keys_)))
        words = normalize(_sublinear(words) @ sparse.diags(self.word_idf_))
        chars = _sublinear((lemma_counts(docs) @ self.lemma_chars_).tocsr())
        chars = normalize(chars @ sparse.diags(self.char_idf_)) * self.char_weight
        return normalize(sparse.hstack([words, chars], format="csr"))

    def fit_transform(self, docs: LemmaDocs) -> sparse.csr_matrix:
        return self.fit(docs).transform(docs)

    @property
    def n_word_features_(self) -> int:
        return len(self.word_keys_)

    def _select(self, frequency: np.ndarray, n_docs: int, limit: int) -> np.ndarray:
        """Indexes of the features kept: within the df bounds, the `limit` most widespread."""
        allowed = (frequency >= self.min_df) & (frequency <= self.max_df * n_docs)
        candidates = np.flatnonzero(allowed)
        order = np.argsort(-frequency[candidates], kind="stable")[:limit]
        return np.sort(candidates[order])


def word_keys(docs: LemmaDocs) -> tuple[np.ndarray, np.ndarray]:
    """(passage, key) of every lemma and every pair of neighbouring lemmas in a passage.

    A unigram's key is its lemma id; the bigram (a, b) is `V + a * V + b` for V lemmas.
    """
    n_lemmas = len(docs.lemmas)
    rows = docs.row_of_each()
    ids = docs.lemma_ids.astype(np.int64)
    same_passage = rows[1:] == rows[:-1]
    bigrams = n_lemmas + ids[:-1][same_passage] * n_lemmas + ids[1:][same_passage]
    return np.concatenate([rows, rows[:-1][same_passage]]), np.concatenate([ids, bigrams])


def lemma_counts(docs: LemmaDocs) -> sparse.csr_matrix:
    """Passage × lemma counts."""
    return _counts(docs.row_of_each(), docs.lemma_ids, (len(docs), len(docs.lemmas)))


def lemma_char_ngrams(lemmas: tuple[str, ...], ngram_range: tuple[int, int]) -> sparse.csr_matrix:
    """Lemma × character n-gram presence, each lemma padded with a space on both sides."""
    low, high = ngram_range
    index: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    for row, lemma in enumerate(lemmas):
        padded = f" {lemma} "
        size = len(padded)
        grams = {padded[i : i + n] for n in range(low, high + 1) for i in range(size + 1 - n)}
        for gram in grams or (padded,):
            rows.append(row)
            columns.append(index.setdefault(gram, len(index)))
    data = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_matrix((data, (rows, columns)), shape=(len(lemmas), len(index)))


def _counts(rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=shape)
    matrix.sum_duplicates()
    return matrix


def _document_frequency(
    rows: np.ndarray, keys: np.ndarray, n_docs: int
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys (sorted) and in how many passages each occurs."""
    distinct_pairs = np.unique(keys * n_docs + rows)
    return np.unique(distinct_pairs // n_docs, return_counts=True)


def _idf(frequency: np.ndarray, n_docs: int) -> np.ndarray:
    return np.log((1 + n_docs) / (1 + frequency)) + 1


def _sublinear(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    counts = counts.copy()
    np.log(counts.data, out=counts.data)
    counts.data += 1
    return counts


def _column_weights(
    lemma_chars: sparse.csr_matrix, lemma_frequency: np.ndarray, lemma_weights: np.ndarray
) -> np.ndarray:
    """Weight of each character n-gram: the mean weight of the lemmas holding it, each lemma
    counted as often as it occurs, so " kunn" follows "kunnskap" if that is what it mostly
    comes from."""
    occurrences = lemma_frequency @ lemma_chars
    weighted = (lemma_frequency * lemma_weights) @ lemma_chars
    return np.where(occurrences > 0, weighted / np.maximum(occurrences, 1e-12), 1.0)


def _key_weights(keys: np.ndarray, lemma_weights: np.ndarray) -> np.ndarray:
    """Weight of each word key: its lemma's, or for a bigram the geometric mean of its two."""
    n_lemmas = len(lemma_weights)
    weights = np.empty(len(keys))
    unigram = keys < n_lemmas
    weights[unigram] = lemma_weights[keys[unigram]]
    first, second = np.divmod(keys[~unigram] - n_lemmas, n_lemmas)
    weights[~unigram] = np.sqrt(lemma_weights[first] * lemma_weights[second])
    return weights


def _key_name(key: int, lemmas: tuple[str, ...]) -> str:
    n_lemmas = len(lemmas)
    if key < n_lemmas:
        return lemmas[key]
    first, second = divmod(int(key) - n_lemmas, n_lemmas)
    return f"{lemmas[first]} {lemmas[second]}"
