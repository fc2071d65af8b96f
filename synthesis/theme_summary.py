"""A theme as a reader sees it (label, keywords, size, shares, quotes), built from its passages.

Shared by clustering (`synthesis.themes`) and by human edits (`synthesis.theme_edits`), which
rebuild themes after a merge, split or move with the same rules. The result types live here,
apart from the clustering, so the web app can read stored themes without loading scikit-learn.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from synthesis.language import Language
from synthesis.text import Passage, shared_lemmatizer
from synthesis.theme_edit_kinds import DroppedEdit
from synthesis.theme_labels import LABEL_STOP_WORDS, choose_quotes
from synthesis.theme_phrases import theme_label

MAX_KEYWORDS = 8
OTHER_LABEL = "Annet / enkeltinnspill"


@dataclass(frozen=True)
class Quote:
    """A representative sentence; the web app links it to the full answer by `respondent_key`."""

    respondent_key: str
    text: str


@dataclass(frozen=True)
class Theme:
    """One theme of one question; shares are of each category's (sector's) text answerers.

    `passage_hashes` names the member passages, which is what human edits hold on to.
    `is_other` marks the "Annet / enkeltinnspill" bucket: answers that fit no theme, kept
    apart instead of forced into one. For a question with a scale (its own, or its parent's
    for a sub-question such as "1.a"), `stance` counts the members per scale point, most
    positive first, and `mixed_stance` flags a theme whose members clearly stand on both
    sides (one that could not be split into two themes of enough members each).
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
    is_other: bool = False
    stance: tuple[int, ...] = ()
    mixed_stance: bool = False


def theme_id_for(passage_hashes: Sequence[str]) -> str:
    """Stable id of a theme: a hash of its sorted member passage hashes."""
    digest = hashlib.sha1("\n".join(sorted(passage_hashes)).encode()).hexdigest()
    return f"t{digest[:12]}"


@dataclass(frozen=True)
class ThemeFacts:
    """A theme's passages, how many respondents answered per category and sector, and what
    its description needs of the question: who is one author (identical answers, campaigns),
    the scale position of each respondent who gave one, the number of scale points, and the
    lemmas the question's answers use as verbs (`theme_labels.verbal_lemmas`)."""

    passages: Sequence[Passage]
    answerers_by_category: Counter[str]
    answerers_by_sector: Counter[str]
    author_of: Mapping[str, int] = field(default_factory=dict)
    scale_values: Mapping[str, int] = field(default_factory=dict)
    scale_size: int = 0
    verbal_lemmas: frozenset[str] = frozenset()


def distinct_keywords(candidates: Sequence[str], limit: int = MAX_KEYWORDS) -> tuple[str, ...]:
    """Keywords in order, skipping function words and any whose every word an earlier keyword
    already shows.

    NMF components often rank "kompetanse", "kompetanse ledelse" and "ledelse" together; the
    reader needs each idea once.
    """
    chosen: list[str] = []
    seen_words: set[str] = set()
    for candidate in candidates:
        words = candidate.split()
        if any(word.casefold() in LABEL_STOP_WORDS for word in words):
            continue
        if all(word in seen_words for word in words):
            continue
        chosen.append(candidate)
        seen_words.update(words)
        if len(chosen) == limit:
            break
    return tuple(chosen)


def frequent_lemmas(passages: Sequence[Passage], limit: int = 40) -> list[str]:
    """Most frequent lemmas of some passages: keywords when no model ranks them."""
    lemmatizer = shared_lemmatizer()
    counts: Counter[str] = Counter()
    for passage in passages:
        counts.update(set(lemmatizer.lemmas(passage.text, passage.language)))
    return [lemma for lemma, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))][
        :limit
    ]


def shares(members: Counter[str], totals: Counter[str]) -> dict[str, float]:
    """Share of each group's answerers that is in the theme, for groups with a name."""
    return {
        group: members[group] / totals[group] for group in sorted(totals) if group and totals[group]
    }


def stance_counts(keys: Sequence[str], values: Mapping[str, int], size: int) -> tuple[int, ...]:
    """Members per scale point (most positive first); () when the question has no scale."""
    if not size:
        return ()
    counts = [0] * size
    for key in keys:
        value = values.get(key)
        if value is not None and 0 <= value < size:
            counts[value] += 1
    return tuple(counts)


def describe_theme(
    facts: ThemeFacts,
    ranked_keywords: Sequence[str],
    quote_order: Sequence[int],
    *,
    quotes: int = 3,
    label: str | None = None,
    reviewed: bool = False,
    is_other: bool = False,
    mixed_stance: bool = False,
) -> Theme:
    """A `Theme` for `facts`; `quote_order` ranks passages (positions in `facts.passages`),
    most central first: quotes and the label phrase are taken from the front of it.
    """
    passages = facts.passages
    keywords = () if is_other else distinct_keywords(ranked_keywords or frequent_lemmas(passages))
    respondents = {p.respondent_key: p for p in passages}
    keyword_set = {keyword for keyword in keywords if " " not in keyword}
    lemmatizer = shared_lemmatizer()

    def keyword_hits(sentence: str, language: Language) -> int:
        return len(keyword_set.intersection(lemmatizer.lemmas(sentence, language)))

    def lemmas_of_words(words: Sequence[str], language: Language) -> list[str | None]:
        return [lemmatizer.lemma(word, language) for word in words]

    chosen = choose_quotes(
        passages,
        quote_order,
        keyword_hits,
        quotes=quotes,
        author_of=lambda key: facts.author_of.get(key, key),
    )
    if label is None:
        naming = [k for k in keywords if not set(k.split()) & facts.verbal_lemmas]
        naming = naming if len(naming) >= 2 else list(keywords)
        if is_other:
            label = OTHER_LABEL
        else:
            label = theme_label(
                passages,
                quote_order,
                naming,
                lemmas_of_words,
                author_of=lambda key: facts.author_of.get(key, key),
                verbal=facts.verbal_lemmas,
            )
    return Theme(
        theme_id=theme_id_for([p.passage_hash for p in passages]),
        label=label,
        keywords=keywords,
        size=len(respondents),
        respondent_keys=tuple(respondents),
        share_by_category=shares(
            Counter(p.category for p in respondents.values()), facts.answerers_by_category
        ),
        share_by_sector=shares(
            Counter(p.sector for p in respondents.values()), facts.answerers_by_sector
        ),
        quotes=tuple(Quote(key, text) for key, text in chosen),
        passage_hashes=tuple(p.passage_hash for p in passages),
        reviewed=reviewed,
        is_other=is_other,
        stance=stance_counts(tuple(respondents), facts.scale_values, facts.scale_size),
        mixed_stance=mixed_stance,
    )


@dataclass(frozen=True)
class QuestionThemes:
    """The themes of one question, its cross-references (key → code or "general") and the
    human edits that could not be re-applied after a re-run."""

    question_code: str
    themes: tuple[Theme, ...]
    cross_references: dict[str, str]
    dropped_edits: tuple[DroppedEdit, ...] = field(default=())
