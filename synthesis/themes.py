"""Themes in the free-text answers to one question: passages clustered with NMF on lemma TF-IDF.

Answers are cut into passages (`synthesis.text`), so one long answer can sit in several themes:
an answer belongs to every theme holding at least one of its passages. Answers that only point
to another question ("Se kommentarer under punkt 4") are kept apart as cross-references.

Number of themes: unless `n_themes` is given, every k from 2 to `max_themes` (and at most a
quarter of the passages) is fitted on a sample of at most `selection_sample` passages; each
passage goes to its strongest component, and the k with the highest mean silhouette (cosine
distance) of that assignment wins. Silhouette rewards themes whose passages are closer to each
other than to the next theme, which is what a reader of the summary needs.

Scale: the vocabulary and the NMF are fitted on a random sample of at most `fit_sample`
passages; all passages are then projected in batches, so memory stays flat at 100,000 answers.

Theme ids hash the sorted hashes of the member passages, so an unchanged input gives the same
ids on every run, and human edits (`synthesis.theme_edits`) can find their themes again.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score

from synthesis.crossref import CrossReference, find_cross_reference
from synthesis.snapshot import ConsultationSnapshot
from synthesis.text import Lemmatizer, Passage, passages_of_answer
from synthesis.theme_features import LemmaFeatures
from synthesis.theme_summary import Quote, Theme, ThemeFacts, describe_theme, theme_id_for

if TYPE_CHECKING:
    from synthesis.theme_edits import DroppedEdit

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


@dataclass(frozen=True)
class QuestionThemes:
    """The themes of one question, its cross-references (key → code or "general") and the
    human edits that could not be re-applied after a re-run."""

    question_code: str
    themes: tuple[Theme, ...]
    cross_references: dict[str, str]
    dropped_edits: tuple[DroppedEdit, ...] = field(default=())


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
        quotes_per_theme: int = 3,
        random_state: int = 0,
    ) -> None:
        self.n_themes = n_themes
        self.max_themes = max_themes
        self.min_df = min_df
        self.max_df = max_df
        self.fit_sample = fit_sample
        self.selection_sample = selection_sample
        self.quotes_per_theme = quotes_per_theme
        self.random_state = random_state

    def fit(self, snapshot: ConsultationSnapshot, question_code: str) -> ThemeModel:
        """Themes of the text answers to `question_code`, with category and sector shares."""
        codes = [question.code for question in snapshot.questions]
        passages: list[Passage] = []
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
            passages += passages_of_answer(
                respondent.key, answer.text, category=respondent.category, sector=sector
            )
        self.question_code_ = question_code
        self.cross_references_ = cross_references
        return self._fit_passages(passages)

    def fit_passages(self, texts: Sequence[str], keys: Sequence[str] | None = None) -> ThemeModel:
        """Themes of bare texts (no categories), keyed by `keys` or by position."""
        keys = keys if keys is not None else [str(index) for index in range(len(texts))]
        passages = [
            passage
            for key, text in zip(keys, texts, strict=True)
            for passage in passages_of_answer(key, text)
        ]
        self.question_code_ = ""
        self.cross_references_ = {}
        return self._fit_passages(passages)

    def to_question_themes(self) -> QuestionThemes:
        return QuestionThemes(
            question_code=self.question_code_,
            themes=tuple(self.themes_),
            cross_references={key: ref.target for key, ref in self.cross_references_.items()},
        )

    # Near-identical passages make NMF's error estimate a tiny negative number under sqrt.
    @np.errstate(invalid="ignore")
    def _fit_passages(self, passages: list[Passage]) -> ThemeModel:
        self.passages_ = passages
        self.scores_: dict[int, float] = {}
        lemmatizer = Lemmatizer()
        lemma_docs = [lemmatizer.lemmas(p.text, p.language) for p in passages]
        usable = [index for index, lemmas in enumerate(lemma_docs) if lemmas]
        if len(usable) < 2 * PASSAGES_PER_THEME:
            self._set_result(passages, {index: 0 for index in usable}, None, None)
            return self
        rng = np.random.default_rng(self.random_state)
        sample = _sorted_sample(rng, usable, self.fit_sample)
        small = len(usable) < SMALL_INPUT_PASSAGES
        features = LemmaFeatures(
            min_df=1 if small else self.min_df, max_df=1.0 if small else self.max_df
        )
        sample_vectors = features.fit_transform([lemma_docs[i] for i in sample])
        self.n_themes_ = self.n_themes or self._choose_n_themes(sample_vectors, rng)
        nmf = NMF(
            n_components=self.n_themes_,
            init="nndsvda",
            max_iter=400,
            random_state=self.random_state,
        ).fit(sample_vectors)
        theme_of: dict[int, int] = {}
        vectors: list[sparse.csr_matrix] = []
        for start in range(0, len(usable), TRANSFORM_BATCH):
            batch = usable[start : start + TRANSFORM_BATCH]
            batch_vectors = features.transform([lemma_docs[i] for i in batch])
            weights = nmf.transform(batch_vectors)
            for index, row in zip(batch, weights, strict=True):
                if row.max() > 0:
                    theme_of[index] = int(row.argmax())
            vectors.append(batch_vectors)
        stacked = sparse.vstack(vectors, format="csr")
        row_of = {index: row for row, index in enumerate(usable)}
        self._set_result(passages, theme_of, (stacked, row_of), (features, nmf))
        return self

    @np.errstate(invalid="ignore")
    def _choose_n_themes(self, vectors: sparse.csr_matrix, rng: np.random.Generator) -> int:
        rows = _sorted_sample(rng, list(range(vectors.shape[0])), self.selection_sample)
        subset = vectors[rows]
        largest = min(self.max_themes, len(rows) // PASSAGES_PER_THEME)
        best_k, best_score = 2, -np.inf
        for k in range(2, max(largest, 2) + 1):
            model = NMF(
                n_components=k, init="nndsvda", max_iter=200, random_state=self.random_state
            )
            with warnings.catch_warnings():  # quick fits, only to compare k
                warnings.simplefilter("ignore", ConvergenceWarning)
                labels = model.fit_transform(subset).argmax(axis=1)
            score = (
                float(silhouette_score(subset, labels, metric="cosine"))
                if 1 < len(set(labels)) < len(labels)
                else -1.0
            )
            self.scores_[k] = score
            if score > best_score:
                best_k, best_score = k, score
        return best_k

    def _set_result(self, passages, theme_of, vectors, fitted) -> None:
        members: dict[int, list[int]] = {}
        for index, theme in sorted(theme_of.items()):
            members.setdefault(theme, []).append(index)
        answerers_by_category = Counter(
            p.category for p in {p.respondent_key: p for p in passages}.values()
        )
        answerers_by_sector = Counter(
            p.sector for p in {p.respondent_key: p for p in passages}.values()
        )
        themes = []
        for component, indexes in members.items():
            facts = ThemeFacts(
                passages=[passages[i] for i in indexes],
                answerers_by_category=answerers_by_category,
                answerers_by_sector=answerers_by_sector,
            )
            keywords, quote_order = _keywords_and_quote_order(component, indexes, vectors, fitted)
            themes.append(
                describe_theme(facts, keywords, quote_order, quotes=self.quotes_per_theme)
            )
        themes.sort(key=lambda theme: (-theme.size, theme.theme_id))
        self.themes_ = themes
        self.assignments_ = _assignments(themes)


def _keywords_and_quote_order(component, indexes, vectors, fitted) -> tuple[list[str], list[int]]:
    """Top lemma n-grams of the NMF component and member positions, closest to centre first."""
    if fitted is None or vectors is None:
        return [], list(range(len(indexes)))
    features, nmf = fitted
    stacked, row_of = vectors
    word_weights = nmf.components_[component, : features.n_word_features_]
    top = np.argsort(-word_weights)[:40]
    keywords = [str(features.word_feature_names_[i]) for i in top if word_weights[i] > 0]
    member_vectors = stacked[[row_of[i] for i in indexes]]
    centre = np.asarray(member_vectors.mean(axis=0)).ravel()
    closeness = member_vectors @ centre
    return keywords, [int(i) for i in np.argsort(-closeness, kind="stable")]


def _assignments(themes: Sequence[Theme]) -> dict[str, tuple[str, ...]]:
    assigned: dict[str, list[str]] = {}
    for theme in themes:
        for key in theme.respondent_keys:
            assigned.setdefault(key, []).append(theme.theme_id)
    return {key: tuple(ids) for key, ids in assigned.items()}


def _sorted_sample(rng: np.random.Generator, items: list[int], size: int) -> list[int]:
    if len(items) <= size:
        return items
    return sorted(rng.choice(items, size=size, replace=False).tolist())


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
