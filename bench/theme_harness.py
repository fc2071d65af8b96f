"""Fit the current theme model and the baseline on one gold unit and score both.

The tool is run exactly as `SynthesisPipeline._themes` runs it (a `ThemeModel` with the
pipeline's default parameters, fitted on the whole snapshot and one question code, its result
read through `to_question_themes`), so whatever `synthesis.themes` holds when the benchmark
runs is what is measured. The baseline sees the same scored answers (cross-references
excluded, as the tool excludes them itself), plain (the text only) and, beside it, given the
answers' sides on the scale as the tool is (`bench.theme_baseline.within_sides`). Two
trivial clusterings are scored beside them to calibrate the scale: every answer its own theme,
and all answers one theme; on small questions with small gold themes the first scores well,
so a figure near it is no success.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from bench.theme_baseline import TfidfKMeansBaseline, within_sides
from bench.theme_gold import EvalUnit
from bench.theme_metrics import ThemeScores, best_match_scores, is_other_bucket
from synthesis.theme_stance import scale_values_for, side


@dataclass(frozen=True)
class UnitResult:
    """Tool and baseline scores on one unit, with what each found."""

    dataset: str
    name: str
    items: int
    gold_themes: int
    unassigned: int
    tool: ThemeScores
    tool_themes: int
    tool_other: int
    tool_seconds: float
    baseline: ThemeScores
    baseline_k: int
    baseline_oracle: ThemeScores
    baseline_seconds: float
    baseline_stance: ThemeScores
    baseline_stance_k: int
    singletons: ThemeScores
    one_theme: ThemeScores

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "unit": self.name,
            "items": self.items,
            "gold_themes": self.gold_themes,
            "gold_unassigned": self.unassigned,
            "tool": _scores(self.tool),
            "tool_themes": self.tool_themes,
            "tool_other_bucket_size": self.tool_other,
            "tool_seconds": round(self.tool_seconds, 3),
            "baseline": _scores(self.baseline),
            "baseline_k": self.baseline_k,
            "baseline_oracle_k": _scores(self.baseline_oracle),
            "baseline_seconds": round(self.baseline_seconds, 3),
            "baseline_within_stance": _scores(self.baseline_stance),
            "baseline_within_stance_k": self.baseline_stance_k,
            "reference_singletons": _scores(self.singletons),
            "reference_one_theme": _scores(self.one_theme),
        }


def evaluate_unit(unit: EvalUnit, random_state: int = 0) -> UnitResult:
    answers = unit.scored_answers()
    keys = [key for key, _ in answers]
    texts = [text for _, text in answers]
    gold = [theme.members for theme in unit.gold]

    started = time.perf_counter()
    themes, other = tool_themes(unit, random_state)
    tool_seconds = time.perf_counter() - started

    started = time.perf_counter()
    language = unit.snapshot.language
    chosen = TfidfKMeansBaseline(language=language, random_state=random_state).fit(texts)
    baseline_seconds = time.perf_counter() - started
    oracle = TfidfKMeansBaseline(
        n_clusters=len(gold), language=language, random_state=random_state
    ).fit(texts)
    values, size = scale_values_for(unit.snapshot, unit.question_code)
    sides = [side(values.get(key), size) for key in keys]
    stance_clusters = within_sides(keys, texts, sides, language, random_state)

    return UnitResult(
        dataset=unit.dataset,
        name=unit.name,
        items=len(keys),
        gold_themes=len(gold),
        unassigned=len(unit.unassigned),
        tool=best_match_scores(gold, themes, keys),
        tool_themes=len(themes),
        tool_other=len(other & set(keys)),
        tool_seconds=tool_seconds,
        baseline=best_match_scores(gold, chosen.clusters(keys), keys),
        baseline_k=chosen.n_clusters_,
        baseline_oracle=best_match_scores(gold, oracle.clusters(keys), keys),
        baseline_seconds=baseline_seconds,
        baseline_stance=best_match_scores(gold, stance_clusters, keys),
        baseline_stance_k=len(stance_clusters),
        singletons=best_match_scores(gold, [{key} for key in keys], keys),
        one_theme=best_match_scores(gold, [set(keys)], keys),
    )


def tool_themes(unit: EvalUnit, random_state: int = 0) -> tuple[list[set[str]], set[str]]:
    """The tool's themes as sets of respondent keys, and the members of its "Annet" bucket."""
    from synthesis.themes import ThemeModel  # the current model, loaded only when measured

    model = ThemeModel(n_themes=None, random_state=random_state)
    found = model.fit(unit.snapshot, unit.question_code).to_question_themes()
    themes: list[set[str]] = []
    other: set[str] = set()
    for theme in found.themes:
        if is_other_bucket(theme.label, bool(getattr(theme, "is_other", False))):
            other |= set(theme.respondent_keys)
        else:
            themes.append(set(theme.respondent_keys))
    return themes, other


def _scores(scores: ThemeScores) -> dict[str, Any]:
    return {
        "f1": round(scores.gold_to_predicted, 4),
        "f1_predicted_to_gold": round(scores.predicted_to_gold, 4),
        "f1_symmetric": round(scores.symmetric, 4),
        "per_gold_theme": [round(score, 4) for score in scores.per_gold_theme],
    }
