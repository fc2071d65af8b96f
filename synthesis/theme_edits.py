"""An analyst's corrections to themes, kept as data and re-applied after every re-run.

Clustering is re-run whenever answers arrive or change, and theme ids change with membership,
so edits cannot point at theme ids. They point at passages instead (sha1 of the normalised
passage text and the respondent key, see `synthesis.text.passage_hash`): a theme is named by
an *anchor*, the passage hashes it held when the analyst edited it, and is found again as the
current theme holding most of those passages. An edit whose passages are all gone (the answers
changed or were withdrawn) cannot be placed; it is dropped and reported, never guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from synthesis.text import Passage
from synthesis.theme_edit_kinds import (
    EDIT_KINDS,
    Anchor,
    DroppedEdit,
    MarkReviewed,
    MergeThemes,
    MovePassage,
    RenameTheme,
    SplitTheme,
    ThemeEdit,
)
from synthesis.theme_summary import QuestionThemes, Theme, ThemeFacts, describe_theme

THEME_GONE = "none of the theme's passages are left"


def anchor_of(theme: Theme) -> Anchor:
    """What an edit made now should store to find `theme` again after a re-run."""
    return tuple(sorted(theme.passage_hashes))


def edit_to_dict(edit: ThemeEdit) -> dict[str, Any]:
    """JSON-ready form of an edit, for storage next to the synthesis run."""
    kind = next(name for name, cls in EDIT_KINDS.items() if isinstance(edit, cls))
    return {"kind": kind, **asdict(edit)}


def edit_from_dict(data: dict[str, Any]) -> ThemeEdit:
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k != "kind"}
    return EDIT_KINDS[data["kind"]](**fields)


@dataclass
class _Draft:
    """A theme while edits are applied; `original` is kept when membership is unchanged."""

    hashes: list[str]
    original: Theme | None
    label: str | None = None
    reviewed: bool = False
    keywords: tuple[str, ...] = ()
    quote_texts: tuple[str, ...] = ()


class _EditSession:
    def __init__(self, themes: Iterable[Theme]) -> None:
        self.drafts = [
            _Draft(
                hashes=list(theme.passage_hashes),
                original=theme,
                reviewed=theme.reviewed,
                keywords=theme.keywords,
                quote_texts=tuple(quote.text for quote in theme.quotes),
            )
            for theme in themes
        ]

    def find(self, anchor: Sequence[str]) -> _Draft | None:
        wanted = set(anchor)
        best, best_overlap = None, 0
        for draft in self.drafts:
            overlap = len(wanted.intersection(draft.hashes))
            if overlap > best_overlap:
                best, best_overlap = draft, overlap
        return best

    def holder_of(self, passage: str) -> _Draft | None:
        return next((draft for draft in self.drafts if passage in draft.hashes), None)

    def take(self, passages: Iterable[str]) -> None:
        taken = set(passages)
        for draft in self.drafts:
            kept = [h for h in draft.hashes if h not in taken]
            if len(kept) != len(draft.hashes):
                draft.hashes, draft.original = kept, None
        self.drafts = [draft for draft in self.drafts if draft.hashes]

    def apply(self, edit: ThemeEdit) -> str | None:
        """Apply one edit; the reason it cannot be applied, or None."""
        match edit:
            case RenameTheme(anchor, label):
                draft = self.find(anchor)
                if draft is None:
                    return THEME_GONE
                draft.label = label
            case MarkReviewed(anchor):
                draft = self.find(anchor)
                if draft is None:
                    return THEME_GONE
                draft.reviewed = True
            case MergeThemes(anchor, other):
                target, source = self.find(anchor), self.find(other)
                if target is None or source is None:
                    return "none of the passages of one of the themes are left"
                if target is not source:
                    target.hashes += source.hashes
                    target.keywords += source.keywords
                    target.quote_texts += source.quote_texts
                    target.original = None
                    self.drafts.remove(source)
            case SplitTheme(anchor, passages, label):
                source = self.find(anchor)
                if source is None or not set(passages) <= set(source.hashes):
                    return "some of the passages to split off have changed or moved"
                self.take(passages)
                self.drafts.append(_Draft(hashes=list(passages), original=None, label=label))
            case MovePassage(passage, target_anchor):
                target = self.find(target_anchor)
                if self.holder_of(passage) is None:
                    return "the passage has changed or is no longer in a theme"
                if target is None:
                    return "none of the target theme's passages are left"
                self.take([passage])
                target.hashes.append(passage)
                target.original = None
        return None


def apply_edits(
    question_themes: QuestionThemes, passages: Sequence[Passage], edits: Iterable[ThemeEdit]
) -> QuestionThemes:
    """`question_themes` with `edits` applied in order; edits that no longer fit are listed in
    `dropped_edits`. `passages` are the passages the themes were fitted on (`passages_`)."""
    session = _EditSession(question_themes.themes)
    dropped = []
    for edit in edits:
        reason = session.apply(edit)
        if reason is not None:
            dropped.append(DroppedEdit(edit, reason))
    by_hash = {passage.passage_hash: passage for passage in passages}
    respondents = {p.respondent_key: p for p in passages}.values()
    by_category = Counter(p.category for p in respondents)
    by_sector = Counter(p.sector for p in respondents)
    themes = [_finish(draft, by_hash, by_category, by_sector) for draft in session.drafts]
    themes.sort(key=lambda theme: (-theme.size, theme.theme_id))
    return replace(
        question_themes,
        themes=tuple(themes),
        dropped_edits=(*question_themes.dropped_edits, *dropped),
    )


def _finish(
    draft: _Draft, by_hash: dict[str, Passage], by_category: Counter[str], by_sector: Counter[str]
) -> Theme:
    if draft.original is not None:
        label = draft.label if draft.label is not None else draft.original.label
        return replace(draft.original, label=label, reviewed=draft.reviewed)
    members = [by_hash[h] for h in dict.fromkeys(draft.hashes) if h in by_hash]
    quoted = set(draft.quote_texts)
    quote_order = sorted(range(len(members)), key=lambda i: members[i].text not in quoted)
    return describe_theme(
        ThemeFacts(members, by_category, by_sector),
        list(dict.fromkeys(draft.keywords)),
        quote_order,
        label=draft.label,
        reviewed=draft.reviewed,
    )
