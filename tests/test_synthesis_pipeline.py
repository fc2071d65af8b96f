"""The synthesis pipeline on seed 004 (no database): tallies, progress, storage, hashing."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from hearing.imports.compiled import parse_compiled
from synthesis.pipeline import STAGES, SynthesisPipeline, SynthesisResult
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Sector,
)
from synthesis.theme_edits import MarkReviewed, RenameTheme, anchor_of

DEMO_FILE = (
    Path(__file__).resolve().parent.parent / "hearing" / "demo_data" / "compiled_responses.txt"
)
SEED_004_TALLIES = {"1": (8, 13, 3, 2, 0), "2": (9, 8, 4, 2, 0), "3": (6, 11, 5, 2, 0)}


@pytest.fixture(scope="module")
def seed_snapshot() -> ConsultationSnapshot:
    return parse_compiled(DEMO_FILE.read_text(encoding="utf-8")).snapshot


@pytest.fixture(scope="module")
def progress_and_result(seed_snapshot) -> tuple[list[tuple[str, float]], SynthesisResult]:
    reports: list[tuple[str, float]] = []
    result = SynthesisPipeline(n_themes=3).run(
        seed_snapshot, progress=lambda stage, fraction: reports.append((stage, fraction))
    )
    return reports, result


@pytest.fixture(scope="module")
def seed_result(progress_and_result) -> SynthesisResult:
    return progress_and_result[1]


def test_tallies_match_seed_004(seed_result):
    tallies = {t.question_code: t.overall.counts for t in seed_result.tabulations}
    assert tallies == SEED_004_TALLIES
    assert seed_result.respondent_count == 33
    # seed 004 has no campaign, so counting campaigns once changes nothing
    assert seed_result.campaign_tabulations == seed_result.tabulations


def test_every_text_question_has_themes_and_cross_references_apart(seed_result):
    assert [q.question_code for q in seed_result.themes] == ["1.a", "1.b", "2", "3", "4"]
    for found in seed_result.themes:
        themes = [theme for theme in found.themes if not theme.is_other]
        assert 1 <= len(themes) <= 2 * 3  # n_themes=3, each maybe split by stance
        hashes = {p.passage_hash for p in seed_result.passages[found.question_code]}
        assert all(set(theme.passage_hashes) <= hashes for theme in found.themes)
    # "Se kommentarer under punkt 4" is a cross-reference, not a theme member
    question_2 = seed_result.question_themes("2")
    assert question_2 is not None and question_2.cross_references
    members = {key for theme in question_2.themes for key in theme.respondent_keys}
    assert not members & set(question_2.cross_references)


def test_the_two_stavanger_entries_are_flagged(seed_snapshot, seed_result):
    names = {r.key: r.name for r in seed_snapshot.respondents}
    flagged = [{names[key] for key in flag.respondent_keys} for flag in seed_result.resubmissions]
    assert any(all(name.startswith("Stavanger kommune") for name in pair) for pair in flagged)


def test_respondents_with_positions_fall_into_opinion_groups(seed_snapshot, seed_result):
    positioned = {
        r.key
        for r in seed_snapshot.respondents
        if any(r.answer(code) and r.answer(code).value is not None for code in SEED_004_TALLIES)
    }
    members = [key for group in seed_result.opinion_groups for key in group.member_keys]
    assert sorted(members) == sorted(positioned)
    assert 2 <= len(seed_result.opinion_groups) <= 5
    assert len(seed_result.opinion_projection) == len(positioned)


def test_progress_moves_through_the_stages_in_order(progress_and_result):
    reports, result = progress_and_result
    stages = list(dict.fromkeys(stage for stage, _ in reports))
    assert tuple(stages) == STAGES
    fractions = [fraction for _, fraction in reports]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0 and fractions[-1] == pytest.approx(1.0)
    assert len({f for stage, f in reports if stage == "themes"}) > 3  # moves per question
    assert set(result.timings) == set(STAGES)


def test_result_round_trips_through_json(seed_result):
    stored = json.loads(json.dumps(seed_result.to_dict()))
    assert SynthesisResult.from_dict(stored) == seed_result


def test_edited_result_round_trips_too(seed_result):
    found = seed_result.themes[0]
    theme = found.themes[0]
    edited = seed_result.with_theme_edits(
        {found.question_code: [RenameTheme(anchor_of(theme), "Kunnskap"), MarkReviewed(("x",))]}
    )
    first = edited.themes[0]
    assert any(t.label == "Kunnskap" for t in first.themes)
    assert [d.edit for d in first.dropped_edits] == [MarkReviewed(("x",))]
    assert SynthesisResult.from_dict(json.loads(json.dumps(edited.to_dict()))) == edited


def test_an_unknown_result_format_is_refused(seed_result):
    with pytest.raises(ValueError):
        SynthesisResult.from_dict({**seed_result.to_dict(), "format": 0})


def test_input_hash_follows_the_input_and_parameters(seed_snapshot, seed_result):
    pipeline = SynthesisPipeline(n_themes=3)
    assert pipeline.input_hash(seed_snapshot) == seed_result.input_hash
    assert SynthesisPipeline(n_themes=3).input_hash(seed_snapshot) == seed_result.input_hash
    assert SynthesisPipeline(n_themes=4).input_hash(seed_snapshot) != seed_result.input_hash
    first = seed_snapshot.respondents[0]
    changed = replace(
        seed_snapshot,
        respondents=(
            replace(first, answers={**first.answers, "1": Answer("1", value=4)}),
            *seed_snapshot.respondents[1:],
        ),
    )
    assert pipeline.input_hash(changed) != seed_result.input_hash
    hidden = replace(seed_snapshot, respondents=(*seed_snapshot.respondents, _respondent(99)))
    hidden = replace(
        hidden, respondents=(*hidden.respondents[:-1], replace(hidden.respondents[-1], hidden=True))
    )
    assert pipeline.input_hash(hidden) == seed_result.input_hash


def test_themes_are_deterministic(seed_snapshot, seed_result):
    only_question_4 = replace(
        seed_snapshot, questions=tuple(q for q in seed_snapshot.questions if q.code in {"1", "4"})
    )
    again = SynthesisPipeline(n_themes=3).run(only_question_4)
    assert again.themes == (seed_result.question_themes("4"),)


def _respondent(number: int, text: str = "", value: int | None = None) -> Respondent:
    answers = {"1": Answer("1", value=value)} if value is not None else {}
    if text:
        answers["2"] = Answer("2", text=text)
    return Respondent(
        key=f"k{number}", name=f"Svar {number}", category="Kommune (Offentlig)", answers=answers
    )


def test_campaign_members_can_be_counted_once():
    template = (
        "Vi krever at kommunen styrker helsestasjonen og skolehelsetjenesten med flere "
        "stillinger til helsesykepleiere i alle bydeler."
    )
    respondents = (
        *(_respondent(n, template, value=4) for n in range(1, 5)),
        _respondent(5, "Barnehagene trenger flere pedagoger og bedre bemanning hver dag.", 0),
        _respondent(6, "", 1),
    )
    snapshot = ConsultationSnapshot(
        slug="kampanje",
        title="Kampanje",
        categories=(Category("Kommune", Sector.PUBLIC),),
        questions=(
            Question("1", "Enig?", QuestionKind.SCALE),
            Question("2", "Hvorfor?", QuestionKind.TEXT),
        ),
        respondents=respondents,
    )
    result = SynthesisPipeline(count_campaigns_once=True).run(snapshot)
    assert [g.kind for g in result.duplicate_groups] == ["campaign"]
    assert result.tabulations[0].overall.counts == (1, 1, 0, 0, 4)
    assert result.campaign_tabulations[0].overall.counts == (1, 1, 0, 0, 1)
    assert result.reported_tabulations == result.campaign_tabulations
