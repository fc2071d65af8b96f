"""How a theme's members answered the question's scale, counted once for every writer.

The synthesis carries the count on the theme (`ThemeSummary.stance`: members per scale point,
for a sub-question such as "1.a" on its parent's scale). A theme without one (the synthesis
counted none, or an edition frozen before it did) is counted here from its members' own rows,
so the figure always agrees with the listing. The Word report prints it under the theme and
the JSON document carries it, so both say the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from exports.summary import CompiledSummary, SummaryRow
from exports.synthesis_view import ThemeSummary


@dataclass(frozen=True)
class ThemeStance:
    """Members per scale point (`counts`, in the order of `points`, most positive first)."""

    points: tuple[str, ...]
    counts: tuple[int, ...]

    @property
    def divided(self) -> bool:
        """Whether members stand on both sides of the scale's middle."""
        half = len(self.points) // 2
        return any(self.counts[:half]) and any(self.counts[len(self.points) - half :])

    def positions(self) -> list[tuple[str, int]]:
        """(point, count) for the points some member chose."""
        return [
            (point, count) for point, count in zip(self.points, self.counts, strict=True) if count
        ]


class ThemeStances:
    """The stances of one summary's themes; the members' rows are indexed once, when needed."""

    def __init__(self, summary: CompiledSummary) -> None:
        self.summary = summary
        self._rows: Mapping[str, Mapping[str, SummaryRow]] | None = None

    def of(self, theme: ThemeSummary) -> ThemeStance | None:
        """The theme's stance; None when no member took a position on the scale."""
        points = tuple(self.summary.scale.points)
        counts = theme.stance if len(theme.stance) == len(points) else self._counted(theme, points)
        return ThemeStance(points, tuple(counts)) if any(counts) else None

    def _counted(self, theme: ThemeSummary, points: tuple[str, ...]) -> list[int]:
        if self._rows is None:
            self._rows = {
                question.code: {row.respondent.export_id: row for row in question.rows}
                for question in self.summary.questions
            }
        rows = self._rows.get(theme.question_code, {})
        counts = [0] * len(points)
        for member in theme.members:
            row = rows.get(member.export_id)
            value = row.answer.value if row is not None and not row.answer.dont_know else None
            if value is not None and 0 <= value < len(points):
                counts[value] += 1
        return counts
