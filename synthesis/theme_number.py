"""How many themes: the k whose NMF themes have the most coherent keywords (NPMI).

A theme is useful to a reader when its keywords belong together: passages that use one of them
tend to use the others. Normalised pointwise mutual information (NPMI, Bouma 2009) measures
exactly that for a pair of words, from -1 (never together) through 0 (independent) to 1
(always together); a model's coherence is the mean NPMI over the pairs of each theme's top
`TOP_WORDS` lemmas (among lemmas common enough to estimate it), averaged over its themes; a
theme with fewer than two such lemmas scores -1. Each candidate k is fitted once on a sample
of passages (`ThemeModel.selection_sample`), and the most coherent k wins; ties go to the
smaller k.

Silhouette, the usual alternative, keeps rising with k on real text, where passages are short
and share few words: more, smaller clusters always look tighter, so it picks the largest k
allowed. Reconstruction error falls with k by construction and rarely shows a clear elbow.
Coherence, by contrast, drops once themes are split so finely that their keywords are rare
words that do not co-occur. `n_themes` on `ThemeModel` overrides the choice.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning

TOP_WORDS = 10
SELECTION_MAX_ITER = 100
# Words in fewer passages than this are left out of the top words: two rare words that meet in
# a single passage score NPMI ≈ 1 and would make a one-passage "theme" look coherent.
MIN_WORD_PASSAGES = 3
MIN_WORD_SHARE = 0.01


def npmi_coherence(presence: sparse.csr_matrix, themes: Iterable[np.ndarray]) -> float:
    """Mean over `themes` (arrays of column indexes) of the mean NPMI of their column pairs.

    `presence` is passage × word, nonzero where the passage holds the word. A theme with fewer
    than two columns has no pair to hold together and scores -1.
    """
    n_passages = presence.shape[0]
    scores = []
    for columns in themes:
        if len(columns) < 2:
            scores.append(-1.0)
            continue
        held = (presence[:, columns] > 0).astype(np.float64)
        together = (held.T @ held).toarray() / n_passages
        alone = np.diag(together)
        first, second = np.triu_indices(len(columns), k=1)
        joint = together[first, second]
        with np.errstate(divide="ignore", invalid="ignore"):
            pmi = np.log(joint / (alone[first] * alone[second]))
            npmi = np.where(joint >= 1.0, 1.0, pmi / -np.log(joint))
        scores.append(float(np.where(joint > 0, npmi, -1.0).mean()))
    return float(np.mean(scores)) if scores else -1.0


def coherence_by_k(
    vectors: sparse.csr_matrix,
    word_columns: np.ndarray,
    candidates: Iterable[int],
    random_state: int,
) -> dict[int, float]:
    """NPMI coherence of an NMF with k themes on `vectors`, for each k in `candidates`.

    `word_columns` are the columns of `vectors` that are single lemmas: their co-occurrence is
    what coherence is measured on (bigrams would co-occur with their own words trivially).
    """
    presence = vectors[:, word_columns].tocsr()
    passages_with = np.bincount(presence.indices, minlength=presence.shape[1])
    common = passages_with >= max(MIN_WORD_PASSAGES, MIN_WORD_SHARE * presence.shape[0])
    scores: dict[int, float] = {}
    for k in candidates:
        model = NMF(
            n_components=k,
            init="nndsvda",
            max_iter=SELECTION_MAX_ITER,
            random_state=random_state,
        )
        with warnings.catch_warnings():  # short fits, only to compare k
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(vectors)
        weights = model.components_[:, word_columns] * common
        top = [
            np.argsort(-row, kind="stable")[: min(TOP_WORDS, int((row > 0).sum()))]
            for row in weights
        ]
        scores[k] = npmi_coherence(presence, top)
    return scores


def most_coherent(scores: dict[int, float]) -> int:
    """The k with the highest coherence; the smallest such k on a tie."""
    return min(scores, key=lambda k: (-scores[k], k))
