"""How many themes: the k at which *answers* are best separated by their dominant theme.

For each candidate k an NMF is fitted on the passages of a sample of answers; every answer is
then given the theme holding most of its passages' weight, and the model is scored by the
cosine silhouette of the answers (each the sum of its passage vectors) under that grouping: how
much closer an answer is to the answers of its own theme than to those of the nearest other
theme. The k with the highest silhouette wins; ties go to the smaller k.

Why answers and not passages: a passage is a sentence or two, and two passages on one topic
often share no word, so on passages every criterion tried either keeps rising with k
(silhouette, its gap against a shuffled null) or rewards the fewest themes (NPMI coherence of
the theme keywords picked 2 on seed 004's questions and on a 952-answer EU corpus, which is
how "Kritikk av rapportens kvalitet" got lost). An answer holds enough words for the topics it
argues to show: on generated corpora with a known number of topics (2–8, `tests/theme_corpora`)
the answer silhouette finds that number, where the passage-level criteria did not.

On real answers topics are less crisp and the silhouette rises slowly with k, so candidates are
capped by how much text there is (`largest_k`): about one theme per `UNITS_PER_THEME` fitted
passages, at least 2 and at most `max_themes`. Themes too small to matter are removed after the
fit by their support (`synthesis.themes`), not here.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score

SELECTION_MAX_ITER = 100
SEGMENT_PASSAGES = 3
UNITS_PER_THEME = 8


def largest_k(n_passages: int, max_themes: int) -> int:
    """The most themes worth trying on `n_passages` distinct passages."""
    return max(2, min(max_themes, math.ceil(math.sqrt(n_passages / 2)), n_passages // 4))


def silhouette_by_k(
    vectors: sparse.csr_matrix, candidates: Iterable[int], random_state: int
) -> dict[int, float]:
    """Cosine silhouette of `vectors` (segments) grouped by their dominant NMF theme, for an
    NMF fitted on them with each k; a k that leaves fewer than two groups, or as many groups
    as rows, scores -1."""
    scores: dict[int, float] = {}
    for k in candidates:
        model = NMF(
            n_components=k, init="nndsvda", max_iter=SELECTION_MAX_ITER, random_state=random_state
        )
        with warnings.catch_warnings():  # short fits, only to compare k
            warnings.simplefilter("ignore", ConvergenceWarning)
            labels = model.fit_transform(vectors).argmax(axis=1)
        groups = len(np.unique(labels))
        if groups < 2 or groups >= vectors.shape[0]:
            scores[k] = -1.0
            continue
        scores[k] = float(silhouette_score(vectors, labels, metric="cosine"))
    return scores


def best_k(scores: dict[int, float]) -> int:
    """The k with the highest score; the smallest such k on a tie."""
    return min(scores, key=lambda k: (-round(scores[k], 6), k))
