"""Themes in the free-text answers to one question: passages clustered with NMF on lemma TF-IDF.

Answers are cut into passages (`synthesis.corpus`), so one long answer can sit in several
themes: an answer belongs to every theme holding at least one of its passages. Answers that
only point to another question ("Se kommentarer under punkt 4") are kept apart as
cross-references. The steps, each in its own module:

1. Duplicates counted once (`synthesis.theme_dedup`): themes are found on distinct passages,
   weighted by how many sent them, and every passage is assigned afterwards; identical and
   near-identical answers and campaign members are one author.
2. Features (`synthesis.theme_features`) with the consultation's own words muted
   (`synthesis.theme_background`: the consulted document, the title and question, and the
   words nearly every respondent uses).
3. The number of themes (`synthesis.theme_number`): `n_themes` when given, else the k at
   which answers are best separated by their dominant theme.
4. Assignment: every passage goes to the theme whose NMF component it is closest to (cosine;
   as good as NMF's own projection here, at a fraction of its cost), unless it shares too
   little with it (`min_closeness`, `min_word_closeness`, one of the theme's characteristic
   words), and a theme raised by fewer than
   `MIN_SUPPORT` authors (or `MIN_SUPPORT_SHARE` of them) is dissolved into the others, one at
   a time, weakest first. Answers with no passage in any theme form the "Annet /
   enkeltinnspill" bucket instead of being forced into a theme.
5. Stance (`synthesis.theme_stance`): a theme whose members clearly answered the scale on
   both sides is split in two, or flagged.
6. Description (`synthesis.theme_summary`, `synthesis.theme_labels`): keywords ranked by how
   much more the theme uses them than the rest of the question, a label phrase, quotes.

Scale: the features and the NMF are fitted once, on a random sample of at most `fit_sample`
distinct passages; all passages are then projected in batches of `TRANSFORM_BATCH`, so time
grows linearly and memory stays flat at 100,000 answers. BLAS runs on one thread: the dense
products here are small (passages × k), and more threads only fight other work on a shared
machine.

Theme ids hash the sorted hashes of the member passages, so an unchanged input gives the same
ids on every run, and human edits (`synthesis.theme_edits`) can find their themes again.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from synthesis.corpus import AnswerText, LemmaDocs, build_corpus
from synthesis.crossref import CrossReference, find_cross_reference
from synthesis.snapshot import ConsultationSnapshot
from synthesis.text import Passage
from synthesis.theme_background import TermBackground, consultation_background
from synthesis.theme_dedup import DistinctPassages, distinct_passages
from synthesis.theme_features import LemmaFeatures
from synthesis.theme_number import SEGMENT_PASSAGES, best_k, largest_k, silhouette_by_k
from synthesis.theme_stance import StanceGroup, scale_values_for, split_by_stance
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
# Fewer distinct passages than this are one theme: two themes need a few passages each.
MIN_FITTED_PASSAGES = 5
TRANSFORM_BATCH = 20_000
BLAS_THREADS = 1
MIN_CLOSENESS = 0.05
RELATIVE_CLOSENESS = 0.0
MIN_WORD_CLOSENESS = 0.1
TOP_WORDS_FOR_MEMBERSHIP = 20
MIN_SUPPORT = 2
MIN_SUPPORT_SHARE = 0.01
KEYWORD_CANDIDATES = 40


@dataclass(frozen=True)
class _Projection:
    """Per usable passage (`rows`): its cosine to each theme (all features, word features
    only) and whether it uses one of each theme's characteristic words; keyword statistics
    from the fitted sample (`sample_rows` × word features)."""

    rows: np.ndarray
    cosines: np.ndarray
    word_cosines: np.ndarray
    uses_top_words: np.ndarray
    sample_rows: np.ndarray
    sample_authors: np.ndarray
    sample_words: sparse.csr_matrix
    word_names: list[str]
    word_weights: np.ndarray


@dataclass(frozen=True)
class _Question:
    """What the description of themes needs beyond their passages."""

    author_of: dict[str, int]
    scale_values: Mapping[str, int]
    scale_size: int


class ThemeModel:
    """Clusters passages of free-text answers into themes (scikit-learn estimator style)."""

    def __init__(
        self,
        n_themes: int | None = None,
        max_themes: int = 12,
        min_df: int = 2,
        max_df: float = 0.5,
        fit_sample: int = 8_000,
        selection_sample: int = 1_000,
        max_iter: int = 200,
        quotes_per_theme: int = 3,
        min_closeness: float = MIN_CLOSENESS,
        relative_closeness: float = RELATIVE_CLOSENESS,
        min_word_closeness: float = MIN_WORD_CLOSENESS,
        require_top_word: bool = True,
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
        self.min_closeness = min_closeness
        self.relative_closeness = relative_closeness
        self.min_word_closeness = min_word_closeness
        self.require_top_word = require_top_word
        self.random_state = random_state

    def fit(
        self,
        snapshot: ConsultationSnapshot,
        question_code: str,
        *,
        collapse: Mapping[str, str] | None = None,
        background: TermBackground | None = None,
    ) -> ThemeModel:
        """Themes of the text answers to `question_code`, with category and sector shares.

        `collapse` maps respondent keys to their campaign's representative (the duplicate
        stage's `collapse_map_`); `background` is the consultation's term background
        (`consultation_background`), built here from the snapshot when not given; the
        pipeline builds it once for all questions.
        """
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
        if background is None:
            background = consultation_background(snapshot, random_state=self.random_state)
        values, size = scale_values_for(snapshot, question_code)
        self.question_code_ = question_code
        self.cross_references_ = cross_references
        return self._fit_answers(answers, background, collapse or {}, values, size)

    def fit_passages(self, texts: Sequence[str], keys: Sequence[str] | None = None) -> ThemeModel:
        """Themes of bare texts (no categories, no scale), keyed by `keys` or by position."""
        keys = keys if keys is not None else [str(index) for index in range(len(texts))]
        self.question_code_ = ""
        self.cross_references_ = {}
        answers = [AnswerText(key, text) for key, text in zip(keys, texts, strict=True)]
        return self._fit_answers(answers, TermBackground.empty(), {}, {}, 0)

    def to_question_themes(self) -> QuestionThemes:
        return QuestionThemes(
            question_code=self.question_code_,
            themes=tuple(self.themes_),
            cross_references={key: ref.target for key, ref in self.cross_references_.items()},
        )

    def _fit_answers(
        self,
        answers: list[AnswerText],
        background: TermBackground,
        collapse: Mapping[str, str],
        scale_values: Mapping[str, int],
        scale_size: int,
    ) -> ThemeModel:
        corpus = build_corpus(answers)
        self.passages_ = corpus.passages
        self.scores_: dict[int, float] = {}
        docs = corpus.docs
        distinct = distinct_passages(
            corpus.passages, docs, {a.respondent_key: a.text for a in answers}, collapse
        )
        question = _Question(distinct.author_of, scale_values, scale_size)
        usable = np.flatnonzero(docs.lengths > 0)
        fitted = distinct.first[docs.lengths[distinct.first] > 0]
        if len(fitted) < MIN_FITTED_PASSAGES:
            self.n_themes_ = 1 if len(usable) else 0
            groups = [StanceGroup(usable.tolist())] if len(usable) else []
            self._set_result(groups, [], np.zeros(len(docs)), [[]] * len(groups), question)
            return self
        with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
            projection = self._project(docs, distinct, fitted, background)
        theme = self._assign(projection, question.author_of)
        closeness = np.zeros(len(docs))
        assigned = theme >= 0
        closeness[projection.rows[assigned]] = projection.cosines[
            np.flatnonzero(assigned), theme[assigned]
        ]
        groups = self._stance_groups(projection.rows, theme, question)
        themed = {self.passages_[row].respondent_key for group in groups for row in group.members}
        other = [
            int(row) for row in usable.tolist() if self.passages_[row].respondent_key not in themed
        ]
        keywords = _keywords(projection, groups)
        self._set_result(groups, other, closeness, keywords, question)
        return self

    # Near-identical passages make NMF's error estimate a tiny negative number under sqrt.
    @np.errstate(invalid="ignore")
    def _project(
        self,
        docs: LemmaDocs,
        distinct: DistinctPassages,
        fitted: np.ndarray,
        background: TermBackground,
    ) -> _Projection:
        """Fit features and NMF on a sample of distinct passages, then project every passage."""
        rng = np.random.default_rng(self.random_state)
        sample = _sorted_sample(rng, fitted, self.fit_sample)
        small = len(fitted) < SMALL_INPUT_PASSAGES
        features = LemmaFeatures(
            min_df=1 if small else self.min_df,
            max_df=1.0 if small else self.max_df,
            lemma_weights=background.weights(docs.lemmas),
        )
        vectors = features.fit_transform(docs.take(sample))
        weights = distinct.weights[distinct.distinct_of[sample]]
        respondent_of = [self.passages_[row].respondent_key for row in sample.tolist()]
        segments = _segments(self.passages_, sample, weights)
        segment_vectors = normalize(segments @ vectors)
        self.n_themes_ = self.n_themes or self._choose_n_themes(segment_vectors, len(sample), rng)
        # each segment weighs as much as its heaviest passage: a campaign's text counts 1 + log n
        heaviest = np.asarray(abs(segments).max(axis=1).todense()).ravel()
        nmf = NMF(
            n_components=self.n_themes_,
            init="nndsvda",
            max_iter=self.max_iter,
            random_state=self.random_state,
        )
        with warnings.catch_warnings():  # not converged in `max_iter`: good enough to assign
            warnings.simplefilter("ignore", ConvergenceWarning)
            nmf.fit(sparse.diags(heaviest) @ segment_vectors)
        unit_components = normalize(nmf.components_)
        n_words = features.n_word_features_
        word_components = normalize(nmf.components_[:, :n_words])
        usable = np.flatnonzero(docs.lengths > 0)
        all_cosines = np.zeros((len(usable), self.n_themes_), dtype=np.float32)
        word_cosines = np.zeros((len(usable), self.n_themes_), dtype=np.float32)
        uses_top_words = np.zeros((len(usable), self.n_themes_), dtype=bool)
        top_words = _top_word_mask(nmf.components_[:, :n_words], TOP_WORDS_FOR_MEMBERSHIP)
        for rows, batch in _batches(docs, usable, features, (sample, vectors)):
            at = np.searchsorted(usable, rows)
            all_cosines[at] = np.asarray(batch @ unit_components.T)
            word_cosines[at] = np.asarray(normalize(batch[:, :n_words]) @ word_components.T)
            present = (batch[:, :n_words] > 0).astype(np.float32)
            uses_top_words[at] = (present @ top_words.T).toarray() > 0
        word_block = vectors[:, : features.n_word_features_]
        return _Projection(
            rows=usable,
            cosines=all_cosines,
            word_cosines=word_cosines,
            uses_top_words=uses_top_words,
            sample_rows=sample,
            sample_authors=np.array(
                [distinct.author_of[key] for key in respondent_of], dtype=np.int64
            ),
            sample_words=(word_block > 0).astype(np.float64).tocsr(),
            word_names=features.word_feature_names_,
            word_weights=features.word_weights_,
        )

    def _choose_n_themes(
        self, segment_vectors: sparse.csr_matrix, n_passages: int, rng: np.random.Generator
    ) -> int:
        """k by the segment silhouette (`synthesis.theme_number`) on a sample of segments."""
        rows = _sorted_sample(rng, np.arange(segment_vectors.shape[0]), self.selection_sample)
        largest = largest_k(n_passages, self.max_themes)
        self.scores_ = silhouette_by_k(
            segment_vectors[rows], range(2, largest + 1), self.random_state
        )
        return best_k(self.scores_)

    def _assign(self, projection: _Projection, author_of: Mapping[str, int]) -> np.ndarray:
        """Theme of each usable passage (-1: none), weak themes dissolved weakest first."""
        cosines = projection.cosines
        n_themes = cosines.shape[1]
        authors = np.array(
            [author_of[self.passages_[row].respondent_key] for row in projection.rows.tolist()],
            dtype=np.int64,
        )
        min_support = max(MIN_SUPPORT, math.ceil(MIN_SUPPORT_SHARE * len(set(author_of.values()))))
        active = np.ones(n_themes, dtype=bool)
        while True:
            masked = np.where(active, cosines, -1.0)
            theme = masked.argmax(axis=1)
            closeness = masked[np.arange(len(theme)), theme]
            shares_words = projection.word_cosines[np.arange(len(theme)), theme]
            uses_top = projection.uses_top_words[np.arange(len(theme)), theme]
            keep = (closeness > 0) & (shares_words >= self.min_word_closeness)
            if self.require_top_word:
                keep &= uses_top
            theme = np.where(keep, theme, -1)
            theme = np.where(closeness >= self._closeness_cut(theme, closeness), theme, -1)
            held = theme >= 0
            span = int(authors.max()) + 1 if len(authors) else 1
            pairs = np.unique(theme[held].astype(np.int64) * span + authors[held])
            support = np.bincount(pairs // span, minlength=n_themes)
            weak = np.flatnonzero(active & (support < min_support))
            if len(weak) == 0 or active.sum() <= 1:
                return theme
            active[weak[np.argmin(support[weak])]] = False

    def _closeness_cut(self, theme: np.ndarray, closeness: np.ndarray) -> np.ndarray:
        """Per passage, the cosine it needs to stay in its theme: `min_closeness`, or
        `relative_closeness` times the median cosine of the theme's passages if higher."""
        held = theme >= 0
        medians = np.zeros(int(theme.max()) + 1 if held.any() else 0)
        for component in np.unique(theme[held]).tolist():
            medians[component] = np.median(closeness[theme == component])
        cut = np.full(len(theme), self.min_closeness)
        cut[held] = np.maximum(cut[held], self.relative_closeness * medians[theme[held]])
        return cut

    def _stance_groups(
        self, rows: np.ndarray, theme: np.ndarray, question: _Question
    ) -> list[StanceGroup]:
        respondent_of = [p.respondent_key for p in self.passages_]
        min_support = max(
            MIN_SUPPORT, math.ceil(MIN_SUPPORT_SHARE * len(set(question.author_of.values())))
        )
        groups: list[StanceGroup] = []
        for component in np.unique(theme[theme >= 0]).tolist():
            members = rows[theme == component].tolist()
            groups += split_by_stance(
                members,
                respondent_of,
                question.author_of,
                question.scale_values,
                question.scale_size,
                min_support,
            )
        return [group for group in groups if group.members]

    def _set_result(
        self,
        groups: Sequence[StanceGroup],
        other: Sequence[int],
        closeness: np.ndarray,
        keywords: Sequence[Sequence[str]],
        question: _Question,
    ) -> None:
        passages = self.passages_
        answerers = {p.respondent_key: p for p in passages}.values()
        by_category = Counter(p.category for p in answerers)
        by_sector = Counter(p.sector for p in answerers)

        def facts(rows: Sequence[int]) -> ThemeFacts:
            return ThemeFacts(
                passages=[passages[i] for i in rows],
                answerers_by_category=by_category,
                answerers_by_sector=by_sector,
                author_of=question.author_of,
                scale_values=question.scale_values,
                scale_size=question.scale_size,
            )

        themes = []
        for group, ranked in zip(groups, keywords, strict=True):
            order = np.argsort(-closeness[group.members], kind="stable").tolist()
            themes.append(
                describe_theme(
                    facts(group.members),
                    ranked,
                    order,
                    quotes=self.quotes_per_theme,
                    mixed_stance=group.mixed,
                )
            )
        themes.sort(key=lambda theme: (-theme.size, theme.theme_id))
        if other:
            themes.append(
                describe_theme(
                    facts(other), (), range(len(other)), quotes=self.quotes_per_theme, is_other=True
                )
            )
        self.themes_ = themes
        self.assignments_ = _assignments(themes)


def _top_word_mask(word_weights: np.ndarray, count: int) -> sparse.csr_matrix:
    """Theme × word feature, 1 for each theme's `count` most characteristic word features:
    by weight times the theme's share of the word's weight over all themes, so that a word
    every theme uses a little ("sak", "strategi") characterises none."""
    share = word_weights / np.maximum(word_weights.sum(axis=0, keepdims=True), 1e-12)
    top = np.argsort(-(word_weights * share), axis=1, kind="stable")[:, :count]
    rows = np.repeat(np.arange(word_weights.shape[0]), top.shape[1])
    mask = sparse.csr_matrix((np.ones(top.size), (rows, top.ravel())), shape=word_weights.shape)
    mask.data[word_weights[rows, top.ravel()] <= 0] = 0
    mask.eliminate_zeros()
    return mask


def _segments(
    passages: Sequence[Passage], rows: np.ndarray, weights: np.ndarray
) -> sparse.csr_matrix:
    """Segment × row matrix: rows (passages) of one answer, `SEGMENT_PASSAGES` consecutive
    ones per segment, each entered with the square root of its fit weight."""
    names = [
        (passages[row].respondent_key, passages[row].index // SEGMENT_PASSAGES)
        for row in rows.tolist()
    ]
    index: dict[tuple[str, int], int] = {}
    segment_of = np.array([index.setdefault(name, len(index)) for name in names])
    return sparse.csr_matrix(
        (np.sqrt(weights), (segment_of, np.arange(len(rows)))), shape=(len(index), len(rows))
    )


def _keywords(projection: _Projection, groups: Sequence[StanceGroup]) -> list[list[str]]:
    """Per group, word features ranked by the share of its authors who use them times how much
    more its sampled passages use them than the others do (`log(p_in / p_out)`), times their
    background weight: the words most of a theme's authors share, and few outside it.

    A keyword must be used by two authors of the theme (when it has two): a word only one
    respondent uses, such as its own name ("Stavanger kommune mener …"), names no theme."""
    presence = projection.sample_words
    n_sample, n_words = presence.shape
    total = np.asarray(presence.sum(axis=0)).ravel()
    sample_position = {row: i for i, row in enumerate(projection.sample_rows.tolist())}
    smoothing = 1.0 / max(n_sample, 1)
    ranked = []
    for group in groups:
        inside = [sample_position[row] for row in group.members if row in sample_position]
        if not inside:
            ranked.append([])
            continue
        authors = projection.sample_authors[inside]
        count_in = np.asarray(presence[inside].sum(axis=0)).ravel()
        p_in = count_in / len(inside)
        p_out = (total - count_in) / max(n_sample - len(inside), 1)
        used = presence[inside].tocoo()
        pairs = np.unique(authors[used.row] * n_words + used.col)
        author_support = np.bincount(pairs % n_words, minlength=n_words)
        author_share = author_support / len(np.unique(authors))
        lift = np.log((p_in + smoothing) / (p_out + smoothing))
        score = author_share * np.maximum(lift, 0) * projection.word_weights
        if (author_support >= 2).any():
            score[author_support < 2] = -np.inf
        else:  # a theme of one author (possible when `n_themes` is forced): its own words
            score[count_in == 0] = -np.inf
        best = np.argsort(-score, kind="stable")[:KEYWORD_CANDIDATES]
        ranked.append([projection.word_names[i] for i in best.tolist() if np.isfinite(score[i])])
    return ranked


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
    background = consultation_background(snapshot, random_state=random_state)
    results = []
    for question in snapshot.questions:
        if not question.kind.has_text:
            continue
        if not any(answer.text for _, answer in snapshot.answers_to(question.code)):
            continue
        model = ThemeModel(n_themes=n_themes, random_state=random_state)
        results.append(
            model.fit(snapshot, question.code, background=background).to_question_themes()
        )
    return results
