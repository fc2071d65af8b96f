"""Which passages a theme holds, which themes survive, and the words that describe each.

A passage goes to the theme it is closest to (`synthesis.theme_projection`), but only if it
shares enough with it: a cosine of at least `min_closeness`, and the theme's words (the
projection's `shares_words_`: a cosine of at least its `min_word_closeness` on word features
alone, since character n-grams make everything a little similar to everything, and one of the
theme's characteristic words). A passage close to no theme is in none; an answer with no
passage in any theme goes to the "Annet / enkeltinnspill" bucket (`synthesis.themes`).

A theme needs *support*: at least `MIN_SUPPORT` authors (and `MIN_SUPPORT_SHARE` of all
authors), where one text sent by several respondents, or a campaign, is one author
(`synthesis.theme_dedup`). Themes below it are dissolved one at a time, weakest first, and
their passages go to the next-closest theme that is left, so one long answer's sentences or
two copies of one text never make a theme of their own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from synthesis.text import Passage
from synthesis.theme_projection import ThemeProjection
from synthesis.theme_stance import StanceGroup

MIN_SUPPORT = 2
MIN_SUPPORT_SHARE = 0.01
KEYWORD_CANDIDATES = 40


def min_support(author_of: Mapping[str, int]) -> int:
    """Authors a theme needs: `MIN_SUPPORT`, or `MIN_SUPPORT_SHARE` of all if more."""
    return max(MIN_SUPPORT, math.ceil(MIN_SUPPORT_SHARE * len(set(author_of.values()))))


def assign_passages(
    projection: ThemeProjection,
    passages: Sequence[Passage],
    author_of: Mapping[str, int],
    *,
    min_closeness: float,
) -> np.ndarray:
    """Theme of each passage in `projection.rows_` (-1: none), weak themes dissolved."""
    cosines = projection.cosines_
    n_themes = cosines.shape[1]
    authors = np.array(
        [author_of[passages[row].respondent_key] for row in projection.rows_.tolist()],
        dtype=np.int64,
    )
    span = int(authors.max()) + 1 if len(authors) else 1
    needed = min_support(author_of)
    everyone = np.arange(len(cosines))
    active = np.ones(n_themes, dtype=bool)
    while True:
        theme, closeness = closest_active(cosines, active)
        keep = (closeness.astype(np.float64) >= min_closeness) & (
            projection.shares_words_[everyone, theme]
        )
        theme = np.where(keep, theme, -1)
        held = theme >= 0
        pairs = np.unique(theme[held].astype(np.int64) * span + authors[held])
        support = np.bincount(pairs // span, minlength=n_themes)
        weak = np.flatnonzero(active & (support < needed))
        if len(weak) == 0 or active.sum() <= 1:
            return theme
        active[weak[np.argmin(support[weak])]] = False


def closest_active(cosines: np.ndarray, active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the `active` column of largest cosine (the first of equal ones, as `argmax`)
    and that cosine. A column at a time: a copy of passages × themes with the dissolved
    themes masked, made for each theme dissolved, held two of them at once (160 MB at a
    quarter of a million answers, the question step's peak)."""
    theme = np.zeros(len(cosines), dtype=np.int64)
    closeness = np.full(len(cosines), -np.inf, dtype=cosines.dtype)
    for column in np.flatnonzero(active).tolist():
        values = cosines[:, column]
        closer = values > closeness
        theme[closer] = column
        closeness[closer] = values[closer]
    return theme, closeness


def rank_keywords(projection: ThemeProjection, groups: Sequence[StanceGroup]) -> list[list[str]]:
    """Per group, word features ranked by the share of its authors who use them times how much
    more its sampled passages use them than the others do (`log(p_in / p_out)`), times their
    background weight: the words most of a theme's authors share, and few outside it.

    A keyword must be used by two authors of the theme (when it has two): a word only one
    respondent uses, such as its own name ("Stavanger kommune mener …"), names no theme."""
    presence = projection.sample_words_
    n_sample, n_words = presence.shape
    total = np.asarray(presence.sum(axis=0)).ravel()
    sample_position = {row: i for i, row in enumerate(projection.sample_rows_.tolist())}
    smoothing = 1.0 / max(n_sample, 1)
    ranked = []
    for group in groups:
        inside = [sample_position[row] for row in group.members if row in sample_position]
        if not inside:
            ranked.append([])
            continue
        authors = projection.sample_authors_[inside]
        count_in = np.asarray(presence[inside].sum(axis=0)).ravel()
        p_in = count_in / len(inside)
        p_out = (total - count_in) / max(n_sample - len(inside), 1)
        used = presence[inside].tocoo()
        pairs = np.unique(authors[used.row] * n_words + used.col)
        author_support = np.bincount(pairs % n_words, minlength=n_words)
        author_share = author_support / len(np.unique(authors))
        lift = np.log((p_in + smoothing) / (p_out + smoothing))
        score = author_share * np.maximum(lift, 0) * projection.word_weights_
        if (author_support >= 2).any():
            score[author_support < 2] = -np.inf
        else:  # a theme of one author (possible when `n_themes` is forced): its own words
            score[count_in == 0] = -np.inf
        best = np.argsort(-score, kind="stable")[:KEYWORD_CANDIDATES]
        ranked.append([projection.word_names_[i] for i in best.tolist() if np.isfinite(score[i])])
    return ranked
