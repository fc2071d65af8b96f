"""Opinion groups: Polis-style PCA + k-means over positions, and validation on Polis data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from synthesis.opinion_groups import OpinionGroups, agreement
from synthesis.polis import load_conversation
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Sector,
)

PUBLIC = Category("Forvaltning", Sector.PUBLIC)
PERSON = Category("Privatperson", Sector.INDIVIDUAL)
CODES = ("1", "2", "3")


def respondent(key: str, category: Category, *values: int | None, dont_know: bool = False):
    answers = {
        code: Answer(code, value=value, dont_know=dont_know and value is None)
        for code, value in zip(CODES, values, strict=False)
    }
    return Respondent(key=key, name=key, category=category.label, answers=answers)


def two_camps() -> ConsultationSnapshot:
    """Public bodies agree with 1 and 2; private persons disagree; everyone agrees on 3."""
    agreeing = [respondent(f"p{i}", PUBLIC, i % 2, 0, 0) for i in range(6)]
    disagreeing = [respondent(f"i{i}", PERSON, 4 - i % 2, 4, 0) for i in range(5)]
    disagreeing.append(respondent("i5", PERSON, 4, None, 1))  # one missing position
    silent = [respondent("s", PERSON), respondent("dk", PERSON, None, dont_know=True)]
    return ConsultationSnapshot(
        slug="t",
        title="T",
        categories=(PUBLIC, PERSON),
        questions=tuple(Question(code, code, QuestionKind.SCALE) for code in CODES),
        respondents=(*agreeing, *disagreeing, *silent),
    )


def test_two_camps_are_found_with_composition_and_distinguishing_positions():
    model = OpinionGroups(random_state=0).fit(two_camps())
    assert len(model.groups_) == 2
    assert model.projection_.shape == (12, 2)
    assert model.silhouette_ > 0.6
    by_members = {group.member_keys[0][0]: group for group in model.groups_}
    public, persons = by_members["p"], by_members["i"]
    assert public.composition == {"Forvaltning (Offentlig)": 6}
    assert persons.size == 6 and persons.composition == {"Privatperson (Enkeltperson)": 6}
    top = public.distinguishing[0]
    assert top.question_code == "2"
    assert public.distinguishing[-1].question_code == "3"


def test_positions_are_agreement_so_higher_means_more_agreement():
    """The public bodies answered "Helt enig" (the first point) to question 2, the private
    persons "Helt uenig" (the last): the agreeing group's agreement is +1, the others' -1."""
    model = OpinionGroups(random_state=0).fit(two_camps())
    by_members = {group.member_keys[0][0]: group for group in model.groups_}
    agreeing, disagreeing = by_members["p"].distinguishing[0], by_members["i"].distinguishing[0]
    assert (agreeing.group_agreement, agreeing.rest_agreement) == (1.0, -1.0)
    assert agreeing.difference == pytest.approx(2.0)
    assert disagreeing.difference == pytest.approx(-2.0)
    assert agreement(0, 5) == 1.0 and agreement(2, 5) == 0.0 and agreement(4, 5) == -1.0


def test_respondents_without_positions_are_left_out():
    model = OpinionGroups().fit(two_camps())
    grouped = {key for group in model.groups_ for key in group.member_keys}
    assert not grouped & {"s", "dk"}
    assert len(grouped) == 12


def test_fit_is_deterministic_and_n_groups_overrides_silhouette():
    first = OpinionGroups(random_state=3).fit(two_camps())
    second = OpinionGroups(random_state=3).fit(two_camps())
    assert first.groups_ == second.groups_
    np.testing.assert_allclose(first.projection_, second.projection_)
    three = OpinionGroups(n_groups=3).fit(two_camps())
    assert len(three.groups_) == 3
    assert [g.size for g in three.groups_] == sorted((g.size for g in three.groups_), reverse=True)


def test_fit_matrix_handles_missing_votes_and_tiny_inputs():
    votes = np.array([[1, 1, np.nan], [1, np.nan, 1], [-1, -1, -1], [-1, -1, np.nan]])
    model = OpinionGroups(n_groups=2).fit_matrix(votes, ["a", "b", "c", "d"])
    assert sorted(g.member_keys for g in model.groups_) == [("a", "b"), ("c", "d")]
    assert model.groups_[0].composition == {}
    tiny = OpinionGroups().fit_matrix(np.array([[1.0], [-1.0]]), ["a", "b"])
    assert sorted(g.member_keys for g in tiny.groups_) == [("a",), ("b",)]
    assert tiny.silhouette_ is None


POLIS = Path("/work/shared/data/polis")
CONVERSATIONS = ["canadian-electoral-reform", "15-per-hour-seattle", "brexit-consensus"]


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_grouping_agrees_with_polis_and_finds_its_number_of_groups(name):
    """Polis's method (all participants projected, moderated-out comments zeroed, base
    clusters, k by silhouette over them): measured ARI 0.96, 0.88 and 0.88
    (bench/polis_validation.py), where the flat silhouette over participants found 3 groups
    on brexit-consensus (ARI 0.64) and reached 0.78 on 15-per-hour-seattle."""
    if not (POLIS / name / "participants-votes.csv").exists():
        pytest.skip("Polis open data not available")
    conversation = load_conversation(POLIS / name)
    keep = conversation.in_conversation
    model = OpinionGroups(random_state=0).fit_matrix(
        conversation.votes, conversation.participants, clustered=keep
    )
    polis = conversation.polis_groups[keep]
    assert len(model.groups_) == len(set(polis[polis >= 0].tolist()))
    assert adjusted_rand_score(polis[polis >= 0], model.labels_[polis >= 0]) > 0.8


def test_only_clustered_rows_are_grouped_but_all_shape_the_projection():
    votes = np.array([[1, 1, 1], [1, 1, -1], [-1, -1, -1], [-1, -1, 1], [1, np.nan, np.nan]])
    clustered = np.array([True, True, True, True, False])
    model = OpinionGroups(n_groups=2).fit_matrix(votes, list("abcde"), clustered=clustered)
    assert model.keys_ == list("abcd") and model.projection_.shape == (4, 2)
    assert sorted(g.member_keys for g in model.groups_) == [("a", "b"), ("c", "d")]


def test_many_answer_patterns_are_grouped_through_base_clusters():
    """Two camps of 150 noisy voters each (300 distinct patterns, more than Polis's 100 base
    clusters) come out as two groups, not as the largest k the silhouette allows."""
    rng = np.random.default_rng(0)
    camp = np.repeat([1.0, -1.0], 150)[:, None] * np.where(np.arange(20) < 10, 1.0, -1.0)
    votes = np.where(rng.random(camp.shape) < 0.2, -camp, camp)
    votes[rng.random(camp.shape) < 0.3] = np.nan
    model = OpinionGroups(random_state=0).fit_matrix(votes, [str(i) for i in range(300)])
    assert len(model.groups_) == 2
    assert adjusted_rand_score(np.repeat([0, 1], 150), model.labels_) > 0.95


def test_polis_loader_zeroes_moderated_comments_and_counts_their_votes(tmp_path):
    """As Polis's rating matrix: a moderated-out comment is a 0 from everyone, and votes on it
    still count towards being "in the conversation"; with fewer than 15 in, the most active
    voters are added."""
    (tmp_path / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        + "".join(f"0,x,{c},0,0,0,{-1 if c == 1 else 1},c{c}\n" for c in range(8))
    )
    header = "participant,group-id,n-comments,n-votes,n-agree,n-disagree," + ",".join(
        map(str, range(8))
    )
    rows = ["0,0,0,8,8,0," + ",".join(["1"] * 8), "1,,0,2,0,2,-1,-1,,,,,,"]
    rows += [f"{p},,0,1,1,0,1,,,,,,," for p in range(2, 20)]
    (tmp_path / "participants-votes.csv").write_text("\n".join([header, *rows]) + "\n")
    conversation = load_conversation(tmp_path)
    assert conversation.moderated_out.tolist() == [False, True] + [False] * 6
    assert conversation.votes[:, 1].tolist() == [0.0] * 20
    assert conversation.vote_counts[:2].tolist() == [8, 2]
    assert conversation.in_conversation.sum() == 15
    assert conversation.in_conversation[:2].all()
