"""Suggested codes for answers nobody has coded yet, learnt from the ones analysts have coded,
and offered only when a test on those coded answers shows the suggestions are mostly right.

A suggestion that is wrong half the time costs an analyst more than it saves: they must read
the answer anyway, and a wrong code accepted in a hurry skews the counts by category. So before
anything is offered, the suggester is tested the honest way: k-fold cross-validation over the
coded answers (each fold's answers get suggestions from a model that never saw them). The score
threshold is set as low as it can go while the suggestions above it keep `target_precision`
(0.7), judged by the lower end of a confidence interval rather than the measured share, since
on a few dozen answers the measured share flatters: on ArgKP with 60 coded answers per topic
the tested suggestions measured 81 % right, the lower end said 72 % and the untagged answers
got 70 % (`bench/code_suggestions.py`). When no threshold keeps the target, or too few answers
are coded to tell, nothing is suggested, and `quality_` says why.

Training examples are the answers an analyst has finished with: coded, or marked reviewed
(reviewed without any code is a real "none of these"). Features are TF-IDF weights of the
tool's own lemmas (`synthesis.text.Lemmatizer`: spaCy's words, simplemma's lemmas, stop words
removed, nynorsk mapped to bokmål) and lemma pairs. Methods, compared in
`bench/code_suggestions.py` on IBM ArgKP:

- `logreg`: one logistic regression per code (balanced class weights): the default;
- `knn`: the share of similarity among the `n_neighbors` most similar coded answers that
  carry the code;
- `most_frequent`: every answer gets the codes in order of how often they were used: the
  baseline a method must beat.

Estimator conventions as in scikit-learn: `__init__` stores parameters, `fit` learns, fitted
attributes end in `_`, deterministic for a given `random_state`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import TYPE_CHECKING, Literal

import numpy as np

from synthesis.language import detect_language
from synthesis.text import Lemmatizer, clean_text

if TYPE_CHECKING:  # scikit-learn and SciPy load when a suggester is fitted, not with the web app
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

Method = Literal["logreg", "knn", "most_frequent"]
TARGET_PRECISION = 0.7
MIN_CODED_ANSWERS = 20


@dataclass(frozen=True)
class CodedExample:
    """An answer an analyst has finished with: its text and the codes it got (maybe none)."""

    key: str
    text: str
    codes: frozenset[str]


@dataclass(frozen=True)
class Suggestion:
    code: str
    score: float


class Verdict(StrEnum):
    OFFERED = "offered"
    TOO_FEW = "too_few"  # not enough coded answers (or codes used often enough) to test
    TOO_IMPRECISE = "too_imprecise"  # tested, but no threshold was right often enough


@dataclass(frozen=True)
class SuggestionQuality:
    """What the cross-validation on the coded answers found."""

    verdict: Verdict
    coded_answers: int
    target_precision: float
    precision: float | None = None  # of the tested suggestions at the threshold, the share right
    recall: float | None = None  # of the codes analysts set, the share suggested
    # The lower end of the precision's confidence interval: what to expect on new answers.
    expected_precision: float | None = None
    tested_suggestions: int = 0  # suggestions the test made (and checked) at the threshold

    @property
    def offered(self) -> bool:
        return self.verdict == Verdict.OFFERED


class CodeSuggester:
    """Suggests codes for answer texts; offers none unless cross-validation shows they are good."""

    def __init__(
        self,
        *,
        method: Method = "logreg",
        target_precision: float = TARGET_PRECISION,
        min_coded_answers: int = MIN_CODED_ANSWERS,
        min_code_examples: int = 3,
        min_tested_suggestions: int = 10,
        confidence_z: float = 1.0,
        max_per_answer: int = 3,
        n_folds: int = 5,
        n_neighbors: int = 10,
        regularisation: float = 4.0,
        random_state: int = 0,
    ) -> None:
        self.method = method
        self.target_precision = target_precision
        self.min_coded_answers = min_coded_answers
        self.min_code_examples = min_code_examples
        self.min_tested_suggestions = min_tested_suggestions
        self.confidence_z = confidence_z
        self.max_per_answer = max_per_answer
        self.n_folds = n_folds
        self.n_neighbors = n_neighbors
        self.regularisation = regularisation
        self.random_state = random_state

    # Learning ---------------------------------------------------------------------------------

    def fit(self, examples: Sequence[CodedExample]) -> CodeSuggester:
        """Measure suggestions on `examples` by cross-validation, then learn from all of them.

        Too few examples to test are told before any text is read, so a coding page with a
        handful of coded answers never loads the lemmatiser."""
        self.lemmatizer_ = Lemmatizer()
        self.threshold_: float | None = None
        self.model_: _ScoringModel | None = None
        code_sets = [example.codes for example in examples]
        coded = len(code_sets)
        if coded < max(self.min_coded_answers, self.n_folds) or not _learnable_codes(
            code_sets, self.min_code_examples
        ):
            self.quality_ = SuggestionQuality(Verdict.TOO_FEW, coded, self.target_precision)
            return self
        documents = [self._features(example.text) for example in examples]
        scores, correct = self._out_of_fold(documents, code_sets)
        relevant = sum(len(codes) for codes in code_sets)
        self.quality_, self.threshold_ = self._choose_threshold(scores, correct, relevant, coded)
        if self.quality_.offered:
            self.model_ = self._train(documents, code_sets)
        return self

    def _out_of_fold(
        self, documents: list[list[str]], code_sets: list[frozenset[str]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Scores of the suggestions each fold's answers get from a model fitted on the other
        folds, and whether each was right."""
        scores: list[float] = []
        correct: list[bool] = []
        from sklearn.model_selection import KFold

        folds = KFold(self.n_folds, shuffle=True, random_state=self.random_state)
        for train, test in folds.split(np.arange(len(documents))):
            model = self._train([documents[i] for i in train], [code_sets[i] for i in train])
            if model is None:
                continue
            ranked = model.ranked([documents[i] for i in test], self.max_per_answer)
            for index, suggestions in zip(test, ranked, strict=True):
                scores += [suggestion.score for suggestion in suggestions]
                correct += [suggestion.code in code_sets[index] for suggestion in suggestions]
        return np.array(scores, dtype=float), np.array(correct, dtype=bool)

    def _choose_threshold(
        self, scores: np.ndarray, correct: np.ndarray, relevant: int, coded: int
    ) -> tuple[SuggestionQuality, float | None]:
        """The lowest score threshold whose tested suggestions keep the target precision.

        A threshold keeps every suggestion scoring at least as high as it. Thresholds with fewer
        than `min_tested_suggestions` suggestions above them are not trusted, and a threshold
        must reach the target with the lower end of its confidence interval (Wilson score,
        `confidence_z` standard errors), not just with its measured precision: the lowest of
        many thresholds that happen to measure 70 % on a few dozen answers is usually one whose
        suggestions are right less often than that on new answers (`bench/code_suggestions.py`
        measures this). That lower end is also the figure to expect on new answers.
        """
        too_few = SuggestionQuality(Verdict.TOO_FEW, coded, self.target_precision)
        if not len(scores) or not relevant:
            return too_few, None
        order = np.argsort(-scores, kind="stable")
        sorted_scores, hits = scores[order], np.cumsum(correct[order])
        made = np.arange(1, len(scores) + 1)
        ends_tie = np.append(sorted_scores[1:] != sorted_scores[:-1], True)
        candidates = np.flatnonzero(ends_tie & (made >= self.min_tested_suggestions))
        if not len(candidates):
            return too_few, None
        precision = hits[candidates] / made[candidates]
        lower = _wilson_lower_bound(precision, made[candidates], self.confidence_z)
        keeping = np.flatnonzero(lower >= self.target_precision)
        # Offered: the lowest threshold that keeps the target; else the best one, to report.
        chosen = int(keeping[-1]) if len(keeping) else int(np.argmax(lower))
        at = candidates[chosen]
        quality = SuggestionQuality(
            Verdict.OFFERED if len(keeping) else Verdict.TOO_IMPRECISE,
            coded,
            self.target_precision,
            precision=float(precision[chosen]),
            recall=float(hits[at] / relevant),
            expected_precision=float(lower[chosen]),
            tested_suggestions=int(made[at]),
        )
        return quality, float(sorted_scores[at]) if len(keeping) else None

    def _train(
        self, documents: list[list[str]], code_sets: list[frozenset[str]]
    ) -> _ScoringModel | None:
        codes = _learnable_codes(code_sets, self.min_code_examples)
        if not codes:
            return None
        if self.method == "most_frequent":
            return _FrequencyModel(code_sets, codes)
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(
            analyzer=_given_features, sublinear_tf=True, min_df=1, norm="l2"
        )
        matrix = vectorizer.fit_transform(documents)
        if self.method == "knn":
            return _NeighbourModel(vectorizer, matrix, code_sets, codes, self.n_neighbors)
        return _LogisticModel(vectorizer, matrix, code_sets, codes, self.regularisation)

    def _features(self, text: str) -> list[str]:
        """Lemmas and neighbouring lemma pairs of the text."""
        cleaned = clean_text(text)
        lemmas = self.lemmatizer_.lemmas(cleaned, detect_language(cleaned))
        return lemmas + [f"{a} {b}" for a, b in pairwise(lemmas)]

    # Suggesting -------------------------------------------------------------------------------

    def suggest(self, texts: Sequence[str]) -> list[list[Suggestion]]:
        """Up to `max_per_answer` codes per text that reach the threshold; none when not offered."""
        if self.model_ is None or self.threshold_ is None:
            return [[] for _ in texts]
        ranked = self.model_.ranked([self._features(text) for text in texts], self.max_per_answer)
        return [[s for s in suggestions if s.score >= self.threshold_] for suggestions in ranked]


def _wilson_lower_bound(precision: np.ndarray, n: np.ndarray, z: float) -> np.ndarray:
    """The lower end of the Wilson score interval of a share measured on `n` cases."""
    if z <= 0:
        return precision
    centre = precision + z * z / (2 * n)
    spread = z * np.sqrt(precision * (1 - precision) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n)


def _given_features(document: list[str]) -> list[str]:
    """The analyzer for already lemmatised documents (a module function: picklable)."""
    return document


def _learnable_codes(code_sets: Sequence[frozenset[str]], min_examples: int) -> list[str]:
    """Codes used on at least `min_examples` answers and not on all of them, in a stable order."""
    counts: dict[str, int] = {}
    for codes in code_sets:
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    return sorted(code for code, n in counts.items() if min_examples <= n < len(code_sets))


def _memberships(code_sets: Sequence[frozenset[str]], codes: list[str]) -> np.ndarray:
    """An answers × codes 0/1 matrix."""
    return np.array([[code in answer for code in codes] for answer in code_sets], dtype=float)


class _ScoringModel:
    codes: list[str]

    def scores(self, documents: list[list[str]]) -> np.ndarray:  # answers × codes
        raise NotImplementedError

    def ranked(self, documents: list[list[str]], limit: int) -> list[list[Suggestion]]:
        if not documents:
            return []
        matrix = self.scores(documents)
        ranked = []
        for row in matrix:
            best = np.argsort(-row, kind="stable")[:limit]
            ranked.append([Suggestion(self.codes[j], float(row[j])) for j in best if row[j] > 0])
        return ranked


class _FrequencyModel(_ScoringModel):
    def __init__(self, code_sets: Sequence[frozenset[str]], codes: list[str]) -> None:
        self.codes = codes
        self.frequency = _memberships(code_sets, codes).mean(axis=0)

    def scores(self, documents: list[list[str]]) -> np.ndarray:
        return np.tile(self.frequency, (len(documents), 1))


class _NeighbourModel(_ScoringModel):
    def __init__(
        self,
        vectorizer: TfidfVectorizer,
        matrix: sparse.csr_matrix,
        code_sets: Sequence[frozenset[str]],
        codes: list[str],
        n_neighbors: int,
    ) -> None:
        self.codes, self.vectorizer, self.matrix = codes, vectorizer, matrix
        self.members = _memberships(code_sets, codes)
        self.n_neighbors = n_neighbors

    def scores(self, documents: list[list[str]]) -> np.ndarray:
        similarity = (self.vectorizer.transform(documents) @ self.matrix.T).toarray()
        k = min(self.n_neighbors, similarity.shape[1])
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        weights = np.take_along_axis(similarity, nearest, axis=1)
        total = weights.sum(axis=1, keepdims=True)
        votes = np.einsum("ak,akc->ac", weights, self.members[nearest])
        return np.divide(votes, total, out=np.zeros_like(votes), where=total > 0)


class _LogisticModel(_ScoringModel):
    def __init__(
        self,
        vectorizer: TfidfVectorizer,
        matrix: sparse.csr_matrix,
        code_sets: Sequence[frozenset[str]],
        codes: list[str],
        regularisation: float,
    ) -> None:
        from sklearn.linear_model import LogisticRegression

        self.codes, self.vectorizer = codes, vectorizer
        members = _memberships(code_sets, codes)
        self.classifiers = [
            LogisticRegression(C=regularisation, class_weight="balanced", solver="liblinear").fit(
                matrix, members[:, j]
            )
            for j in range(len(codes))
        ]

    def scores(self, documents: list[list[str]]) -> np.ndarray:
        matrix = self.vectorizer.transform(documents)
        return np.column_stack([c.predict_proba(matrix)[:, 1] for c in self.classifiers])
