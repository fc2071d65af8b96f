"""Positions by respondent type: how many chose each scale point, overall, per category and sector.

This is the table a compiled summary opens with ("Helt enig 8, Delvis enig 13 …"). Every question
whose kind is counted by category is tabulated alike: a scale question under the scale's points,
a choice question under its options (the kind says which columns an answer counts in, see
`synthesis.question_kinds`). Counting is done with NumPy on index arrays built once per
snapshot, so a consultation with a hundred thousand answers tabulates in one pass instead of a
Python loop per cell.

Conventions, chosen to match how seed 004 counts:

- *answered* is everyone who gave any answer to the question; a respondent who only wrote text to
  a scale+text question counts as answered but adds no position. *not answered* is the other
  respondents of the consultation, which is what "Sju andre instanser … har ikke svart" states.
- "Vet ikke" (`Answer.dont_know`) is counted apart and never enters percentages, mean or net
  agreement.
- Hidden respondents (moderated away by the secretariat) are left out entirely.
- With `collapse`, respondents mapped to the same representative (the members of a campaign) count
  as one unit, taking the representative's answer when it has one, else the first member's.
- Where one answer may choose several options (multiple choice), each option counts the
  respondents who chose it, and the shares are of the respondents who chose anything
  (`PositionCounts.choosers`), so they need not add up to 100 %.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import numpy as np

from synthesis.snapshot import ConsultationSnapshot, Respondent, Sector

# Codes stored in the per-answer value array besides the 0-based column.
_DONT_KNOW = -1
_TEXT_ONLY = -2
_SEVERAL = -3  # counts in several columns, listed apart


@dataclass(frozen=True)
class PositionCounts:
    """How many chose each scale point (most positive first), or each option of a choice
    question, plus "Vet ikke" kept apart."""

    counts: tuple[int, ...]
    dont_know: int
    total: int  # respondents who took a position or said "Vet ikke"
    # Where one respondent may choose several options: how many chose at least one.
    choosers: int | None = None
    # The columns are the scale's points: mean and net agreement mean something.
    ordinal: bool = True

    @property
    def positioned(self) -> int:
        """Respondents who chose a point or an option (the base of every percentage)."""
        return sum(self.counts) if self.choosers is None else self.choosers

    @property
    def percentages(self) -> tuple[float, ...]:
        base = self.positioned
        if base == 0:
            return tuple(0.0 for _ in self.counts)
        return tuple(100.0 * count / base for count in self.counts)

    @property
    def mean(self) -> float | None:
        """Mean position, 1-based: 1 is the first (most positive) point."""
        base = self.positioned
        if base == 0 or not self.ordinal:
            return None
        return sum((index + 1) * count for index, count in enumerate(self.counts)) / base

    @property
    def net_agreement(self) -> float | None:
        """Share agreeing minus share disagreeing, in percentage points (-100..100).

        The agree side is the points before the middle, the disagree side those after it; an
        even scale is split in halves. A middle point counts in the base but on neither side.
        """
        base = self.positioned
        if base == 0 or not self.ordinal:
            return None
        half = len(self.counts) // 2
        agree = sum(self.counts[:half])
        disagree = sum(self.counts[len(self.counts) - half :])
        return 100.0 * (agree - disagree) / base


@dataclass(frozen=True)
class QuestionTabulation:
    """The position table of one scale or choice question; `labels` name its columns."""

    question_code: str
    labels: tuple[str, ...]
    overall: PositionCounts
    by_category: dict[str, PositionCounts]  # keyed by category label, "Forvaltning (Offentlig)"
    by_sector: dict[str, PositionCounts]
    answered: int
    not_answered: int

    @property
    def ordinal(self) -> bool:
        """The columns are the scale's points (a diverging chart, "Vet ikke" as a column)."""
        return self.overall.ordinal


def tabulate(
    snapshot: ConsultationSnapshot, *, collapse: Mapping[str, str] | None = None
) -> list[QuestionTabulation]:
    """Tabulate every question counted by category (scale, choice), in question order."""
    questions = [q for q in snapshot.questions if q.kind.tabulated]
    if not questions:
        return []
    scale = snapshot.scale
    columns = [question.kind.columns(question, scale) for question in questions]
    respondents = [r for r in snapshot.respondents if not r.hidden]
    unit_of, lead_rank = _units(respondents, collapse or {})
    category_names = _category_order(snapshot, respondents)
    category_index = {name: i for i, name in enumerate(category_names)}
    sectors = list(Sector)
    sector_of_category = np.array(
        [_sector_index(snapshot, name, sectors) for name in category_names], dtype=np.int64
    )

    rows_q, rows_unit, rows_rank, rows_value, rows_category = [], [], [], [], []
    several: dict[int, tuple[int, ...]] = {}  # by row: the columns of an answer in several
    for position, respondent in enumerate(respondents):
        for q_index, question in enumerate(questions):
            answer = respondent.answer(question.code)
            if answer is None:
                continue
            chosen = question.kind.chosen(answer, question, scale)
            if len(chosen) == 1:
                value = chosen[0]
            elif chosen:
                value = _SEVERAL
                several[len(rows_q)] = chosen
            elif answer.dont_know:
                value = _DONT_KNOW
            else:
                value = _TEXT_ONLY
            rows_q.append(q_index)
            rows_unit.append(unit_of[position])
            rows_rank.append(lead_rank[position])
            rows_value.append(value)
            rows_category.append(category_index[respondent.category])

    q_arr = np.asarray(rows_q, dtype=np.int64)
    unit_arr = np.asarray(rows_unit, dtype=np.int64)
    value_arr = np.asarray(rows_value, dtype=np.int64)
    category_arr = np.asarray(rows_category, dtype=np.int64)

    # One answer per (question, unit): the best-ranked member's (the lead comes first).
    order = np.lexsort((np.asarray(rows_rank, dtype=np.int64), unit_arr, q_arr))
    q_sorted, unit_sorted = q_arr[order], unit_arr[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (q_sorted[1:] != q_sorted[:-1]) | (unit_sorted[1:] != unit_sorted[:-1])
    keep = order[first]
    q_arr, value_arr, category_arr = q_arr[keep], value_arr[keep], category_arr[keep]

    n_questions, n_units = len(questions), int(unit_of.max()) + 1 if len(unit_of) else 0
    answered = np.bincount(q_arr, minlength=n_questions)
    n_categories = len(category_names)

    # Respondents who chose something, per question and category (text-only answers count as
    # answered but not here, "Vet ikke" apart).
    chose = (value_arr >= 0) | (value_arr == _SEVERAL)
    choosers = np.zeros((n_questions, n_categories), dtype=np.int64)
    np.add.at(choosers, (q_arr[chose], category_arr[chose]), 1)
    # Counts per column; the last column, after the widest question's, holds "Vet ikke".
    width = max(len(labels) for labels in columns)
    cells = np.zeros((n_questions, n_categories, width + 1), dtype=np.int64)
    once = value_arr >= 0
    np.add.at(cells, (q_arr[once], category_arr[once], value_arr[once]), 1)
    dont_know = value_arr == _DONT_KNOW
    np.add.at(cells, (q_arr[dont_know], category_arr[dont_know], width), 1)
    spread = value_arr == _SEVERAL
    for row, q_index, category in zip(
        keep[spread], q_arr[spread], category_arr[spread], strict=True
    ):
        cells[q_index, category, list(several[row])] += 1
    # Categories without a known sector have sector index len(sectors) and are never reported.
    in_sector = [sector_of_category == s for s in range(len(sectors))]
    sector_cells = np.stack([cells[:, mask].sum(axis=1) for mask in in_sector], axis=1)
    sector_choosers = np.stack([choosers[:, mask].sum(axis=1) for mask in in_sector], axis=1)

    tables = []
    for q_index, question in enumerate(questions):
        counts = partial(
            _position_counts,
            n_columns=len(columns[q_index]),
            multiple=question.kind.multiple,
            ordinal=question.kind.has_scale,
        )
        tables.append(
            QuestionTabulation(
                question_code=question.code,
                labels=columns[q_index],
                overall=counts(cells[q_index].sum(axis=0), int(choosers[q_index].sum())),
                by_category={
                    name: counts(cells[q_index, c], int(choosers[q_index, c]))
                    for c, name in enumerate(category_names)
                },
                by_sector={
                    sector.value: counts(sector_cells[q_index, s], int(sector_choosers[q_index, s]))
                    for s, sector in enumerate(sectors)
                },
                answered=int(answered[q_index]),
                not_answered=n_units - int(answered[q_index]),
            )
        )
    return tables


def _position_counts(
    row: np.ndarray, chose: int, *, n_columns: int, multiple: bool, ordinal: bool
) -> PositionCounts:
    """One cell of the table from its row of counts (the last entry is "Vet ikke")."""
    dont_know = int(row[-1])
    return PositionCounts(
        counts=tuple(int(c) for c in row[:n_columns]),
        dont_know=dont_know,
        total=chose + dont_know,
        choosers=chose if multiple else None,
        ordinal=ordinal,
    )


def _units(
    respondents: list[Respondent], collapse: Mapping[str, str]
) -> tuple[np.ndarray, list[int]]:
    """Number each counting unit and rank members so the representative's answer wins."""
    unit_ids: dict[str, int] = {}
    unit_of = np.empty(len(respondents), dtype=np.int64)
    lead_rank: list[int] = []
    for position, respondent in enumerate(respondents):
        representative = collapse.get(respondent.key, respondent.key)
        unit_of[position] = unit_ids.setdefault(representative, len(unit_ids))
        lead_rank.append(0 if respondent.key == representative else position + 1)
    return unit_of, lead_rank


def _category_order(snapshot: ConsultationSnapshot, respondents: list[Respondent]) -> list[str]:
    """Category labels in the consultation's order, then any label only respondents mention."""
    names = [category.label for category in snapshot.categories]
    known = set(names)
    for respondent in respondents:
        if respondent.category not in known:
            known.add(respondent.category)
            names.append(respondent.category)
    return names


def _sector_index(snapshot: ConsultationSnapshot, label: str, sectors: list[Sector]) -> int:
    category = snapshot.category(label)
    return len(sectors) if category is None else sectors.index(category.sector)
