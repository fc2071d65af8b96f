"""The plain baseline the theme model must beat: TF-IDF of whole answers, then k-means.

scikit-learn's `TfidfVectorizer` with its default settings and spaCy's stop-word list for the
consultation's language (the lists the tool's own stop words start from, read from spaCy so
that changes to the tool cannot move the baseline), then `KMeans`. It gets the same
information as the tool: the answers' text and nothing else, so its number of clusters is
chosen by cosine silhouette over 2–10 (at most one less than the number of answers). The
benchmark also reports it with the oracle k, the number of gold themes, clearly labelled as
such: that is an upper reference, not a fair competitor. Deterministic for a `random_state`.

The tool reads the answers' positions on the scale and finds themes within each side of it
(`synthesis.theme_stance`). So that its margin is not just the stance, the benchmark also
reports the baseline given the same positions (`within_sides`): k-means as above, fitted
separately on the answers of each side (agreeing, disagreeing, neither or no position).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

K_RANGE = range(2, 11)
_DEFAULT_TOKEN = re.compile(r"(?u)^\w\w+$")  # TfidfVectorizer's default token pattern


class TfidfKMeansBaseline:
    """k-means on TF-IDF vectors; `n_clusters` None chooses k by silhouette over `k_range`."""

    def __init__(
        self,
        n_clusters: int | None = None,
        k_range: range = K_RANGE,
        language: str = "nb",
        random_state: int = 0,
    ) -> None:
        self.n_clusters = n_clusters
        self.k_range = k_range
        self.language = language
        self.random_state = random_state

    def fit(self, texts: Sequence[str]) -> TfidfKMeansBaseline:
        vectors = TfidfVectorizer(stop_words=baseline_stop_words(self.language)).fit_transform(
            texts
        )
        largest = len(texts) - 1
        self.silhouettes_: dict[int, float] = {}
        if self.n_clusters is not None:
            self.n_clusters_ = max(1, min(self.n_clusters, len(texts)))
        elif largest < 2:
            self.n_clusters_ = 1
        else:
            for k in (k for k in self.k_range if k <= largest):
                labels = self._kmeans(vectors, k)
                if len(set(labels.tolist())) > 1:
                    self.silhouettes_[k] = float(silhouette_score(vectors, labels, metric="cosine"))
            self.n_clusters_ = max(self.silhouettes_, key=self.silhouettes_.__getitem__, default=1)
        self.labels_ = self._kmeans(vectors, self.n_clusters_)
        return self

    def clusters(self, keys: Sequence[str]) -> list[set[str]]:
        """The fitted clusters as sets of `keys` (one key per text, in fitting order)."""
        found: dict[int, set[str]] = {}
        for key, label in zip(keys, self.labels_.tolist(), strict=True):
            found.setdefault(label, set()).add(key)
        return [found[label] for label in sorted(found)]

    def _kmeans(self, vectors, k: int) -> np.ndarray:
        # One thread, as the tool runs: on a shared 2-core machine, OpenMP threads in tiny
        # k-means fits only wait for each other (ten times slower here).
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            # Fewer distinct answers than k is fine; k-means says so.
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = KMeans(n_clusters=k, n_init=10, random_state=self.random_state)
            return model.fit_predict(vectors)


def within_sides(
    keys: Sequence[str],
    texts: Sequence[str],
    sides: Sequence[int],
    language: str = "nb",
    random_state: int = 0,
) -> list[set[str]]:
    """The baseline fitted on the answers of each side of the scale on its own (`sides`: one
    side per answer, e.g. `synthesis.theme_stance.side`), clusters of all sides together."""
    clusters: list[set[str]] = []
    for chosen in sorted(set(sides)):
        at = [i for i, one in enumerate(sides) if one == chosen]
        model = TfidfKMeansBaseline(language=language, random_state=random_state)
        if len(at) < 2:
            clusters.append({keys[i] for i in at})
            continue
        model.fit([texts[i] for i in at])
        clusters += model.clusters([keys[i] for i in at])
    return clusters


def baseline_stop_words(language: str) -> list[str]:
    """spaCy's stop words for English or bokmål (nynorsk uses bokmål's, as the tool does),
    keeping only words the default tokenizer can produce, so scikit-learn has nothing to warn of.
    """
    if language == "en":
        from spacy.lang.en.stop_words import STOP_WORDS
    else:
        from spacy.lang.nb.stop_words import STOP_WORDS
    return sorted(word for word in STOP_WORDS if _DEFAULT_TOKEN.match(word))
