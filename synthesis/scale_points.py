"""An answer scale: ordered points, most positive first, and an optional "don't know".

A module of its own beneath both the question kinds (`synthesis.question_kinds`, whose methods
take the scale) and the snapshot (`synthesis.snapshot`, whose questions have a kind), so neither
imports the other to name it.
"""

from __future__ import annotations

from dataclasses import dataclass

NORWEGIAN_AGREEMENT_SCALE: tuple[str, ...] = (
    "Helt enig",
    "Delvis enig",
    "Hverken eller",
    "Delvis uenig",
    "Helt uenig",
)
DONT_KNOW_LABEL = "Vet ikke"


@dataclass(frozen=True)
class Scale:
    """Ordered scale points, most positive first, plus an optional "don't know" outside the scale.

    A stored scale value is the 0-based index into `points`; "Vet ikke" is kept apart
    (`Answer.dont_know`) so that it never shifts means or net agreement.
    """

    points: tuple[str, ...] = NORWEGIAN_AGREEMENT_SCALE
    dont_know: str | None = None

    def __len__(self) -> int:
        return len(self.points)

    def index_of(self, label: str) -> int | None:
        wanted = label.strip().casefold()
        for index, point in enumerate(self.points):
            if point.casefold() == wanted:
                return index
        return None
