"""Stance in themes: how a theme's members answered the question's scale, and opposite camps.

A theme that gathers "the report is well structured" and "the report is hard to read" shares
words, not a view. For a question with a scale (its own, or its parent's for a sub-question:
"1.a" asks for comments on question 1's assessment), every member's scale position is known,
so a theme whose members stand clearly on both sides is split into one theme per side, each
holding enough authors to be a theme; when one side is too small for that, the theme is kept
and flagged. Neutral answers and members without a position stay with the larger side.

"Clearly on both sides": at least `MIN_MINORITY_SHARE` of the members who took a side are on
the smaller side (tuned on the ArgKP training topics, whose key points are each for or against:
0.25 → 0.10 raised mean best-match F1 from 0.387 to 0.403), and a split needs each side to
hold a theme's minimum of authors. Agreeing means a point above the scale's middle (the scale
runs from most positive to most negative), disagreeing a point below it.

When both sides hold enough answers (`fitting_camps`), themes are found within each side to
begin with (`synthesis.theme_projection`), so the split afterwards only meets the neutral
answers that went with the larger side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from synthesis.snapshot import ConsultationSnapshot

MIN_MINORITY_SHARE = 0.1
MIN_CAMP_PASSAGES = 20
AGREE, NEUTRAL, DISAGREE = 1, 0, -1


def scale_values_for(snapshot: ConsultationSnapshot, code: str) -> tuple[dict[str, int], int]:
    """(respondent key → scale index, number of scale points) for the scale that frames the
    answers to `code`; ({}, 0) when there is none."""
    question = snapshot.question(code)
    if question is None:
        return {}, 0
    if not question.kind.has_scale:
        parent = snapshot.question(code.split(".")[0])
        if parent is None or parent is question or not parent.kind.has_scale:
            return {}, 0
        question = parent
    values = {
        respondent.key: answer.value
        for respondent, answer in snapshot.answers_to(question.code)
        if answer.value is not None and not answer.dont_know
    }
    return values, len(snapshot.scale.points)


def side(value: int | None, size: int) -> int:
    """AGREE, DISAGREE or NEUTRAL (also for no position) on a scale of `size` points."""
    if value is None or size < 2:
        return NEUTRAL
    middle = (size - 1) / 2
    return AGREE if value < middle else DISAGREE if value > middle else NEUTRAL


@dataclass(frozen=True)
class StanceGroup:
    """Members (positions in some list of passages) of one theme after the stance check."""

    members: list[int]
    mixed: bool = False


def split_by_stance(
    members: Sequence[int],
    respondent_of: Sequence[str],
    author_of: Mapping[str, int],
    values: Mapping[str, int],
    size: int,
    min_support: int,
) -> list[StanceGroup]:
    """One group, or two (agreeing, disagreeing) when the theme holds opposite camps."""
    if size < 2:
        return [StanceGroup(list(members))]
    authors: dict[int, set[object]] = {AGREE: set(), DISAGREE: set()}
    for position in members:
        key = respondent_of[position]
        camp = side(values.get(key), size)
        if camp != NEUTRAL:
            authors[camp].add(author_of.get(key, key))
    agree, disagree = len(authors[AGREE]), len(authors[DISAGREE])
    minority = min(agree, disagree)
    if minority == 0 or minority < MIN_MINORITY_SHARE * (agree + disagree):
        return [StanceGroup(list(members))]
    if minority < min_support:
        return [StanceGroup(list(members), mixed=True)]
    larger = AGREE if agree >= disagree else DISAGREE
    parts: dict[int, list[int]] = {AGREE: [], DISAGREE: []}
    for position in members:
        camp = side(values.get(respondent_of[position]), size)
        parts[larger if camp == NEUTRAL else camp].append(position)
    return [StanceGroup(parts[AGREE]), StanceGroup(parts[DISAGREE])]


def fitting_camps(
    respondent_of: Sequence[str],
    fitted_rows: np.ndarray,
    values: Mapping[str, int],
    size: int,
) -> np.ndarray | None:
    """Camp of each passage when both sides of the scale are large enough to have themes of
    their own: 0 for the larger side (with neutral answers and members without a position),
    1 for the smaller; None otherwise.

    Themes found within each camp never mix opposite views, which a split afterwards only
    repairs for themes that happen to be clear-cut. "Large enough": the smaller side holds at
    least `MIN_MINORITY_SHARE` of the respondents who took a side and `MIN_CAMP_PASSAGES` of
    the distinct passages the themes are fitted on (`fitted_rows`), as does the larger camp:
    enough for two themes each.
    """
    if size < 2 or not values:
        return None
    camp_side = np.array([side(values.get(key), size) for key in respondent_of], dtype=np.int64)
    taking_sides = {key: side(value, size) for key, value in values.items()}
    agree = sum(1 for camp in taking_sides.values() if camp == AGREE)
    disagree = sum(1 for camp in taking_sides.values() if camp == DISAGREE)
    smaller = DISAGREE if disagree <= agree else AGREE
    if min(agree, disagree) < MIN_MINORITY_SHARE * (agree + disagree):
        return None
    camps = (camp_side == smaller).astype(np.int64)
    if np.bincount(camps[fitted_rows], minlength=2).min() < MIN_CAMP_PASSAGES:
        return None
    return camps
