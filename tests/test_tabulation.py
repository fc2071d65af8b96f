"""Positions by respondent type: counts, shares, mean, net agreement, answered, collapse."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Sector,
)
from synthesis.tabulation import PositionCounts, tabulate

CATEGORIES = (
    Category("Forvaltning", Sector.PUBLIC),
    Category("Organisasjon", Sector.PRIVATE),
    Category("Privatperson", Sector.INDIVIDUAL),
)
QUESTIONS = (
    Question("1", "Scale only", QuestionKind.SCALE),
    Question("1.a", "Text only", QuestionKind.TEXT),
    Question("2", "Scale and text", QuestionKind.SCALE_TEXT),
)


def respondent(key: str, category: str, *answers: Answer) -> Respondent:
    return Respondent(
        key=key, name=key, category=category, answers={a.question_code: a for a in answers}
    )


def snapshot_of(*respondents: Respondent) -> ConsultationSnapshot:
    return ConsultationSnapshot(
        slug="t", title="T", categories=CATEGORIES, questions=QUESTIONS, respondents=respondents
    )


def scale(code: str, value: int) -> Answer:
    return Answer(code, value=value)


@pytest.fixture
def small() -> ConsultationSnapshot:
    return snapshot_of(
        respondent("a", "Forvaltning (Offentlig)", scale("1", 0), Answer("2", text="Bare tekst")),
        respondent("b", "Forvaltning (Offentlig)", scale("1", 1), scale("2", 4)),
        respondent("c", "Organisasjon (Privat)", scale("1", 0), Answer("2", dont_know=True)),
        respondent("d", "Privatperson (Enkeltperson)", scale("1", 3)),
        respondent("e", "Privatperson (Enkeltperson)", Answer("1.a", text="Kun fritekst")),
    )


def by_code(snapshot: ConsultationSnapshot, **kwargs) -> dict:
    return {table.question_code: table for table in tabulate(snapshot, **kwargs)}


def test_only_scale_questions_are_tabulated_in_order(small):
    assert [t.question_code for t in tabulate(small)] == ["1", "2"]


def test_counts_overall_by_category_and_sector(small):
    table = by_code(small)["1"]
    assert table.labels[0] == "Helt enig"
    assert table.overall.counts == (2, 1, 0, 1, 0)
    assert list(table.by_category) == [
        "Forvaltning (Offentlig)",
        "Organisasjon (Privat)",
        "Privatperson (Enkeltperson)",
    ]
    assert table.by_category["Forvaltning (Offentlig)"].counts == (1, 1, 0, 0, 0)
    assert table.by_category["Privatperson (Enkeltperson)"].counts == (0, 0, 0, 1, 0)
    assert table.by_sector["public"].counts == (1, 1, 0, 0, 0)
    assert table.by_sector["individual"].total == 1
    assert (table.answered, table.not_answered) == (4, 1)


def test_text_only_answer_counts_as_answered_and_dont_know_is_kept_apart(small):
    table = by_code(small)["2"]
    assert table.overall.counts == (0, 0, 0, 0, 1)
    assert table.overall.dont_know == 1
    assert table.overall.total == 2
    assert table.overall.percentages == (0.0, 0.0, 0.0, 0.0, 100.0)
    assert (table.answered, table.not_answered) == (3, 2)


def test_mean_and_net_agreement():
    counts = PositionCounts(counts=(8, 13, 3, 2, 0), dont_know=5, total=31)
    assert counts.mean == pytest.approx((8 + 26 + 9 + 8) / 26)
    assert counts.net_agreement == pytest.approx(100 * (21 - 2) / 26)
    assert sum(counts.percentages) == pytest.approx(100.0)
    even = PositionCounts(counts=(1, 1, 1, 3), dont_know=0, total=6)
    assert even.net_agreement == pytest.approx(100 * (2 - 4) / 6)
    empty = PositionCounts(counts=(0, 0, 0), dont_know=2, total=2)
    assert (empty.mean, empty.net_agreement) == (None, None)
    assert empty.percentages == (0.0, 0.0, 0.0)


def test_collapse_counts_campaign_members_once_with_the_representatives_answer():
    snapshot = snapshot_of(
        respondent("m1", "Privatperson (Enkeltperson)", scale("1", 4)),
        respondent("rep", "Organisasjon (Privat)", scale("1", 0)),
        respondent("m2", "Privatperson (Enkeltperson)", scale("1", 4)),
        respondent("other", "Forvaltning (Offentlig)"),
    )
    plain = by_code(snapshot)["1"]
    assert plain.overall.counts == (1, 0, 0, 0, 2)
    collapsed = by_code(snapshot, collapse={"m1": "rep", "m2": "rep", "rep": "rep"})["1"]
    assert collapsed.overall.counts == (1, 0, 0, 0, 0)
    assert collapsed.by_category["Organisasjon (Privat)"].counts == (1, 0, 0, 0, 0)
    assert (collapsed.answered, collapsed.not_answered) == (1, 1)


def test_hidden_respondents_and_unknown_categories():
    hidden = Respondent(
        "h", "h", "Forvaltning (Offentlig)", hidden=True, answers={"1": scale("1", 0)}
    )
    stray = respondent("s", "Ukjent", scale("1", 2))
    table = by_code(snapshot_of(hidden, stray))["1"]
    assert table.overall.counts == (0, 0, 1, 0, 0)
    assert table.by_category["Ukjent"].counts == (0, 0, 1, 0, 0)
    assert all(counts.total == 0 for counts in table.by_sector.values())


def test_no_respondents_gives_empty_tables():
    table = by_code(snapshot_of())["1"]
    assert table.overall.total == 0
    assert (table.answered, table.not_answered) == (0, 0)


SEED = Path(__file__).resolve().parents[1] / "hearing" / "demo_data" / "compiled_responses.txt"


def test_seed_004_tallies_match_the_compiled_summary():
    compiled = pytest.importorskip("hearing.imports.compiled")
    document = compiled.parse_compiled(SEED.read_text(encoding="utf-8"))
    snapshot = document.snapshot
    assert len(snapshot.respondents) == 33
    tables = by_code(snapshot)
    assert tables["1"].overall.counts == (8, 13, 3, 2, 0)
    assert tables["2"].overall.counts == (9, 8, 4, 2, 0)
    assert tables["3"].overall.counts == (6, 11, 5, 2, 0)
    answered = {q.code: sum(1 for _ in snapshot.answers_to(q.code)) for q in snapshot.questions}
    assert answered == {"1": 26, "1.a": 21, "1.b": 13, "2": 23, "3": 24, "4": 19}
    for code in ("1", "2", "3"):
        assert tables[code].answered == answered[code]
        assert tables[code].not_answered == 33 - answered[code]
