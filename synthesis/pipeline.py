"""One synthesis run in steps: a light start, the positions, each question, the finish.

The pipeline is what the task queue's workers, the `hearing synthesize` command and a
benchmark all call, so it knows nothing of Flask or the database: it reads answers from an
`AnswerSource` (`synthesis.answer_source`) and reports progress through a callback. A run is
cut into steps that each hold only what they need, and that separate workers may execute:

1. `prepare`: the consultation's term background (what every question's themes share;
   `synthesis.theme_background`), from a sample of the respondents who wrote anything, read
   alone; and which questions take text.
2. Independent of each other, on as many workers as there are:
   - `positions`: one pass over every respondent, texts streamed past and dropped: the input
     hash, each respondent's positions (no text), their tables and the opinion groups;
   - `question`, once per question that takes text: the question's duplicate and campaign
     groups, then its themes, which count each group once.
3. `finish`, after all of them: tables that count each campaign once, the campaign map across
   questions, and the flags of respondents who may have answered twice.

What is sampled, and why that is sound: the themes' NMF components are fitted on a sample of
a question's distinct passages (`ThemeModel.fit_sample`, 8,000) and their number chosen on a
sample of answer segments (`selection_sample`, 1,000), then *every* passage is assigned by its
closeness to them: components are the directions of the topics, which a few thousand passages
estimate about as well as all of them would (a topic of one passage in a hundred still has some
80 in the sample), while membership, sizes, shares and quotes are counted over all. The term
background reads a sample of 2,000 respondents (`theme_background.RESPONDENT_SAMPLE`): it only
needs the share of respondents using each word, which such a sample knows to about two
percentage points. Nothing else is sampled: every answer is compared for duplicates and
campaigns (a sample would miss the members it left out), and tables and opinion groups count
every respondent.

`run` executes them in turn on a snapshot in memory and returns a `SynthesisResult`; the web
app executes them as tasks and stores each step's output as parts (`synthesis.result_parts`).
Both give the same result for the same answers.

Hidden respondents (moderated away) are left out of every step. The result keeps the themes
as clustered, *before* human edits, together with the passages they were built from: edits are
data (`synthesis.theme_edits`) applied on top with `with_theme_edits`, so an edit made after
the run shows at once and the same edits are re-applied to the next run.

`input_hash` is a SHA-256 of the respondents, their answers and the run's parameters in a
canonical JSON form, fed one respondent at a time: the same input gives the same hash, and a
caller can skip a re-run that would only reproduce the latest result.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from synthesis.answer_source import AnswerSource, SnapshotSource, ValueAnswers
from synthesis.result_codec import ResultCodec
from synthesis.snapshot import ConsultationSnapshot, Respondent
from synthesis.tabulation import QuestionTabulation, tabulate

if TYPE_CHECKING:  # importing these loads scikit-learn and simplemma; the steps do it lazily
    from synthesis.duplicates import DuplicateGroup, ResubmissionFlag
    from synthesis.opinion_groups import OpinionGroup
    from synthesis.text import Passage
    from synthesis.theme_background import TermBackground
    from synthesis.theme_edits import ThemeEdit
    from synthesis.theme_summary import QuestionThemes
    from synthesis.themes import ThemeInput

Progress = Callable[[str, float], None]
STAGES: tuple[str, ...] = ("tabulation", "opinion_groups", "duplicates", "themes")
# Share of a typical run's time each step takes, so progress moves evenly on the clock.
PREPARE_SHARE, FINISH_SHARE = 0.08, 0.04
RESULT_FORMAT = 2  # 2: opinion-group positions as agreement (higher = more agreement)
_canonical = partial(json.dumps, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class SynthesisResult:
    """Everything one run found. `tabulations` count every respondent; `campaign_tabulations`
    count the members of each campaign once (`synthesis.duplicates.collapse_map`)."""

    input_hash: str
    parameters: dict[str, Any]
    respondent_count: int
    timings: dict[str, float]
    tabulations: tuple[QuestionTabulation, ...]
    campaign_tabulations: tuple[QuestionTabulation, ...]
    duplicate_groups: tuple[DuplicateGroup, ...]
    resubmissions: tuple[ResubmissionFlag, ...]
    collapse_map: dict[str, str]
    themes: tuple[QuestionThemes, ...]
    passages: dict[str, tuple[Passage, ...]]  # question code -> passages the themes hold
    opinion_groups: tuple[OpinionGroup, ...] = ()
    opinion_projection: tuple[tuple[float, ...], ...] = ()
    opinion_silhouette: float | None = None
    format: int = field(default=RESULT_FORMAT)

    def tabulations_for(self, *, count_campaigns_once: bool) -> tuple[QuestionTabulation, ...]:
        return self.campaign_tabulations if count_campaigns_once else self.tabulations

    @property
    def reported_tabulations(self) -> tuple[QuestionTabulation, ...]:
        """The tables the run's own `count_campaigns_once` parameter asks to report."""
        return self.tabulations_for(
            count_campaigns_once=bool(self.parameters.get("count_campaigns_once"))
        )

    @property
    def theme_codes(self) -> tuple[str, ...]:
        return tuple(found.question_code for found in self.themes)

    def question_themes(self, code: str) -> QuestionThemes | None:
        return next((found for found in self.themes if found.question_code == code), None)

    def passages_of(self, code: str) -> tuple[Passage, ...]:
        return self.passages.get(code, ())

    def with_theme_edits(self, edits: Mapping[str, Sequence[ThemeEdit]]) -> SynthesisResult:
        """The result with each question's edits applied in order; edits that no longer fit
        are listed in that question's `dropped_edits`."""
        from synthesis.theme_edits import apply_edits

        themes = tuple(
            apply_edits(found, self.passages.get(found.question_code, ()), edits[code])
            if (code := found.question_code) in edits
            else found
            for found in self.themes
        )
        return replace(self, themes=themes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (str, int, float, bool, None, lists and dicts)."""
        return result_codec().encode(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SynthesisResult:
        if data.get("format") != RESULT_FORMAT:
            raise ValueError(f"stored result has format {data.get('format')}, not {RESULT_FORMAT}")
        return result_codec().decode(cls, data)


@dataclass(frozen=True)
class Preparation:
    """What the first step finds, and what the question steps share."""

    background: TermBackground
    question_codes: tuple[str, ...]  # questions that take text, each a question step
    timings: dict[str, float]


@dataclass(frozen=True)
class Positions:
    """What the pass over every respondent's positions finds."""

    input_hash: str
    respondent_count: int
    tabulations: tuple[QuestionTabulation, ...]
    opinion_groups: tuple[OpinionGroup, ...]
    opinion_projection: tuple[tuple[float, ...], ...]
    opinion_silhouette: float | None
    timings: dict[str, float]


@dataclass(frozen=True)
class QuestionOutcome:
    """One question's duplicate and campaign groups, and its themes (None without text)."""

    question_code: str
    duplicate_groups: tuple[DuplicateGroup, ...]
    themes: QuestionThemes | None
    passages: tuple[Passage, ...]
    timings: dict[str, float]


@dataclass(frozen=True)
class Finish:
    campaign_tabulations: tuple[QuestionTabulation, ...]
    resubmissions: tuple[ResubmissionFlag, ...]
    collapse_map: dict[str, str]
    timings: dict[str, float]


class SynthesisPipeline:
    """Runs every synthesis step (scikit-learn style: `__init__` stores params).

    `n_themes` fixes the number of themes per question (None: chosen per question by
    silhouette); `duplicate_threshold` is the word-set Jaccard index that links two answers;
    `count_campaigns_once` makes the reported tables count each campaign as one respondent.
    """

    def __init__(
        self,
        random_state: int = 0,
        n_themes: int | None = None,
        duplicate_threshold: float = 0.6,
        max_opinion_groups: int = 5,
        count_campaigns_once: bool = False,
    ) -> None:
        self.random_state = random_state
        self.n_themes = n_themes
        self.duplicate_threshold = duplicate_threshold
        self.max_opinion_groups = max_opinion_groups
        self.count_campaigns_once = count_campaigns_once

    def get_params(self) -> dict[str, Any]:
        return {
            "random_state": self.random_state,
            "n_themes": self.n_themes,
            "duplicate_threshold": self.duplicate_threshold,
            "max_opinion_groups": self.max_opinion_groups,
            "count_campaigns_once": self.count_campaigns_once,
        }

    def input_hash(self, snapshot: ConsultationSnapshot) -> str:
        """SHA-256 of the visible respondents, their answers and the parameters."""
        return self.hash_of(SnapshotSource(snapshot))

    def hash_of(self, source: AnswerSource) -> str:
        """`input_hash` of a source's respondents, streamed through the hash one at a time."""
        hasher = InputHasher(source.frame, self.get_params())
        for respondent in source.respondents():
            hasher.add(respondent)
        return hasher.hexdigest()

    def run(
        self, snapshot: ConsultationSnapshot, progress: Progress | None = None
    ) -> SynthesisResult:
        """Every step in turn on a snapshot in memory; `progress(stage, fraction)` gets the
        fraction of the whole run that is done (0–1), within each step and after each
        question."""
        report = progress or (lambda stage, fraction: None)
        source = SnapshotSource(snapshot)
        report("tabulation", 0.0)
        prepared = self.prepare(source)
        found = self.positions(source, lambda stage, share: report(stage, share * PREPARE_SHARE))
        outcomes = []
        for number, code in enumerate(prepared.question_codes):

            def moved(stage: str, share: float, number: int = number) -> None:
                done = (number + share) / len(prepared.question_codes)
                report(stage, PREPARE_SHARE + done * (1 - PREPARE_SHARE - FINISH_SHARE))

            outcomes.append(self.question(source, code, prepared.background, moved))
        groups = [group for outcome in outcomes for group in outcome.duplicate_groups]
        finished = self.finish(source, groups)
        report("duplicates", 1.0)
        return assemble(self.get_params(), prepared, found, outcomes, finished)

    def prepare(self, source: AnswerSource) -> Preparation:
        """Step 1: the term background and the questions that take text."""
        started = time.perf_counter()
        background = self._background(source, list(source.keys_with_text()))
        question_codes = tuple(q.code for q in source.frame.questions if q.kind.has_text)
        return Preparation(background, question_codes, {"themes": _seconds(started)})

    def positions(self, source: AnswerSource, progress: Progress | None = None) -> Positions:
        """Step 2 over all respondents: hash, positions, tables and opinion groups."""
        report = progress or (lambda stage, fraction: None)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        report("tabulation", 0.0)
        hasher = InputHasher(source.frame, self.get_params())
        positions = ValueAnswers()
        kept: list[Respondent] = []
        for respondent in source.respondents():
            hasher.add(respondent)
            kept.append(positions.of(respondent))
        values = replace(source.frame, respondents=tuple(kept))
        del kept
        tabulations = tuple(tabulate(values))
        timings["tabulation"] = _seconds(started)
        report("opinion_groups", 0.6)
        started = time.perf_counter()
        groups, projection, silhouette = self._opinion_groups(values)
        timings["opinion_groups"] = _seconds(started)
        report("opinion_groups", 1.0)
        return Positions(
            input_hash=hasher.hexdigest(),
            respondent_count=len(values.respondents),
            tabulations=tabulations,
            opinion_groups=groups,
            opinion_projection=projection,
            opinion_silhouette=silhouette,
            timings=timings,
        )

    def question(
        self,
        source: AnswerSource,
        code: str,
        background: TermBackground,
        progress: Progress | None = None,
    ) -> QuestionOutcome:
        """Step 2 for one question: its duplicate and campaign groups, then its themes, with
        each group counted once. Only this question's answers are read (and its parent
        question's positions, which the themes' stance check looks at)."""
        from synthesis.duplicates import DuplicateDetector

        report = progress or (lambda stage, fraction: None)
        report("duplicates", 0.0)
        parent = code.split(".")[0]
        codes = [code] if parent == code else [code, parent]
        answered = replace(source.frame, respondents=tuple(source.answers_to(codes)))
        timings: dict[str, float] = {}
        started = time.perf_counter()
        detector = DuplicateDetector(
            threshold=self.duplicate_threshold, random_state=self.random_state
        ).fit_question(answered, code)
        groups = tuple(detector.groups_)
        timings["duplicates"] = _seconds(started)
        report("themes", 0.25)
        started = time.perf_counter()
        themes, passages = None, ()
        if any(answer.text for _, answer in answered.answers_to(code)):
            from synthesis.themes import theme_input

            given = theme_input(answered, code)
            del answered  # the themes hold what they need of the answers, and drop it in turn
            themes, passages = self._themes(given, _collapse_of(groups), background)
        timings["themes"] = _seconds(started)
        report("themes", 1.0)
        return QuestionOutcome(code, groups, themes, passages, timings)

    def finish(self, source: AnswerSource, groups: Sequence[DuplicateGroup]) -> Finish:
        """Step 3: tables counting each campaign once, the campaign map, resubmission flags."""
        from synthesis.duplicates import collapse_map
        from synthesis.resubmissions import find_resubmissions

        started = time.perf_counter()
        values = replace(source.frame, respondents=tuple(source.respondents(texts=False)))
        collapse = collapse_map(groups)
        campaign_tabulations = tuple(tabulate(values, collapse=collapse))
        flags = find_resubmissions(
            list(values.respondents),
            [(g.question_code, g.member_keys) for g in groups if g.kind == "exact"],
        )
        return Finish(
            campaign_tabulations, tuple(flags), collapse, {"duplicates": _seconds(started)}
        )

    def _opinion_groups(
        self, snapshot: ConsultationSnapshot
    ) -> tuple[tuple[OpinionGroup, ...], tuple[tuple[float, ...], ...], float | None]:
        """The groups, the respondents' 2-D projection and the silhouette of the grouping."""
        from synthesis.opinion_groups import OpinionGroups

        model = OpinionGroups(
            max_groups=self.max_opinion_groups, random_state=self.random_state
        ).fit(snapshot)
        projection = tuple(tuple(float(x) for x in row) for row in model.projection_)
        return tuple(model.groups_), projection, _finite_or_none(model.silhouette_)

    def _background(self, source: AnswerSource, with_text: Sequence[str]) -> TermBackground:
        """The consultation's term background from the respondents it samples: the same
        sample `consultation_background` draws from the whole snapshot (`RESPONDENT_SAMPLE`
        of those who wrote anything, by the run's random state), read alone."""
        from synthesis.theme_background import RESPONDENT_SAMPLE, consultation_background

        keys = list(with_text)
        if len(keys) > RESPONDENT_SAMPLE:
            rng = np.random.default_rng(self.random_state)
            chosen = np.sort(rng.choice(len(keys), size=RESPONDENT_SAMPLE, replace=False))
            keys = [keys[i] for i in chosen.tolist()]
        sampled = replace(source.frame, respondents=tuple(source.respondents_with_keys(keys)))
        return consultation_background(sampled, random_state=self.random_state)

    def _themes(
        self, given: ThemeInput, collapse: Mapping[str, str], background: TermBackground
    ) -> tuple[QuestionThemes, tuple[Passage, ...]]:
        """Themes of one question's text answers; `collapse` maps the members of its
        duplicate groups to their group's representative."""
        from synthesis.themes import ThemeModel

        model = ThemeModel(n_themes=self.n_themes, random_state=self.random_state)
        model.fit_input(given, collapse=collapse, background=background)
        return model.to_question_themes(), tuple(model.passages_)


def assemble(
    parameters: dict[str, Any],
    prepared: Preparation,
    found: Positions,
    outcomes: Iterable[QuestionOutcome],
    finished: Finish,
) -> SynthesisResult:
    """The whole result of the steps' outputs."""
    outcomes = list(outcomes)
    return SynthesisResult(
        input_hash=found.input_hash,
        parameters=parameters,
        respondent_count=found.respondent_count,
        timings=summed_timings(
            [prepared.timings, found.timings, *(o.timings for o in outcomes), finished.timings]
        ),
        tabulations=found.tabulations,
        campaign_tabulations=finished.campaign_tabulations,
        duplicate_groups=tuple(g for o in outcomes for g in o.duplicate_groups),
        resubmissions=finished.resubmissions,
        collapse_map=finished.collapse_map,
        themes=tuple(o.themes for o in outcomes if o.themes is not None),
        passages={o.question_code: o.passages for o in outcomes if o.themes is not None},
        opinion_groups=found.opinion_groups,
        opinion_projection=found.opinion_projection,
        opinion_silhouette=found.opinion_silhouette,
    )


def summed_timings(timings: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """Seconds per stage over the steps (CPU-bound work: with workers in parallel, their sum
    exceeds the run's wall time)."""
    total = dict.fromkeys(STAGES, 0.0)
    for step in timings:
        for stage, seconds in step.items():
            total[stage] = round(total.get(stage, 0.0) + seconds, 4)
    return total


class InputHasher:
    """The input hash, fed one respondent at a time: SHA-256 of one canonical JSON text of the
    consultation's shape, every respondent's answers and the run's parameters, the same bytes
    as `json.dumps(..., sort_keys=True)` of the whole would give, without holding it."""

    def __init__(self, frame: ConsultationSnapshot, parameters: Mapping[str, Any]) -> None:
        self._sha = hashlib.sha256()
        self._first = True
        self._tail = (
            f'],"scale":{_canonical([list(frame.scale.points), frame.scale.dont_know])}'
            f',"title":{_canonical(frame.title)}}}}}'
        )
        head = (
            f'{{"parameters":{_canonical(parameters)},"snapshot":{{'
            f'"categories":{_canonical([[c.name, c.sector.value] for c in frame.categories])},'
            # the themes mute the words of the title and the consulted document
            f'"document":{_canonical(hashlib.sha256(frame.document.encode()).hexdigest())},'
            f'"questions":{_canonical([[q.code, str(q.kind)] for q in frame.questions])},'
            '"respondents":['
        )
        self._sha.update(head.encode())

    def add(self, respondent: Respondent) -> None:
        """The next respondent (respondent order matters to grouping, so it is hashed)."""
        entry = [
            respondent.key,
            respondent.name,
            respondent.category,
            [  # choices only where given: earlier runs' hashes stay as they were
                [code, a.value, a.text, a.dont_know, *([list(a.choices)] if a.choices else [])]
                for code, a in sorted(respondent.answers.items())
            ],
        ]
        self._sha.update((("" if self._first else ",") + _canonical(entry)).encode())
        self._first = False

    def hexdigest(self) -> str:
        final = self._sha.copy()
        final.update(self._tail.encode())
        return final.hexdigest()


def _collapse_of(groups: Sequence[DuplicateGroup]) -> dict[str, str]:
    """Each member of one question's duplicate and campaign groups → its group's first member.

    Per question, not the run's campaign map: that joins respondents across questions (one
    campaign on question 2 makes its members one unit everywhere), while on another question
    the same respondents may have written texts of their own."""
    collapse: dict[str, str] = {}
    for group in groups:
        for key in group.member_keys:
            collapse.setdefault(key, group.member_keys[0])
    return collapse


def _seconds(started: float) -> float:
    return round(time.perf_counter() - started, 4)


def _finite_or_none(value: float | None) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def result_codec() -> ResultCodec:
    """The codec of results and their parts, with the types it must resolve by name."""
    from synthesis.duplicates import DuplicateGroup, ResubmissionFlag
    from synthesis.opinion_groups import OpinionGroup
    from synthesis.text import Passage
    from synthesis.theme_edits import DroppedEdit, ThemeEdit, edit_from_dict, edit_to_dict
    from synthesis.theme_summary import QuestionThemes

    names = {
        "DroppedEdit": DroppedEdit,
        "DuplicateGroup": DuplicateGroup,
        "OpinionGroup": OpinionGroup,
        "Passage": Passage,
        "QuestionThemes": QuestionThemes,
        "ResubmissionFlag": ResubmissionFlag,
        "ThemeEdit": ThemeEdit,
    }
    return ResultCodec(names=names, codecs={ThemeEdit: (edit_to_dict, edit_from_dict)})
