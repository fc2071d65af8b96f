"""Mean best-match F1: how well predicted themes recover human-coded themes, by their members.

A theme is a set of items (respondent keys; ArgKP argument ids). For one gold theme, its score
is the best F1 over the predicted themes, where a predicted theme's precision is the share of
its members that are in the gold theme and its recall the share of the gold theme it holds.
`gold_to_predicted` averages these scores over the gold themes, each weighted equally, so a
small theme an analyst found counts as much as a large one. `predicted_to_gold` does the same
the other way round (each predicted theme against its best gold theme), which punishes themes
that match nothing; `symmetric` is the mean of the two directions. Over datasets, figures are
macro averages: each topic (ArgKP) or question (seed 004) weighs the same.

Items no analyst put in a theme (an ArgKP argument matching no key point, an answer coded
"Annet / enkeltinnspill") are not themes to find, so they never enter the average over gold
themes. They stay in the evaluated items, though: a predicted theme that swallows them loses
precision, which is what an analyst reading that theme would see. A tool that puts such items
in its own "Annet" bucket instead is not punished for it: a predicted theme counts as the
tool's "Annet" bucket, and is scored as "no theme", when its label starts with "Annet" or
"Other" (case-insensitive) or it has a true `is_other` attribute.

Items left out of scoring altogether (seed 004's cross-references, "Se kommentarer under
punkt 4") are removed from both sides before anything is counted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

OTHER_LABEL_PREFIXES = ("annet", "other")


@dataclass(frozen=True)
class ThemeScores:
    """Best-match F1 of one clustering against one gold standard."""

    gold_to_predicted: float
    predicted_to_gold: float
    per_gold_theme: tuple[float, ...]

    @property
    def symmetric(self) -> float:
        return (self.gold_to_predicted + self.predicted_to_gold) / 2


def f1(gold: Collection[str], predicted: Collection[str]) -> float:
    """Harmonic mean of precision and recall of `predicted` against `gold` (0 when disjoint)."""
    overlap = len(set(gold) & set(predicted))
    return 2 * overlap / (len(gold) + len(predicted)) if overlap else 0.0


def is_other_bucket(label: str, is_other: bool = False) -> bool:
    """Whether a predicted theme is the tool's "Annet / enkeltinnspill" bucket, not a theme."""
    return is_other or label.strip().casefold().startswith(OTHER_LABEL_PREFIXES)


def best_match_scores(
    gold: Sequence[Collection[str]],
    predicted: Sequence[Collection[str]],
    items: Collection[str],
) -> ThemeScores:
    """Scores of `predicted` against `gold`, both restricted to `items` (the scored items).

    `predicted` holds real themes only (no "Annet" bucket); themes empty after restriction are
    dropped on both sides.
    """
    scored = set(items)
    gold_sets = _restricted(gold, scored)
    predicted_sets = _restricted(predicted, scored)
    per_gold = tuple(max((f1(g, p) for p in predicted_sets), default=0.0) for g in gold_sets)
    per_predicted = [max((f1(g, p) for g in gold_sets), default=0.0) for p in predicted_sets]
    return ThemeScores(
        gold_to_predicted=_mean(per_gold),
        predicted_to_gold=_mean(per_predicted),
        per_gold_theme=per_gold,
    )


def macro(values: Iterable[float]) -> float:
    """Unweighted mean over topics or questions (0 for none)."""
    return _mean(list(values))


def _restricted(themes: Sequence[Collection[str]], items: set[str]) -> list[set[str]]:
    restricted = (set(theme) & items for theme in themes)
    return [theme for theme in restricted if theme]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
