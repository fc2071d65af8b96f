"""One synthesis run: tabulation, duplicates and campaigns, themes, opinion groups, in that order.

The pipeline is what the web app's background worker, the `hearing synthesize` command and a
benchmark all call, so it knows nothing of Flask or the database: it takes a snapshot, reports
progress through a callback and returns a `SynthesisResult` that serialises to plain JSON for
the `SynthesisRun.result` column and reads back into the same typed objects.

Hidden respondents (moderated away) are left out of every stage. The result keeps the themes
as clustered, *before* human edits, together with the passages they were built from: edits are
data (`synthesis.theme_edits`) applied on top with `SynthesisResult.with_theme_edits`, so an
edit made after the run shows at once and the same edits are re-applied to the next run.

`input_hash` is a SHA-256 of the respondents, their answers and the run's parameters in a
canonical JSON form: the same input gives the same hash, and a caller can skip a re-run that
would only reproduce the latest result.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from synthesis.result_codec import ResultCodec
from synthesis.snapshot import ConsultationSnapshot
from synthesis.tabulation import QuestionTabulation, tabulate

if TYPE_CHECKING:  # importing these loads scikit-learn and simplemma; the stages do it lazily
    from synthesis.duplicates import DuplicateDetector, DuplicateGroup, ResubmissionFlag
    from synthesis.opinion_groups import OpinionGroup
    from synthesis.text import Passage
    from synthesis.theme_edits import ThemeEdit
    from synthesis.theme_summary import QuestionThemes

Progress = Callable[[str, float], None]
STAGES: tuple[str, ...] = ("tabulation", "duplicates", "themes", "opinion_groups")
# Share of a typical run's time each stage takes: progress moves evenly on the clock.
_STAGE_SHARE = {"tabulation": 0.03, "duplicates": 0.12, "themes": 0.75, "opinion_groups": 0.10}
RESULT_FORMAT = 2  # 2: opinion-group positions as agreement (higher = more agreement)
# From this many text answers the duplicate search runs in a second process beside the themes:
# at 100,000 answers each takes tens of seconds, and a machine has at least two cores. Below
# it, starting an interpreter (about a second) costs more than it saves.
BACKGROUND_DUPLICATES_MIN_ANSWERS = 20_000


@dataclass(frozen=True)
class SynthesisResult:
    """Everything one run found. `tabulations` count every respondent; `campaign_tabulations`
    count the members of each campaign once (`DuplicateDetector.collapse_map_`)."""

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

    def question_themes(self, code: str) -> QuestionThemes | None:
        return next((found for found in self.themes if found.question_code == code), None)

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
        return _codec().encode(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SynthesisResult:
        if data.get("format") != RESULT_FORMAT:
            raise ValueError(f"stored result has format {data.get('format')}, not {RESULT_FORMAT}")
        return _codec().decode(cls, data)


class SynthesisPipeline:
    """Runs every synthesis step on a snapshot (scikit-learn style: `__init__` stores params).

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
        canonical = {
            "snapshot": _canonical_snapshot(_visible(snapshot)),
            "parameters": self.get_params(),
        }
        text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def run(
        self, snapshot: ConsultationSnapshot, progress: Progress | None = None
    ) -> SynthesisResult:
        """Every stage; `progress(stage, fraction)` gets the fraction of the whole run that is
        done (0–1), at the start and end of each stage and after each question's themes.

        With at least `BACKGROUND_DUPLICATES_MIN_ANSWERS` text answers the duplicate search runs
        in a second process while this one finds the themes, and reports its end after them."""
        report = progress or (lambda stage, fraction: None)
        visible = _visible(snapshot)
        timings: dict[str, float] = {}
        done = 0.0

        def stage_done(stage: str, started: float) -> None:
            nonlocal done
            timings[stage] = round(time.perf_counter() - started, 4)
            done += _STAGE_SHARE[stage]
            report(stage, min(done, 1.0))

        started = time.perf_counter()
        report("tabulation", done)
        tabulations = tuple(tabulate(visible))
        stage_done("tabulation", started)

        def duplicates_done(found: tuple[DuplicateDetector, float]) -> None:
            nonlocal detector, campaign_tabulations, done
            detector, timings["duplicates"] = found
            campaign_tabulations = tuple(tabulate(visible, collapse=detector.collapse_map_()))
            done += _STAGE_SHARE["duplicates"]
            report("duplicates", done)

        detector: DuplicateDetector
        campaign_tabulations: tuple[QuestionTabulation, ...]
        report("duplicates", done)
        search = partial(_find_duplicates, visible, self.duplicate_threshold, self.random_state)
        in_background = _text_answer_count(visible) >= BACKGROUND_DUPLICATES_MIN_ANSWERS
        with _one_spawned_process() if in_background else nullcontext() as executor:
            background = executor.submit(search) if executor else None
            if background is None:
                duplicates_done(search())

            started = time.perf_counter()
            report("themes", done)
            # duplicates found first (small runs): themes count each group once; else the
            # themes' own collapse of identical passages and answers stands in for it
            collapse = {} if background is not None else _collapse_by_question(detector.groups_)
            themes, passages = self._themes(
                visible, lambda share: report("themes", done + share), collapse
            )
            stage_done("themes", started)

            if background is not None:
                report("duplicates", done)
                duplicates_done(background.result())

        started = time.perf_counter()
        report("opinion_groups", done)
        groups, projection, silhouette = self._opinion_groups(visible)
        stage_done("opinion_groups", started)

        return SynthesisResult(
            input_hash=self.input_hash(visible),
            parameters=self.get_params(),
            respondent_count=len(visible.respondents),
            timings=timings,
            tabulations=tabulations,
            campaign_tabulations=campaign_tabulations,
            duplicate_groups=tuple(detector.groups_),
            resubmissions=tuple(detector.resubmissions_),
            collapse_map=detector.collapse_map_(),
            themes=themes,
            passages=passages,
            opinion_groups=groups,
            opinion_projection=projection,
            opinion_silhouette=silhouette,
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

    def _themes(
        self,
        snapshot: ConsultationSnapshot,
        moved: Callable[[float], None],
        collapse: Mapping[str, Mapping[str, str]],
    ) -> tuple[tuple[QuestionThemes, ...], dict[str, tuple[Passage, ...]]]:
        """Themes of every question with text answers; `moved(share)` after each question.
        `collapse` maps a question code to its duplicate groups (member → representative)."""
        from synthesis.theme_background import consultation_background
        from synthesis.themes import ThemeModel

        background = consultation_background(snapshot, random_state=self.random_state)

        codes = [
            question.code
            for question in snapshot.questions
            if question.kind.has_text
            and any(answer.text for _, answer in snapshot.answers_to(question.code))
        ]
        themes, passages = [], {}
        for number, code in enumerate(codes, start=1):
            model = ThemeModel(n_themes=self.n_themes, random_state=self.random_state)
            model.fit(snapshot, code, collapse=collapse.get(code, {}), background=background)
            themes.append(model.to_question_themes())
            passages[code] = tuple(model.passages_)
            moved(_STAGE_SHARE["themes"] * number / len(codes))
        return tuple(themes), passages


def _collapse_by_question(
    groups: Sequence[DuplicateGroup],
) -> dict[str, dict[str, str]]:
    """Per question, each member of a duplicate or campaign group → the group's first member.

    Per question, not `collapse_map_`: that joins respondents across questions (one campaign
    on question 2 makes its members one unit everywhere), while on another question the same
    respondents may have written texts of their own."""
    collapse: dict[str, dict[str, str]] = {}
    for group in groups:
        if group.question_code is None or not group.member_keys:
            continue
        representative = group.member_keys[0]
        of_question = collapse.setdefault(group.question_code, {})
        for key in group.member_keys:
            of_question.setdefault(key, representative)
    return collapse


def _find_duplicates(
    snapshot: ConsultationSnapshot, threshold: float, random_state: int
) -> tuple[DuplicateDetector, float]:
    """The fitted detector and its seconds; a module function, so a process can run it."""
    from synthesis.duplicates import DuplicateDetector

    started = time.perf_counter()
    detector = DuplicateDetector(threshold=threshold, random_state=random_state).fit(snapshot)
    return detector, round(time.perf_counter() - started, 4)


def _one_spawned_process() -> ProcessPoolExecutor:
    """A fresh interpreter for the duplicate search: spawned, not forked, because the web app
    runs the pipeline in a thread, and forking a threaded process can copy a held lock."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


def _text_answer_count(snapshot: ConsultationSnapshot) -> int:
    return sum(
        1
        for respondent in snapshot.respondents
        for answer in respondent.answers.values()
        if answer.text
    )


def _visible(snapshot: ConsultationSnapshot) -> ConsultationSnapshot:
    if not any(respondent.hidden for respondent in snapshot.respondents):
        return snapshot
    return replace(snapshot, respondents=tuple(r for r in snapshot.respondents if not r.hidden))


def _canonical_snapshot(snapshot: ConsultationSnapshot) -> dict[str, Any]:
    """What the results depend on, in a stable order (respondent order matters to grouping)."""
    return {
        # the themes mute the words of the title and the consulted document
        "title": snapshot.title,
        "document": hashlib.sha256(snapshot.document.encode("utf-8")).hexdigest(),
        "scale": [list(snapshot.scale.points), snapshot.scale.dont_know],
        "categories": [[c.name, c.sector.value] for c in snapshot.categories],
        "questions": [[q.code, str(q.kind)] for q in snapshot.questions],
        "respondents": [
            [
                r.key,
                r.name,
                r.category,
                [  # choices only where given: earlier runs' hashes stay as they were
                    [code, a.value, a.text, a.dont_know, *([list(a.choices)] if a.choices else [])]
                    for code, a in sorted(r.answers.items())
                ],
            ]
            for r in snapshot.respondents
        ],
    }


def _finite_or_none(value: float | None) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def _codec() -> ResultCodec:
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
