"""Human edits to themes survive a re-run; edits about changed answers are dropped and reported."""

import json

import pytest

from synthesis.theme_edits import (
    MarkReviewed,
    MergeThemes,
    MovePassage,
    RenameTheme,
    SplitTheme,
    anchor_of,
    apply_edits,
    edit_from_dict,
    edit_to_dict,
)
from synthesis.themes import ThemeModel
from tests.test_themes import FUNDING, make_snapshot


def run(extra: dict[str, str] | None = None) -> ThemeModel:
    return ThemeModel(n_themes=3, random_state=0).fit(make_snapshot(extra), "1.a")


def theme_holding(model_or_themes, key: str):
    themes = getattr(model_or_themes, "themes_", None) or model_or_themes.themes
    return next(theme for theme in themes if key in theme.respondent_keys and key != "r0")


def passage_of(model: ThemeModel, key: str) -> str:
    return next(p.passage_hash for p in model.passages_ if p.respondent_key == key)


@pytest.fixture(scope="module")
def first() -> ThemeModel:
    return run()


def test_rename_and_review_survive_a_rerun(first):
    theme = theme_holding(first, "r6")
    edits = [RenameTheme(anchor_of(theme), "Samarbeid på tvers"), MarkReviewed(anchor_of(theme))]
    rerun = run()
    edited = apply_edits(rerun.to_question_themes(), rerun.passages_, edits)
    renamed = theme_holding(edited, "r6")
    assert renamed.label == "Samarbeid på tvers"
    assert renamed.reviewed
    assert renamed.theme_id == theme.theme_id
    assert edited.dropped_edits == ()


def test_rename_follows_the_theme_when_another_answer_changes(first):
    theme = theme_holding(first, "r6")
    rerun = run({"r7": "Barnevernet og skolen må samarbeide mye bedre på tvers av sektorene."})
    edited = apply_edits(
        rerun.to_question_themes(), rerun.passages_, [RenameTheme(anchor_of(theme), "Samarbeid")]
    )
    assert theme_holding(edited, "r6").label == "Samarbeid"


def test_merge_split_and_move(first):
    cooperation, funding = theme_holding(first, "r6"), theme_holding(first, "r11")
    merged = apply_edits(
        first.to_question_themes(),
        first.passages_,
        [MergeThemes(anchor_of(cooperation), anchor_of(funding))],
    )
    assert len(merged.themes) == 2
    both = theme_holding(merged, "r6")
    assert {"r6", "r11"} <= set(both.respondent_keys)
    assert both.size == len(set(cooperation.respondent_keys) | set(funding.respondent_keys))

    moved_passage = passage_of(first, "r12")
    moved = apply_edits(
        first.to_question_themes(),
        first.passages_,
        [MovePassage(moved_passage, anchor_of(cooperation))],
    )
    assert "r12" in theme_holding(moved, "r6").respondent_keys
    assert "r12" not in theme_holding(moved, "r11").respondent_keys

    split_off = (passage_of(first, "r12"), passage_of(first, "r13"))
    split = apply_edits(
        first.to_question_themes(),
        first.passages_,
        [SplitTheme(anchor_of(funding), split_off, label="Prosjektmidler")],
    )
    assert len(split.themes) == 4
    new_theme = next(t for t in split.themes if t.label == "Prosjektmidler")
    assert set(new_theme.respondent_keys) == {"r12", "r13"}
    assert new_theme.quotes


def test_edits_on_changed_answers_are_dropped_with_a_report(first):
    funding = theme_holding(first, "r11")
    edits = [
        MovePassage(passage_of(first, "r12"), anchor_of(theme_holding(first, "r6"))),
        RenameTheme(anchor_of(funding), "Tilskudd"),
    ]
    rerun = run({"r12": FUNDING[2].replace("må følges av", "bør alltid følges av")})
    edited = apply_edits(rerun.to_question_themes(), rerun.passages_, edits)
    assert [dropped.edit for dropped in edited.dropped_edits] == [edits[0]]
    assert "changed" in edited.dropped_edits[0].reason
    assert theme_holding(edited, "r11").label == "Tilskudd"


def test_edits_round_trip_through_json(first):
    theme = theme_holding(first, "r6")
    edits = [
        RenameTheme(anchor_of(theme), "Navn"),
        SplitTheme(anchor_of(theme), (passage_of(first, "r6"),), None),
        MovePassage(passage_of(first, "r1"), anchor_of(theme)),
    ]
    stored = json.loads(json.dumps([edit_to_dict(edit) for edit in edits]))
    assert [edit_from_dict(data) for data in stored] == edits
