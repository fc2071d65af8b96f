"""A theme as a reader sees it (label, keywords, size, shares, quotes), built from its passages.

Shared by clustering (`synthesis.themes`) and by human edits (`synthesis.theme_edits`), which
rebuild themes after a merge, split or move with the same rules. The result types live here,
apart from the clustering, so the web app can read stored themes without loading scikit-learn.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from synthesis.text import Lemmatizer, Passage

if TYPE_CHECKING:
    from synthesis.theme_edits import DroppedEdit

LABEL_KEYWORDS = 3
MAX_KEYWORDS = 8
LABEL_SEPARATOR = " · "


@dataclass(frozen=True)
class Quote:
    """A representative passage; the web app links it to the full answer by `respondent_key`."""

    respondent_key: str
    text: str


@dataclass(frozen=True)
class Theme:
    """One theme of one question; shares are of each category's (sector's) text answerers.

    `passage_hashes` names the member passages, which is what human edits hold on to.
    """

    theme_id: str
    label: str
    keywords: tuple[str, ...]
    size: int
    respondent_keys: tuple[str, ...]
    share_by_category: dict[str, float]
    share_by_sector: dict[str, float]
    quotes: tuple[Quote, ...]
    passage_hashes: tuple[str, ...] = ()
    reviewed: bool = False


def theme_id_for(passage_hashes: Sequence[str]) -> str:
    """Stable id of a theme: a hash of its sorted member passage hashes."""
    digest = hashlib.sha1("\n".join(sorted(passage_hashes)).encode()).hexdigest()
    return f"t{digest[:12]}"


@dataclass(frozen=True)
class ThemeFacts:
    """A theme's passages, plus how many respondents answered per category and sector."""

    passages: Sequence[Passage]
    answerers_by_category: Counter[str]
    answerers_by_sector: Counter[str]


def distinct_keywords(candidates: Sequence[str], limit: int = MAX_KEYWORDS) -> tuple[str, ...]:
    """Keywords in order, skipping any whose every word an earlier keyword already shows.

    NMF components often rank "kompetanse", "kompetanse ledelse" and "ledelse" together; the
    reader needs each idea once.
    """
    chosen: list[str] = []
    seen_words: set[str] = set()
    for candidate in candidates:
        words = candidate.split()
        if all(word in seen_words for word in words):
            continue
        chosen.append(candidate)
        seen_words.update(words)
        if len(chosen) == limit:
            break
    return tuple(chosen)


def frequent_lemmas(passages: Sequence[Passage], limit: int = 40) -> list[str]:
    """Most frequent lemmas of some passages: keywords when no model ranks them."""
    lemmatizer = Lemmatizer()
    counts: Counter[str] = Counter()
    for passage in passages:
        counts.update(set(lemmatizer.lemmas(passage.text, passage.language)))
    return [lemma for lemma, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))][
        :limit
    ]


def label_for(keywords: Sequence[str]) -> str:
    return LABEL_SEPARATOR.join(keywords[:LABEL_KEYWORDS])


def shares(members: Counter[str], totals: Counter[str]) -> dict[str, float]:
    """Share of each group's answerers that is in the theme, for groups with a name."""
    return {
        group: members[group] / totals[group] for group in sorted(totals) if group and totals[group]
    }


def describe_theme(
    facts: ThemeFacts,
    ranked_keywords: Sequence[str],
    quote_order: Sequence[int],
    *,
    quotes: int = 3,
    label: str | None = None,
    reviewed: bool = False,
) -> Theme:
    """A `Theme` for `facts`; `quote_order` ranks passages (positions in `facts.passages`).

    Quotes come from different respondents as far as possible, so one verbose answer cannot
    fill a theme's examples.
    """
    passages = facts.passages
    keywords = distinct_keywords(ranked_keywords or frequent_lemmas(passages))
    respondents = {p.respondent_key: p for p in passages}
    chosen: list[Passage] = []
    quoted: set[str] = set()
    for position in quote_order:
        passage = passages[position]
        if passage.respondent_key not in quoted:
            chosen.append(passage)
            quoted.add(passage.respondent_key)
        if len(chosen) == quotes:
            break
    return Theme(
        theme_id=theme_id_for([p.passage_hash for p in passages]),
        label=label if label is not None else label_for(keywords),
        keywords=keywords,
        size=len(respondents),
        respondent_keys=tuple(respondents),
        share_by_category=shares(
            Counter(p.category for p in respondents.values()), facts.answerers_by_category
        ),
        share_by_sector=shares(
            Counter(p.sector for p in respondents.values()), facts.answerers_by_sector
        ),
        quotes=tuple(Quote(p.respondent_key, p.text) for p in chosen),
        passage_hashes=tuple(p.passage_hash for p in passages),
        reviewed=reviewed,
    )


@dataclass(frozen=True)
class QuestionThemes:
    """The themes of one question, its cross-references (key → code or "general") and the
    human edits that could not be re-applied after a re-run."""

    question_code: str
    themes: tuple[Theme, ...]
    cross_references: dict[str, str]
    dropped_edits: tuple[DroppedEdit, ...] = field(default=())
