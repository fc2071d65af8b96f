"""A run's result in parts: per question and stage, with every per-answer list in chunks.

One JSON value for a whole run grows with the answers: at a million answers it held every
passage, every theme member and every campaign member, hundreds of megabytes that SQLite
refused to store ("string or blob too big") and every page had to decode to show one table.
Here a result is cut where its readers cut it:

- run-wide parts (question code ""): the position tables, the opinion groups, the flags of
  possible resubmissions, the consultation's term background (what the question steps share);
- per question: its themes as a reader sees them (label, keywords, size, shares, quotes), and
  its duplicate and campaign groups (kind, template);
- per-answer lists, in chunks of at most `ROWS_PER_CHUNK` rows: which respondents and passages
  each theme holds, the passages themselves, the members of each group with what they added,
  the members of each opinion group and their place in its projection, the campaign map.

A `Part` is plain JSON data; storing it (compressed, one row per part) is the app's business
(`hearing.services.run_results`). `PartedResult` reads a stored result back lazily through a
loader, one stage (and question) at a time, with the interface of `SynthesisResult`, so a page
showing one question's themes decodes that question alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from synthesis.tabulation import QuestionTabulation

if TYPE_CHECKING:
    from synthesis.duplicates import DuplicateGroup, ResubmissionFlag
    from synthesis.opinion_groups import OpinionGroup
    from synthesis.pipeline import Finish, Positions, Preparation, QuestionOutcome
    from synthesis.result_codec import ResultCodec
    from synthesis.text import Passage
    from synthesis.theme_background import TermBackground
    from synthesis.theme_edits import ThemeEdit
    from synthesis.theme_summary import QuestionThemes

PARTS_FORMAT = 3  # the `format` of a run's outline whose result is stored in parts
ROWS_PER_CHUNK = 20_000
RUN_WIDE = ""  # the question code of the parts that belong to the whole run

# Stages of the parts.
PREPARATION = "preparation"
POSITIONS = "positions"
TABULATIONS = "tabulations"
CAMPAIGN_TABULATIONS = "campaign_tabulations"
OPINION_GROUPS = "opinion_groups"
OPINION_MEMBERS = "opinion_members"
OPINION_PROJECTION = "opinion_projection"
RESUBMISSIONS = "resubmissions"
COLLAPSE_MAP = "collapse_map"
BACKGROUND = "background"
THEMES = "themes"
THEME_MEMBERS = "theme_members"
THEME_PASSAGES = "theme_passages"
PASSAGES = "passages"
DUPLICATE_GROUPS = "duplicate_groups"
DUPLICATE_MEMBERS = "duplicate_members"

# What the positions step stores (and replaces when it is executed again).
POSITIONS_STAGES = (POSITIONS, TABULATIONS, OPINION_GROUPS, OPINION_MEMBERS, OPINION_PROJECTION)

# A loader gives the data of a stored stage's chunks in chunk order ([] when there are none).
Loader = Callable[[str, str], list[Any]]


@dataclass(frozen=True)
class Part:
    """One stored piece: plain JSON `data` of a stage, of a question or the whole run."""

    question_code: str
    stage: str
    chunk: int
    data: Any


def chunked(question_code: str, stage: str, rows: Iterable[Any]) -> Iterator[Part]:
    """`rows` as parts of at most `ROWS_PER_CHUNK` rows each (none for no rows)."""
    size = ROWS_PER_CHUNK
    chunk: list[Any] = []
    number = 0
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield Part(question_code, stage, number, chunk)
            chunk, number = [], number + 1
    if chunk:
        yield Part(question_code, stage, number, chunk)


def rows_of(chunks: list[Any]) -> Iterator[Any]:
    for chunk in chunks:
        yield from chunk


def preparation_parts(prepared: Preparation) -> Iterator[Part]:
    """What the first step found: the questions of the question steps, and the background
    they share."""
    yield Part(RUN_WIDE, PREPARATION, 0, {"question_codes": list(prepared.question_codes)})
    yield Part(RUN_WIDE, BACKGROUND, 0, prepared.background.salience)


def positions_parts(codec: ResultCodec, found: Positions) -> Iterator[Part]:
    """What the pass over every respondent's positions found."""
    facts = {
        "input_hash": found.input_hash,
        "respondent_count": found.respondent_count,
        "opinion_silhouette": found.opinion_silhouette,
    }
    yield Part(RUN_WIDE, POSITIONS, 0, facts)
    yield from listed_parts(codec, TABULATIONS, found.tabulations)
    yield from opinion_parts(codec, found.opinion_groups, found.opinion_projection)


def finish_parts(codec: ResultCodec, finished: Finish) -> Iterator[Part]:
    yield from listed_parts(codec, CAMPAIGN_TABULATIONS, finished.campaign_tabulations)
    yield from listed_parts(codec, RESUBMISSIONS, finished.resubmissions)
    yield from chunked(RUN_WIDE, COLLAPSE_MAP, ([k, v] for k, v in finished.collapse_map.items()))


def outline_of(load: Loader, parameters: dict[str, Any], timings: dict[str, float]) -> Outline:
    """The outline of a run whose steps stored their parts."""
    codes = question_codes_of(load)
    found = load(RUN_WIDE, POSITIONS)[0]
    return Outline(
        input_hash=found["input_hash"],
        parameters=parameters,
        respondent_count=found["respondent_count"],
        timings=timings,
        theme_codes=tuple(code for code in codes if load(code, THEMES)),
        duplicate_codes=codes,
        opinion_silhouette=found["opinion_silhouette"],
    )


def question_codes_of(load: Loader) -> tuple[str, ...]:
    """The questions of a run's question steps, as its first step found them."""
    return tuple(load(RUN_WIDE, PREPARATION)[0]["question_codes"])


def question_parts(codec: ResultCodec, outcome: QuestionOutcome) -> Iterator[Part]:
    """The parts of one question: its duplicate groups and, when it has them, its themes."""
    question_code, groups = outcome.question_code, outcome.duplicate_groups
    themes, passages = outcome.themes, outcome.passages
    yield Part(
        question_code,
        DUPLICATE_GROUPS,
        0,
        [[g.group_id, g.kind, g.question_code, g.template] for g in groups],
    )
    yield from chunked(
        question_code,
        DUPLICATE_MEMBERS,
        (
            [number, key, group.additions.get(key)]
            for number, group in enumerate(groups)
            for key in group.member_keys
        ),
    )
    if themes is None:
        return
    outline = replace(
        themes,
        themes=tuple(replace(t, respondent_keys=(), passage_hashes=()) for t in themes.themes),
    )
    yield Part(question_code, THEMES, 0, codec.encode(outline))
    yield from chunked(
        question_code,
        THEME_MEMBERS,
        ([n, key] for n, theme in enumerate(themes.themes) for key in theme.respondent_keys),
    )
    yield from chunked(
        question_code,
        THEME_PASSAGES,
        ([n, hash_] for n, theme in enumerate(themes.themes) for hash_ in theme.passage_hashes),
    )
    yield from chunked(
        question_code,
        PASSAGES,
        (
            [p.respondent_key, p.index, p.text, p.language, p.passage_hash, p.category, p.sector]
            for p in passages
        ),
    )


def opinion_parts(
    codec: ResultCodec,
    groups: Sequence[OpinionGroup],
    projection: Sequence[Sequence[float]],
) -> Iterator[Part]:
    """The opinion groups without their members, the members, and the projection."""
    yield Part(
        RUN_WIDE,
        OPINION_GROUPS,
        0,
        [codec.encode(replace(group, member_keys=())) for group in groups],
    )
    yield from chunked(
        RUN_WIDE,
        OPINION_MEMBERS,
        ([n, key] for n, group in enumerate(groups) for key in group.member_keys),
    )
    yield from chunked(RUN_WIDE, OPINION_PROJECTION, ([float(x) for x in p] for p in projection))


def listed_parts(codec: ResultCodec, stage: str, items: Iterable[Any]) -> Iterator[Part]:
    """Run-wide items of one kind (tables, flags), encoded, in chunks."""
    return chunked(RUN_WIDE, stage, (codec.encode(item) for item in items))


def read_background(load: Loader) -> TermBackground:
    from synthesis.theme_background import TermBackground

    chunks = load(RUN_WIDE, BACKGROUND)
    return TermBackground(dict(chunks[0]) if chunks else {})


def read_duplicate_groups(load: Loader, question_code: str) -> list[DuplicateGroup]:
    from synthesis.duplicates import DuplicateGroup

    headers = next(iter(load(question_code, DUPLICATE_GROUPS)), [])
    members: list[list[str]] = [[] for _ in headers]
    additions: list[dict[str, str]] = [{} for _ in headers]
    for number, key, added in rows_of(load(question_code, DUPLICATE_MEMBERS)):
        members[number].append(key)
        if added:
            additions[number][key] = added
    return [
        DuplicateGroup(group_id, kind, code, tuple(members[n]), template, additions[n])
        for n, (group_id, kind, code, template) in enumerate(headers)
    ]


def read_question_themes(
    codec: ResultCodec, load: Loader, question_code: str
) -> QuestionThemes | None:
    from synthesis.theme_summary import QuestionThemes

    outline = next(iter(load(question_code, THEMES)), None)
    if outline is None:
        return None
    found: QuestionThemes = codec.decode(QuestionThemes, outline)
    keys: list[list[str]] = [[] for _ in found.themes]
    hashes: list[list[str]] = [[] for _ in found.themes]
    for number, key in rows_of(load(question_code, THEME_MEMBERS)):
        keys[number].append(key)
    for number, hash_ in rows_of(load(question_code, THEME_PASSAGES)):
        hashes[number].append(hash_)
    return replace(
        found,
        themes=tuple(
            replace(theme, respondent_keys=tuple(keys[n]), passage_hashes=tuple(hashes[n]))
            for n, theme in enumerate(found.themes)
        ),
    )


def read_passages(load: Loader, question_code: str) -> tuple[Passage, ...]:
    from synthesis.text import Passage

    return tuple(
        Passage(key, index, text, language, passage_hash, category, sector)
        for key, index, text, language, passage_hash, category, sector in rows_of(
            load(question_code, PASSAGES)
        )
    )


@dataclass(frozen=True)
class Outline:
    """What a run stores in one small value beside its parts: enough for a run's page and to
    know which questions have parts."""

    input_hash: str
    parameters: dict[str, Any]
    respondent_count: int
    timings: dict[str, float]
    theme_codes: tuple[str, ...]  # questions with themes, in question order
    duplicate_codes: tuple[str, ...]  # questions searched for duplicates, in question order
    opinion_silhouette: float | None = None
    format: int = field(default=PARTS_FORMAT)


class PartedResult:
    """A stored result read stage by stage through `load`, as `SynthesisResult` reads.

    Each attribute decodes its parts on first use; `question_themes(code)` and
    `passages_of(code)` decode one question. Theme edits are applied per question as it is read.
    """

    def __init__(
        self,
        outline: Outline,
        load: Loader,
        codec: ResultCodec,
        edits: Mapping[str, Sequence[ThemeEdit]] | None = None,
    ) -> None:
        self.outline = outline
        self._load = load
        self._codec = codec
        self._edits = dict(edits or {})
        self._themes: dict[str, QuestionThemes | None] = {}

    input_hash = property(lambda self: self.outline.input_hash)
    parameters = property(lambda self: self.outline.parameters)
    respondent_count = property(lambda self: self.outline.respondent_count)
    timings = property(lambda self: self.outline.timings)
    opinion_silhouette = property(lambda self: self.outline.opinion_silhouette)
    theme_codes = property(lambda self: self.outline.theme_codes)

    def with_theme_edits(self, edits: Mapping[str, Sequence[ThemeEdit]]) -> PartedResult:
        return PartedResult(self.outline, self._load, self._codec, edits)

    @cached_property
    def tabulations(self) -> tuple[QuestionTabulation, ...]:
        return self._listed(TABULATIONS, QuestionTabulation)

    @cached_property
    def campaign_tabulations(self) -> tuple[QuestionTabulation, ...]:
        return self._listed(CAMPAIGN_TABULATIONS, QuestionTabulation)

    def tabulations_for(self, *, count_campaigns_once: bool) -> tuple[QuestionTabulation, ...]:
        return self.campaign_tabulations if count_campaigns_once else self.tabulations

    @property
    def reported_tabulations(self) -> tuple[QuestionTabulation, ...]:
        return self.tabulations_for(
            count_campaigns_once=bool(self.parameters.get("count_campaigns_once"))
        )

    @cached_property
    def resubmissions(self) -> tuple[ResubmissionFlag, ...]:
        from synthesis.duplicates import ResubmissionFlag

        return self._listed(RESUBMISSIONS, ResubmissionFlag)

    @cached_property
    def duplicate_groups(self) -> tuple[DuplicateGroup, ...]:
        return tuple(
            group
            for code in self.outline.duplicate_codes
            for group in read_duplicate_groups(self._load, code)
        )

    @cached_property
    def collapse_map(self) -> dict[str, str]:
        return dict(rows_of(self._load(RUN_WIDE, COLLAPSE_MAP)))

    @cached_property
    def opinion_groups(self) -> tuple[OpinionGroup, ...]:
        from synthesis.opinion_groups import OpinionGroup

        groups = [
            self._codec.decode(OpinionGroup, data)
            for data in next(iter(self._load(RUN_WIDE, OPINION_GROUPS)), [])
        ]
        members: list[list[str]] = [[] for _ in groups]
        for number, key in rows_of(self._load(RUN_WIDE, OPINION_MEMBERS)):
            members[number].append(key)
        return tuple(
            replace(group, member_keys=tuple(members[n])) for n, group in enumerate(groups)
        )

    @cached_property
    def opinion_projection(self) -> tuple[tuple[float, ...], ...]:
        return tuple(tuple(row) for row in rows_of(self._load(RUN_WIDE, OPINION_PROJECTION)))

    @property
    def themes(self) -> tuple[QuestionThemes, ...]:
        return tuple(
            found for code in self.theme_codes if (found := self.question_themes(code)) is not None
        )

    def question_themes(self, code: str) -> QuestionThemes | None:
        if code not in self._themes:
            found = read_question_themes(self._codec, self._load, code)
            if found is not None and code in self._edits:
                from synthesis.theme_edits import apply_edits

                found = apply_edits(found, self.passages_of(code), self._edits[code])
            self._themes[code] = found
        return self._themes[code]

    def passages_of(self, code: str) -> tuple[Passage, ...]:
        return read_passages(self._load, code)

    @property
    def passages(self) -> dict[str, tuple[Passage, ...]]:
        return {code: self.passages_of(code) for code in self.theme_codes}

    def _listed(self, stage: str, cls: type) -> tuple[Any, ...]:
        return tuple(self._codec.decode(cls, data) for data in rows_of(self._load(RUN_WIDE, stage)))
