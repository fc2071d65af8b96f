"""Themes in the free-text answers to one question: passages clustered with NMF on lemma TF-IDF.

Answers are cut into passages (`synthesis.corpus`), so one long answer can sit in several
themes: an answer belongs to every theme holding at least one of its passages. Answers that
only point to another question ("Se kommentarer under punkt 4") are kept apart as
cross-references. The steps, each in its own module:

1. Duplicates counted once (`synthesis.theme_dedup`): themes are found on distinct passages,
   weighted by how many sent them; identical and near-identical answers and campaign members
   (the duplicate stage's groups, when it ran first) are one author.
2. Features muted where the consultation's own texts make words common
   (`synthesis.theme_background`: the consulted document, its title, the words nearly every
   respondent uses), and the NMF fitted on segments of answers (`synthesis.theme_projection`).
3. The number of themes (`synthesis.theme_number`): `n_themes` when given, else the k at
   which answer segments are best separated by their dominant theme; on generated corpora
   with a known number of topics it finds that number.
4. Assignment (`synthesis.theme_assignment`): every passage goes to the closest theme that it
   shares enough with, and a theme raised by too few authors is dissolved into the others.
   Answers with no passage in any theme form the "Annet / enkeltinnspill" bucket instead of
   being forced into a theme.
5. Stance (`synthesis.theme_stance`): when both sides of the question's scale hold enough
   answers, themes are found within each side (step 2 fits each camp on its own, and a
   passage joins only its own camp's themes); otherwise a theme whose members clearly
   answered the scale on both sides is split in two, or flagged.
6. Description (`synthesis.theme_summary`, `synthesis.theme_labels`): keywords most of the
   theme's authors share and few others use, a label phrase, informative quotes.

BLAS runs on one thread: the dense products here are small (passages × k), and more threads
only fight other work on a shared machine. Theme ids hash the sorted hashes of the member
passages, so an unchanged input gives the same ids on every run, and human edits
(`synthesis.theme_edits`) can find their themes again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from synthesis.corpus import AnswerText, build_corpus, taken
from synthesis.crossref import CrossReference, find_cross_reference
from synthesis.freed_memory import release_freed_memory
from synthesis.language import Language
from synthesis.snapshot import ConsultationSnapshot
from synthesis.text import shared_lemmatizer
from synthesis.theme_assignment import assign_passages, min_support, rank_keywords
from synthesis.theme_background import TermBackground, consultation_background
from synthesis.theme_dedup import distinct_passages, near_identical_answers
from synthesis.theme_labels import verbal_lemmas
from synthesis.theme_projection import ThemeProjection
from synthesis.theme_stance import (
    StanceGroup,
    fitting_camps,
    scale_values_for,
    split_by_stance,
)
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

# Fewer distinct passages than this are one theme: two themes need a few passages each.
MIN_FITTED_PASSAGES = 5
BLAS_THREADS = 1
MIN_CLOSENESS = 0.05
MIN_WORD_CLOSENESS = 0.1


@dataclass(frozen=True)
class _Question:
    """What the description of themes needs beyond their passages."""

    author_of: dict[str, int]
    scale_values: Mapping[str, int]
    scale_size: int


@dataclass(frozen=True)
class ThemeInput:
    """What the themes of one question read of a snapshot: its text answers, the answers that
    only point to another question, and each respondent's position on its scale."""

    question_code: str
    answers: list[AnswerText]
    cross_references: dict[str, CrossReference]
    scale_values: dict[str, int]
    scale_size: int


def theme_input(snapshot: ConsultationSnapshot, question_code: str) -> ThemeInput:
    """The text answers to `question_code` with their category and sector, the
    cross-references apart, and the scale positions the stance check reads."""
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
    values, size = scale_values_for(snapshot, question_code)
    return ThemeInput(question_code, answers, cross_references, values, size)


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
        min_word_closeness: float = MIN_WORD_CLOSENESS,
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
        self.min_word_closeness = min_word_closeness
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
        if background is None:
            background = consultation_background(snapshot, random_state=self.random_state)
        return self.fit_input(
            theme_input(snapshot, question_code), collapse=collapse, background=background
        )

    def fit_input(
        self,
        given: ThemeInput,
        *,
        collapse: Mapping[str, str] | None = None,
        background: TermBackground,
    ) -> ThemeModel:
        """`fit` on what `theme_input` read of a snapshot, which the caller need not keep.

        `given.answers` is emptied as its answers are cut into passages: at a quarter of a
        million answers their texts are some 200 MB that would otherwise stay until the themes
        are done."""
        self.question_code_ = given.question_code
        self.cross_references_ = given.cross_references
        return self._fit_answers(
            given.answers, background, collapse or {}, given.scale_values, given.scale_size
        )

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
        answer_keys = [answer.respondent_key for answer in answers]
        same_author = near_identical_answers({a.respondent_key: a.text for a in answers})
        corpus = build_corpus(taken(answers))  # the texts go once cut (`fit_input`)
        self.passages_ = corpus.passages
        self.scores_: dict[int, float] = {}
        docs = corpus.docs
        distinct = distinct_passages(corpus.passages, docs, answer_keys, collapse, same_author)
        del answer_keys, same_author
        release_freed_memory()  # the texts and the corpus's lists, before the arrays per theme
        question = _Question(distinct.author_of, scale_values, scale_size)
        usable = np.flatnonzero(docs.lengths > 0)
        if np.count_nonzero(docs.lengths[distinct.first]) < MIN_FITTED_PASSAGES:
            self.n_themes_ = 1 if len(usable) else 0
            groups = [StanceGroup(usable.tolist())] if len(usable) else []
            self._set_result(groups, [], np.zeros(len(docs)), [[]] * len(groups), question)
            return self
        projection = ThemeProjection(
            n_themes=self.n_themes,
            max_themes=self.max_themes,
            min_df=self.min_df,
            max_df=self.max_df,
            fit_sample=self.fit_sample,
            selection_sample=self.selection_sample,
            max_iter=self.max_iter,
            min_word_closeness=self.min_word_closeness,
            random_state=self.random_state,
        )
        camps = None
        if self.n_themes is None:  # a number asked for is the number of themes, not per camp
            camps = fitting_camps(
                [passage.respondent_key for passage in self.passages_],
                distinct.first[docs.lengths[distinct.first] > 0],
                scale_values,
                scale_size,
            )
        with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
            projection.fit(self.passages_, docs, distinct, background, camps)
        self.n_themes_, self.scores_ = projection.n_themes_, projection.scores_
        theme = assign_passages(
            projection,
            self.passages_,
            question.author_of,
            min_closeness=self.min_closeness,
        )
        rows = projection.rows_
        closeness = np.zeros(len(docs))
        assigned = theme >= 0
        closeness[rows[assigned]] = projection.cosines_[np.flatnonzero(assigned), theme[assigned]]
        groups = self._stance_groups(rows, theme, question)
        themed = {self.passages_[row].respondent_key for group in groups for row in group.members}
        other = [
            int(row) for row in usable.tolist() if self.passages_[row].respondent_key not in themed
        ]
        self._set_result(groups, other, closeness, rank_keywords(projection, groups), question)
        return self

    def _stance_groups(
        self, rows: np.ndarray, theme: np.ndarray, question: _Question
    ) -> list[StanceGroup]:
        respondent_of = [p.respondent_key for p in self.passages_]
        needed = min_support(question.author_of)
        groups: list[StanceGroup] = []
        for component in np.unique(theme[theme >= 0]).tolist():
            members = rows[theme == component].tolist()
            groups += split_by_stance(
                members,
                respondent_of,
                question.author_of,
                question.scale_values,
                question.scale_size,
                needed,
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

        verbs = verbal_lemmas(passages, _lemmas_of_words)

        def facts(rows: Sequence[int]) -> ThemeFacts:
            return ThemeFacts(
                passages=[passages[i] for i in rows],
                answerers_by_category=by_category,
                answerers_by_sector=by_sector,
                author_of=question.author_of,
                scale_values=question.scale_values,
                scale_size=question.scale_size,
                verbal_lemmas=verbs,
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


def _lemmas_of_words(words: Sequence[str], language: Language) -> list[str | None]:
    lemmatizer = shared_lemmatizer()
    return [lemmatizer.lemma(word, language) for word in words]


def _assignments(themes: Sequence[Theme]) -> dict[str, tuple[str, ...]]:
    assigned: dict[str, list[str]] = {}
    for theme in themes:
        for key in theme.respondent_keys:
            assigned.setdefault(key, []).append(theme.theme_id)
    return {key: tuple(ids) for key, ids in assigned.items()}


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
