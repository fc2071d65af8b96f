"""Synthesis results (themes, duplicate groups, opinion groups) restated for one audience.

The synthesis refers to respondents by key, which a public document must not reveal, and it may
mention respondents the summary leaves out. Here every reference is resolved to the summary's
`ExportedRespondent` (so writers print display names such as "Privatperson 2") and references to
left-out respondents are dropped: a quote from a respondent without consent never reaches a
public file, and a group with no published member disappears. Sizes are recounted over the
members that remain, and so is an opinion group's composition by category; a theme's shares by
category, its members' positions on the scale and an opinion group's distinguishing positions
are reported as the synthesis computed them (they are aggregates that name nobody).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from exports.exported_respondent import ExportedRespondent

if TYPE_CHECKING:  # type names only: importing them would load scikit-learn and spaCy
    from synthesis.duplicates import DuplicateGroup
    from synthesis.opinion_groups import DistinguishingPosition, OpinionGroup
    from synthesis.tabulation import QuestionTabulation
    from synthesis.theme_summary import QuestionThemes, Theme


@dataclass(frozen=True)
class SynthesisInputs:
    """Results of a synthesis run that the summary reports (all optional).

    `themes`, `duplicate_groups` and `opinion_groups` hold the objects of `synthesis.themes`,
    `synthesis.duplicates` and `synthesis.opinion_groups`; respondents are referenced by key.
    """

    tabulations: tuple[QuestionTabulation, ...] = ()
    themes: tuple[QuestionThemes, ...] = ()
    duplicate_groups: tuple[DuplicateGroup, ...] = ()
    opinion_groups: tuple[OpinionGroup, ...] = ()
    run_id: str | None = None
    parameters: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ThemeSummary:
    question_code: str
    theme_id: str
    label: str
    keywords: tuple[str, ...]
    size: int
    members: tuple[ExportedRespondent, ...]
    share_by_category: Mapping[str, float]
    share_by_sector: Mapping[str, float]
    quotes: tuple[tuple[ExportedRespondent, str], ...]
    # members per scale point as the synthesis counted them (an aggregate, like the shares)
    stance: tuple[int, ...] = ()
    mixed_stance: bool = False
    is_other: bool = False


@dataclass(frozen=True)
class DuplicateSummary:
    group_id: str
    kind: str
    question_code: str | None
    members: tuple[ExportedRespondent, ...]
    template: str
    additions: tuple[tuple[ExportedRespondent, str], ...]


@dataclass(frozen=True)
class OpinionGroupSummary:
    group_id: str
    size: int
    members: tuple[ExportedRespondent, ...]
    composition: Mapping[str, int]  # members per category label, largest first
    distinguishing_positions: tuple[DistinguishingPosition, ...]


def summarise_synthesis(
    synthesis: SynthesisInputs, by_key: Mapping[str, ExportedRespondent]
) -> tuple[tuple[ThemeSummary, ...], tuple[DuplicateSummary, ...], tuple[OpinionGroupSummary, ...]]:
    """Themes, duplicate groups and opinion groups with members resolved through `by_key`."""
    themes = tuple(
        theme
        for question_themes in synthesis.themes
        for source in question_themes.themes
        if (theme := _theme(question_themes.question_code, source, by_key)) is not None
    )
    duplicates = tuple(
        group
        for source in synthesis.duplicate_groups
        if (group := _duplicate(source, by_key)) is not None
    )
    opinion_groups = tuple(
        group
        for source in synthesis.opinion_groups
        if (group := _opinion_group(source, by_key)) is not None
    )
    return themes, duplicates, opinion_groups


def _resolve(
    keys: Iterable[str], by_key: Mapping[str, ExportedRespondent]
) -> tuple[ExportedRespondent, ...]:
    return tuple(by_key[key] for key in keys if key in by_key)


def _theme(
    question_code: str, theme: Theme, by_key: Mapping[str, ExportedRespondent]
) -> ThemeSummary | None:
    members = _resolve(theme.respondent_keys, by_key)
    if not members:
        return None
    return ThemeSummary(
        question_code=question_code,
        theme_id=str(theme.theme_id),
        label=theme.label,
        keywords=tuple(theme.keywords),
        size=len(members),
        members=members,
        share_by_category=dict(theme.share_by_category),
        share_by_sector={str(k): v for k, v in theme.share_by_sector.items()},
        quotes=tuple(
            (by_key[quote.respondent_key], quote.text)
            for quote in theme.quotes
            if quote.respondent_key in by_key
        ),
        stance=tuple(theme.stance),
        mixed_stance=theme.mixed_stance,
        is_other=theme.is_other,
    )


def _duplicate(
    group: DuplicateGroup, by_key: Mapping[str, ExportedRespondent]
) -> DuplicateSummary | None:
    members = _resolve(group.member_keys, by_key)
    if not members:
        return None
    return DuplicateSummary(
        group_id=str(group.group_id),
        kind=str(group.kind),
        question_code=group.question_code,
        members=members,
        template=group.template,
        additions=tuple(
            (by_key[key], text) for key, text in group.additions.items() if key in by_key
        ),
    )


def _opinion_group(
    group: OpinionGroup, by_key: Mapping[str, ExportedRespondent]
) -> OpinionGroupSummary | None:
    members = _resolve(group.member_keys, by_key)
    if not members:
        return None
    return OpinionGroupSummary(
        group_id=str(group.group_id),
        size=len(members),
        members=members,
        composition=dict(Counter(member.category for member in members).most_common()),
        distinguishing_positions=tuple(group.distinguishing),
    )
