"""Themes in the free-text answers to one question: passages clustered with NMF on lemma TF-IDF.

Answers are cut into passages (`synthesis.corpus`), so one long answer can sit in several
themes: an answer belongs to every theme holding at least one of its passages. Answers that
only point to another question ("Se kommentarer under punkt 4") are kept apart as
cross-references.

Number of themes: `n_themes` when given; otherwise the k in 2 … `max_themes` (and at most a
quarter of the sampled passages) whose themes have the most coherent keywords, by NPMI on a
sample of at most `selection_sample` passages (`synthesis.theme_number` states the criterion
and why it beats silhouette).

Scale: the features and the NMF are fitted once, on a random sample of at most `fit_sample`
passages; all passages are then projected in batches of `TRANSFORM_BATCH`, so time grows
linearly and memory stays flat at 100,000 answers. BLAS runs on one thread: the dense products
here are small (passages × k), and more threads only fight other work on a shared machine.

Theme ids hash the sorted hashes of the member passages, so an unchanged input gives the same
ids on every run, and human edits (`synthesis.theme_edits`) can find their themes again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from synthesis.corpus import AnswerText, LemmaDocs, build_corpus
from synthesis.crossref import CrossReference, find_cross_reference
from synthesis.snapshot import ConsultationSnapshot
from synthesis.theme_features import LemmaFeatures
from synthesis.theme_number import coherence_by_k, most_coherent
from synthesis.theme_summary import (
    QuestionThemes,
    Quote,
    Theme,
    ThemeFacts,
    describe_theme,
    theme_id_for,
)

__all__ = [
    "QuestionThemes",
    "Quote",
    "Theme",
    "ThemeModel",
    "find_themes",
    "theme_id_for",
]

SMALL_INPUT_PASSAGES = 100
PASSAGES_PER_THEME = 4
TRANSFORM_BATCH = 20_000
BLAS_THREADS = 1


@dataclass(frozen=True)
class _Projection:
    """Per passage: its theme (-1 for none) and its cosine to that theme's component."""

    theme: np.ndarray
    closeness: np.ndarray
    keywords: list[list[str]]


class ThemeModel:
    """Clusters passages of free-text answers into themes (scikit-learn estimator style)."""

    def __init__(
        self,
        n_themes: int | None = None,
        max_themes: int = 8,
        min_df: int = 2,
        max_df: float = 0.5,
        fit_sample: int = 20_000,
        selection_sample: int = 2_000,
        max_iter: int = 200,
        quotes_per_theme: int = 3,
        random_state: int = 0,
    ) -> None:
        self.n_themes = n_themes
        self.max_themes = max_themes
        self.min_df = min_df
        self.max_df = max_df
        self.fit_sample = fit_sample
        self.selection_sample = selection_sample
        self.max_iter = max_iter
        self.quotes_per_theme = quotes_per_theme
        self.random_state = random_state

    def fit(self, snapshot: ConsultationSnapshot, question_code: str) -> ThemeModel:
        """Themes of the text answers to `question_code`, with category and sector shares."""
        codes = [question.code for question in snapshot.questions]
        answers: list[AnswerText] = []
        cross_references: dict[str, CrossReference] = {}
        for respondent, answer in snapshot.answers_to(question_code):
            if not answer.text or not answer.text.strip():
                continue
            reference = find_cross_reference(answer.text, codes)
            if reference is not None:
                cross_references[respondent.key] = reference
                continue
            category = snapshot.category(respondent.category)
            sector = str(category.sector) if category else ""
            answers.append(AnswerText(respondent.key, answer.text, respondent.category, sector))
        self.question_code_ = question_code
        self.cross_references_ = cross_references
        return self._fit_answers(answers)

    def fit_passages(self, texts: Sequence[str], keys: Sequence[str] | None = None) -> ThemeModel:
        """Themes of bare texts (no categories), keyed by `keys` or by position."""
        keys = keys if keys is not None else [str(index) for index in range(len(texts))]
        self.question_code_ = ""
        self.cross_references_ = {}
        return self._fit_answers(
            [AnswerText(key, text) for key, text in zip(keys, texts, strict=True)]
        )

    def to_question_themes(self) -> QuestionThemes:
        return QuestionThemes(
            question_code=self.question_code_,
            themes=tuple(self.themes_),
            cross_references={key: ref.target for key, ref in self.cross_references_.items()},
        )

    def _fit_answers(self, answers: list[AnswerText]) -> ThemeModel:
        corpus = build_corpus(answers)
        self.passages_ = corpus.passages
        self.scores_: dict[int, float] = {}
        docs = corpus.docs
        usable = np.flatnonzero(docs.lengths > 0)
        if len(usable) < 2 * PASSAGES_PER_THEME:
            theme = np.full(len(docs), -1)
            theme[usable] = 0
            self._set_result(_Projection(theme, np.zeros(len(docs)), [[]]))
            return self
        with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
            self._set_result(self._project(docs, usable))
        return self

    # Near-identical passages make NMF's error estimate a tiny negative number under sqrt.
    @np.errstate(invalid="ignore")
    def _project(self, docs: LemmaDocs, usable: np.ndarray) -> _Projection:
        """Fit features and NMF on a sample, then give every usable passage its theme."""
        rng = np.random.default_rng(self.random_state)
        sample = _sorted_sample(rng, usable, self.fit_sample)
        small = len(usable) < SMALL_INPUT_PASSAGES
        features = LemmaFeatures(
            min_df=1 if small else self.min_df, max_df=1.0 if small else self.max_df
        )
        sample_vectors = features.fit_transform(docs.take(sample))
        self.n_themes_ = self.n_themes or self._choose_n_themes(sample_vectors, features, rng)
        nmf = NMF(
            n_components=self.n_themes_,
            init="nndsvda",
            max_iter=self.max_iter,
            random_state=self.random_state,
        ).fit(sample_vectors)
        unit_components = normalize(nmf.components_)
        theme = np.full(len(docs), -1)
        closeness = np.zeros(len(docs))
        for rows, vectors in _batches(docs, usable, features, (sample, sample_vectors)):
            weights = nmf.transform(vectors)
            best = weights.argmax(axis=1)
            assigned = weights.max(axis=1) > 0
            theme[rows[assigned]] = best[assigned]
            cosines = np.asarray(vectors @ unit_components.T)
            closeness[rows] = cosines[np.arange(len(rows)), best]
        word_weights = nmf.components_[:, : features.n_word_features_]
        keywords = [
            [features.word_feature_names_[i] for i in np.argsort(-row)[:40] if row[i] > 0]
            for row in word_weights
        ]
        return _Projection(theme, closeness, keywords)

    def _choose_n_themes(
        self, vectors: sparse.csr_matrix, features: LemmaFeatures, rng: np.random.Generator
    ) -> int:
        rows = _sorted_sample(rng, np.arange(vectors.shape[0]), self.selection_sample)
        largest = max(2, min(self.max_themes, len(rows) // PASSAGES_PER_THEME))
        self.scores_ = coherence_by_k(
            vectors[rows], features.unigram_features_, range(2, largest + 1), self.random_state
        )
        return most_coherent(self.scores_)

    def _set_result(self, projection: _Projection) -> None:
        passages = self.passages_
        members: dict[int, list[int]] = {}
        for index in np.flatnonzero(projection.theme >= 0).tolist():
            members.setdefault(int(projection.theme[index]), []).append(index)
        answerers = {p.respondent_key: p for p in passages}.values()
        answerers_by_category = Counter(p.category for p in answerers)
        answerers_by_sector = Counter(p.sector for p in answerers)
        themes = []
        for component, indexes in sorted(members.items()):
            facts = ThemeFacts(
                passages=[passages[i] for i in indexes],
                answerers_by_category=answerers_by_category,
                answerers_by_sector=answerers_by_sector,
            )
            quote_order = np.argsort(-projection.closeness[indexes], kind="stable")
            themes.append(
                describe_theme(
                    facts,
                    projection.keywords[component],
                    quote_order.tolist(),
                    quotes=self.quotes_per_theme,
                )
            )
        themes.sort(key=lambda theme: (-theme.size, theme.theme_id))
        self.themes_ = themes
        self.assignments_ = _assignments(themes)


def _batches(
    docs: LemmaDocs,
    usable: np.ndarray,
    features: LemmaFeatures,
    fitted: tuple[np.ndarray, sparse.csr_matrix],
) -> Iterator[tuple[np.ndarray, sparse.csr_matrix]]:
    """(rows, vectors) of all usable passages; the fitted sample's vectors when it is all."""
    sample, sample_vectors = fitted
    if len(sample) == len(usable):
        yield sample, sample_vectors
        return
    for start in range(0, len(usable), TRANSFORM_BATCH):
        rows = usable[start : start + TRANSFORM_BATCH]
        yield rows, features.transform(docs.take(rows))


def _assignments(themes: Sequence[Theme]) -> dict[str, tuple[str, ...]]:
    assigned: dict[str, list[str]] = {}
    for theme in themes:
        for key in theme.respondent_keys:
            assigned.setdefault(key, []).append(theme.theme_id)
    return {key: tuple(ids) for key, ids in assigned.items()}


def _sorted_sample(rng: np.random.Generator, items: np.ndarray, size: int) -> np.ndarray:
    if len(items) <= size:
        return items
    return np.sort(rng.choice(items, size=size, replace=False))


def find_themes(
    snapshot: ConsultationSnapshot, *, random_state: int = 0, n_themes: int | None = None
) -> list[QuestionThemes]:
    """Themes for every question that has free-text answers, in question order."""
    results = []
    for question in snapshot.questions:
        if not question.kind.has_text:
            continue
        if not any(answer.text for _, answer in snapshot.answers_to(question.code)):
            continue
        model = ThemeModel(n_themes=n_themes, random_state=random_state)
        results.append(model.fit(snapshot, question.code).to_question_themes())
    return results
