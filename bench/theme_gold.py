"""A question with its human-coded themes: what the theme benchmark scores a clustering on.

Both gold sources (seed 004 coded by hand, IBM ArgKP's key points) become `EvalUnit`s: a
snapshot the tool is fitted on exactly as the synthesis pipeline fits it, the question whose
text answers are clustered, and the gold themes as sets of respondent keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from synthesis.snapshot import ConsultationSnapshot


@dataclass(frozen=True)
class GoldTheme:
    """A theme a human found: its label and the keys of the respondents whose answer holds it."""

    label: str
    members: frozenset[str]


@dataclass(frozen=True)
class EvalUnit:
    """One question of one dataset; `excluded` keys answered but are left out of scoring
    (cross-references that only point to another answer)."""

    dataset: str
    name: str
    snapshot: ConsultationSnapshot
    question_code: str
    gold: tuple[GoldTheme, ...]
    excluded: frozenset[str] = field(default_factory=frozenset)

    def scored_answers(self) -> list[tuple[str, str]]:
        """(respondent key, text) of every text answer that is scored, in respondent order."""
        return [
            (respondent.key, answer.text)
            for respondent, answer in self.snapshot.answers_to(self.question_code)
            if answer.text and answer.text.strip() and respondent.key not in self.excluded
        ]

    @property
    def unassigned(self) -> frozenset[str]:
        """Scored answers in no gold theme (ArgKP: no key point; seed 004: "Annet")."""
        in_themes = frozenset().union(*(theme.members for theme in self.gold))
        return frozenset(key for key, _ in self.scored_answers()) - in_themes
