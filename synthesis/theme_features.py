"""Passage vectors for theme clustering: TF-IDF of lemma words plus character n-grams of lemmas.

Lemma uni- and bigrams carry the meaning and give themes their readable keywords. Norwegian
writes compounds as one word ("barnevernstjenesten", "barnevernet", "barnevernsarbeid"), so word
features alone would see three unrelated words; character 4–5-grams inside each lemma ("barn",
"arne", "rnev", …) let such passages meet. Character n-grams are computed once per distinct
lemma and spread to passages by a sparse product, which is what makes 100,000 answers cheap:
passages repeat the same few thousand lemmas.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize


def lemma_unigrams_and_bigrams(lemmas: Sequence[str]) -> list[str]:
    """Word features of one passage: its lemmas and each pair of neighbouring lemmas."""
    return [*lemmas, *(f"{first} {second}" for first, second in pairwise(lemmas))]


def _identity(lemmas: Sequence[str]) -> Sequence[str]:
    return lemmas


class LemmaFeatures:
    """TF-IDF of lemma n-grams side by side with TF-IDF of within-lemma character n-grams.

    Both blocks keep their most frequent features (at most `max_word_features` and
    `max_char_features`): NMF's cost grows with the width of the matrix, and rare features
    describe no theme. Each block is L2-normalised per passage, weighted (`char_weight` for
    the character block) and the joined row normalised again, so cosine similarity mixes both
    views. The input to `fit`/`transform` is a list of lemma lists (see
    `synthesis.text.Lemmatizer`).
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
    ) -> None:
        self.min_df = min_df
        self.max_df = max_df
        self.char_ngram_range = char_ngram_range
        self.char_weight = char_weight
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features

    def fit(self, lemma_docs: Sequence[Sequence[str]]) -> LemmaFeatures:
        self.words_ = TfidfVectorizer(
            analyzer=lemma_unigrams_and_bigrams,
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_word_features,
            sublinear_tf=True,
        ).fit(lemma_docs)
        self.lemmas_ = CountVectorizer(analyzer=_identity).fit(lemma_docs)
        lemma_chars = CountVectorizer(
            analyzer="char_wb", ngram_range=self.char_ngram_range, binary=True
        )
        self.lemma_to_chars_ = lemma_chars.fit_transform(self.lemmas_.get_feature_names_out())
        passage_chars = self._passage_chars(lemma_docs)
        document_frequency = np.asarray((passage_chars > 0).sum(axis=0)).ravel()
        document_frequency[document_frequency > self.max_df * passage_chars.shape[0]] = 0
        by_frequency = np.argsort(-document_frequency, kind="stable")[: self.max_char_features]
        self.char_columns_ = np.sort(by_frequency[document_frequency[by_frequency] >= self.min_df])
        self.char_tfidf_ = TfidfTransformer(sublinear_tf=True).fit(
            passage_chars[:, self.char_columns_]
        )
        self.word_feature_names_ = self.words_.get_feature_names_out()
        return self

    def transform(self, lemma_docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        words = normalize(self.words_.transform(lemma_docs))
        chars = self._passage_chars(lemma_docs)[:, self.char_columns_]
        chars = normalize(self.char_tfidf_.transform(chars)) * self.char_weight
        return normalize(sparse.hstack([words, chars], format="csr"))

    def fit_transform(self, lemma_docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        return self.fit(lemma_docs).transform(lemma_docs)

    @property
    def n_word_features_(self) -> int:
        return len(self.word_feature_names_)

    def _passage_chars(self, lemma_docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        return (self.lemmas_.transform(lemma_docs) @ self.lemma_to_chars_).tocsr()
