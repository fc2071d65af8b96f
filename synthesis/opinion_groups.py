"""Opinion groups: respondents who take similar positions across the scale questions (Polis-style).

Tabulation by category shows what each *kind* of respondent thinks; opinion groups show which
respondents think alike regardless of kind, and on which questions a group stands apart. The
method is Polis's own (polismath `math/conversation.clj`, `pca.clj`, `clusters.clj`), so that a
consultation run in Polis and here yields the same groups:

1. Positions are agreement from -1 (the scale's last, most negative point; a Polis "disagree")
   to +1 (its first, most positive point; "agree"), 0 in the middle (a Polis "pass"). A missing
   position is imputed by the question mean, i.e. it pulls nowhere.
2. PCA to two components over *every* row. A row's projection uses the positions it gave and
   is scaled up by sqrt(questions / answered), so answering few questions does not by itself
   pull a respondent towards the centre.
3. Only the rows asked for (`clustered`; Polis: participants "in the conversation") are grouped.
4. Base clusters: k-means with k = min(100, distinct points). Groups: k-means of the base
   cluster centres weighted by their members, for k = 2 … min(`max_groups`, 2 + bases // 12),
   keeping the k with the highest silhouette over the base centres (unweighted). Clustering
   the base centres, not the respondents, is what keeps a few identical answer patterns
   (common with five-point scales) from scoring as perfect tiny groups. Polis also smooths k
   over successive updates (a new k must win four updates running); a batch run has no
   history, and Polis's first choice is the plain silhouette maximum, which is what we take.

Group positions are reported as agreement, so that **higher means more agreement** everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np
from threadpoolctl import threadpool_limits

from synthesis.snapshot import ConsultationSnapshot

BASE_CLUSTERS = 100  # Polis's base-k
BASES_PER_EXTRA_GROUP = 12  # Polis's max-k-fn: at most 2 + bases // 12 groups


@dataclass(frozen=True)
class DistinguishingPosition:
    """A question on which a group's mean agreement differs from everyone else's.

    Agreement runs from -1 (most negative scale point, "disagree") to +1 (most positive,
    "agree"): a positive `difference` means the group agrees more than the others.
    """

    question_code: str
    group_agreement: float
    rest_agreement: float
    difference: float  # group_agreement - rest_agreement


@dataclass(frozen=True)
class OpinionGroup:
    group_id: int
    size: int
    member_keys: tuple[str, ...]
    composition: dict[str, int]  # category label -> members, largest first
    distinguishing: tuple[DistinguishingPosition, ...]


def agreement(value: int, points: int) -> float:
    """Scale index (0 = most positive of `points`) as agreement from +1 down to -1."""
    return 1.0 - 2.0 * value / (points - 1) if points > 1 else 0.0


class OpinionGroups:
    """Cluster respondents by their positions. Fitted: `groups_`, `projection_`, `silhouette_`.

    `projection_` has one row per clustered respondent, in the order of `keys_`; `labels_` gives
    each one's group id. Groups are numbered by size, largest first. `silhouette_` is None when
    fewer than three distinct answer patterns were given (each pattern then forms a group).
    `base_clusters` is Polis's base-k (0: group the distinct points directly).
    """

    def __init__(
        self,
        max_groups: int = 5,
        n_groups: int | None = None,
        n_distinguishing: int = 3,
        base_clusters: int = BASE_CLUSTERS,
        random_state: int = 0,
    ) -> None:
        self.max_groups = max_groups
        self.n_groups = n_groups
        self.n_distinguishing = n_distinguishing
        self.base_clusters = base_clusters
        self.random_state = random_state

    def fit(self, snapshot: ConsultationSnapshot) -> Self:
        """Group the respondents who took a position on at least one scale question.

        "Vet ikke" counts as missing. Every respondent with a position is grouped: a
        consultation's few questions are all shown to everyone, unlike Polis's stream of
        comments, so there is no "in the conversation" threshold to apply.
        """
        codes = [q.code for q in snapshot.questions if q.kind.has_scale]
        points = len(snapshot.scale)
        rows, keys, categories = [], [], []
        for respondent in snapshot.respondents:
            if respondent.hidden:
                continue
            row = [np.nan] * len(codes)
            for column, code in enumerate(codes):
                answer = respondent.answer(code)
                if answer is not None and answer.value is not None:
                    row[column] = agreement(answer.value, points)
            if not all(np.isnan(row)):
                rows.append(row)
                keys.append(respondent.key)
                categories.append(respondent.category)
        matrix = np.array(rows, dtype=float).reshape(len(rows), len(codes))
        return self.fit_matrix(matrix, keys, columns=codes, categories=categories)

    def fit_matrix(
        self,
        matrix: np.ndarray,
        keys: Sequence[str],
        *,
        columns: Sequence[str] | None = None,
        categories: Sequence[str] | None = None,
        clustered: np.ndarray | None = None,
    ) -> Self:
        """Group the rows of a respondent × question agreement matrix (NaN = no position).

        Works on Polis vote matrices as they are (agree 1, disagree -1, pass 0). All rows shape
        the projection; only the rows where `clustered` is true (default: all) are grouped, and
        `keys_`, `labels_`, `projection_` and the groups cover those rows only.
        """
        matrix = np.asarray(matrix, dtype=float)
        columns = [str(c) for c in range(matrix.shape[1])] if columns is None else list(columns)
        chosen = np.ones(len(matrix), bool) if clustered is None else np.asarray(clustered, bool)
        self.keys_ = [key for key, keep in zip(keys, chosen, strict=True) if keep]
        categories = (
            None
            if categories is None
            else [c for c, keep in zip(categories, chosen, strict=True) if keep]
        )
        # The matrices are small: thread pools only add start-up and spinning on a busy machine
        # (measured 17 s instead of under 1 s for a 281 × 174 Polis matrix under load).
        with threadpool_limits(limits=1):
            self.projection_ = _project(matrix, self.random_state)[chosen]
            matrix = matrix[chosen]
            self.labels_, self.silhouette_ = self._cluster(self.projection_, _patterns(matrix))
        self.groups_ = [
            OpinionGroup(
                group_id=group,
                size=int(members.sum()),
                member_keys=tuple(k for k, m in zip(self.keys_, members, strict=True) if m),
                composition=dict(
                    Counter(c for c, m in zip(categories, members, strict=True) if m).most_common()
                )
                if categories is not None
                else {},
                distinguishing=_distinguishing(matrix, members, columns, self.n_distinguishing),
            )
            for group in range(int(self.labels_.max()) + 1 if len(self.labels_) else 0)
            for members in [self.labels_ == group]
        ]
        return self

    def _cluster(
        self, projection: np.ndarray, pattern: np.ndarray
    ) -> tuple[np.ndarray, float | None]:
        """Group labels numbered by size, and the silhouette of the chosen k (Polis's two
        levels: base clusters of the distinct points, then groups of the base centres)."""
        from sklearn.cluster import KMeans  # scikit-learn loads only when groups are fitted
        from sklearn.metrics import silhouette_score

        first = np.unique(pattern, return_index=True)[1]
        points, counts = projection[first], np.bincount(pattern)
        if len(points) < 3:
            return _by_size(pattern if len(points) == 2 else np.zeros_like(pattern)), None
        if len(points) <= self.base_clusters or not self.base_clusters:
            centres, weights, base_of_point = points, counts, np.arange(len(points))
        else:
            base = KMeans(n_clusters=self.base_clusters, n_init=1, random_state=self.random_state)
            base_of_point = base.fit_predict(points, sample_weight=counts)
            used, base_of_point = np.unique(base_of_point, return_inverse=True)
            centres = base.cluster_centers_[used]
            weights = np.bincount(base_of_point, weights=counts)
        if self.n_groups is not None:
            candidates = [min(self.n_groups, len(centres) - 1)]
        else:
            most = min(self.max_groups, 2 + len(centres) // BASES_PER_EXTRA_GROUP)
            candidates = list(range(2, min(most, len(centres) - 1) + 1))
        best_labels, best_score = np.zeros(len(centres), dtype=np.int64), None
        for k in candidates:
            labels = KMeans(n_clusters=k, n_init=10, random_state=self.random_state).fit_predict(
                centres, sample_weight=weights
            )
            if len(set(labels.tolist())) < 2:
                continue
            score = float(silhouette_score(centres, labels))
            if best_score is None or score > best_score:
                best_labels, best_score = labels, score
        return _by_size(best_labels[base_of_point][pattern]), best_score


def _patterns(matrix: np.ndarray) -> np.ndarray:
    """Number each row's answer pattern (identical rows, missing included, share a number)."""
    marked = np.where(np.isnan(matrix), np.inf, matrix)
    return np.unique(marked, axis=0, return_inverse=True)[1].reshape(-1)


def _by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber cluster labels 0, 1, … from the largest cluster down."""
    sizes = np.bincount(labels)
    renumber = np.empty_like(sizes)
    renumber[np.argsort(-sizes, kind="stable")] = np.arange(len(sizes))
    return renumber[labels]


def _project(matrix: np.ndarray, random_state: int) -> np.ndarray:
    """Centre per question, impute missing as the mean, PCA to two components, Polis scaling."""
    from sklearn.decomposition import PCA

    n_rows, n_columns = matrix.shape
    answered = ~np.isnan(matrix)
    counts = answered.sum(axis=0)
    means = np.divide(np.nansum(matrix, axis=0), counts, out=np.zeros(n_columns), where=counts > 0)
    centred = np.where(answered, matrix - means, 0.0)
    n_components = min(2, n_rows, n_columns)
    if n_components == 0:
        return np.zeros((n_rows, 2))
    projection = PCA(n_components=n_components, random_state=random_state).fit_transform(centred)
    per_row = np.maximum(answered.sum(axis=1), 1)
    projection *= np.sqrt(n_columns / per_row)[:, None]
    if n_components < 2:
        projection = np.hstack([projection, np.zeros((n_rows, 2 - n_components))])
    return projection


def _distinguishing(
    matrix: np.ndarray, members: np.ndarray, columns: list[str], limit: int
) -> tuple[DistinguishingPosition, ...]:
    """The questions where the group's mean agreement differs most from the other respondents'."""
    group_mean = _column_means(matrix[members])
    rest_mean = _column_means(matrix[~members])
    difference = group_mean - rest_mean
    order = [c for c in np.argsort(-np.abs(np.nan_to_num(difference)), kind="stable")]
    return tuple(
        DistinguishingPosition(
            columns[c], float(group_mean[c]), float(rest_mean[c]), float(difference[c])
        )
        for c in order
        if not np.isnan(difference[c])
    )[:limit]


def _column_means(matrix: np.ndarray) -> np.ndarray:
    """Mean of each column over its non-missing entries (NaN where there are none)."""
    counts = (~np.isnan(matrix)).sum(axis=0)
    sums = np.nansum(matrix, axis=0)
    return np.divide(sums, counts, out=np.full(matrix.shape[1], np.nan), where=counts > 0)
