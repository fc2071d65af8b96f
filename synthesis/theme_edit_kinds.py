"""The kinds of correction an analyst makes to themes, as plain data.

Kept apart from `synthesis.theme_edits` (which applies them) so that `synthesis.theme_summary`
can name an edit that could not be re-applied (`QuestionThemes.dropped_edits`) without importing
the module that rebuilds themes: the two would otherwise import each other.
"""

from __future__ import annotations

from dataclasses import dataclass

Anchor = tuple[str, ...]


@dataclass(frozen=True)
class RenameTheme:
    anchor: Anchor
    label: str


@dataclass(frozen=True)
class MergeThemes:
    """Merge the theme at `other` into the theme at `anchor`."""

    anchor: Anchor
    other: Anchor


@dataclass(frozen=True)
class SplitTheme:
    """Take `passages` out of the theme at `anchor` into a new theme."""

    anchor: Anchor
    passages: tuple[str, ...]
    label: str | None = None


@dataclass(frozen=True)
class MovePassage:
    passage: str
    target: Anchor


@dataclass(frozen=True)
class MarkReviewed:
    anchor: Anchor


ThemeEdit = RenameTheme | MergeThemes | SplitTheme | MovePassage | MarkReviewed
EDIT_KINDS: dict[str, type[ThemeEdit]] = {
    "rename": RenameTheme,
    "merge": MergeThemes,
    "split": SplitTheme,
    "move": MovePassage,
    "reviewed": MarkReviewed,
}


@dataclass(frozen=True)
class DroppedEdit:
    """An edit that no longer fits the answers, and why."""

    edit: ThemeEdit
    reason: str
