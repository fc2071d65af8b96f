"""Suggested codes: offered only when cross-validation on the coded answers shows they are right
often enough, and then right on answers the model never saw."""

from __future__ import annotations

import numpy as np
import pytest

from synthesis.code_suggestions import (
    CodedExample,
    CodeSuggester,
    Verdict,
    _wilson_lower_bound,
)
from tests.coding_support import examples


def test_clear_codes_are_offered_with_their_measured_precision_and_are_right():
    coded, unseen = examples(40), examples(30, seed=2)
    suggester = CodeSuggester().fit(coded)
    quality = suggester.quality_
    assert quality.verdict == Verdict.OFFERED
    assert quality.coded_answers == 40
    assert quality.precision >= quality.expected_precision >= 0.7
    assert 0 < quality.recall <= 1 and quality.tested_suggestions >= 10
    suggestions = suggester.suggest([example.text for example in unseen])
    made = [(s.code, e.codes) for e, found in zip(unseen, suggestions, strict=True) for s in found]
    assert len(made) >= 20
    assert sum(code in codes for code, codes in made) / len(made) >= 0.7


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_codes_that_do_not_follow_the_text_are_not_offered(seed):
    suggester = CodeSuggester().fit(examples(60, seed=seed, shuffle_codes=True))
    assert suggester.quality_.verdict == Verdict.TOO_IMPRECISE
    assert suggester.quality_.expected_precision < 0.7
    assert suggester.suggest(["Finansiering og budsjett er viktig."]) == [[]]


@pytest.mark.parametrize("n", [0, 5, 19])
def test_too_few_coded_answers_are_not_tested(n):
    suggester = CodeSuggester().fit(examples(n))
    assert suggester.quality_.verdict == Verdict.TOO_FEW
    assert suggester.quality_.precision is None
    assert suggester.suggest(["Finansiering."]) == [[]]


def test_a_code_used_too_rarely_is_not_learnt():
    coded = [CodedExample(e.key, e.text, frozenset()) for e in examples(30)]
    coded[0] = CodedExample("0", coded[0].text, frozenset({"penger"}))
    assert CodeSuggester().fit(coded).quality_.verdict == Verdict.TOO_FEW


def test_the_threshold_is_the_lowest_that_keeps_the_target_with_confidence():
    """Scores fall from 1.0 and the suggestions go from all right to mostly wrong: the threshold
    chosen is the lowest whose Wilson lower bound is still at or above 0.7."""
    suggester = CodeSuggester(min_tested_suggestions=3)
    correct = np.array([True] * 12 + [False, True, False, False, True, False, False, False])
    scores = np.linspace(1.0, 0.05, len(correct))
    quality, threshold = suggester._choose_threshold(scores, correct, relevant=15, coded=30)
    assert quality.verdict == Verdict.OFFERED
    made = int(np.sum(scores >= threshold))
    assert quality.tested_suggestions == made
    assert quality.precision == pytest.approx(correct[:made].mean())
    assert quality.recall == pytest.approx(correct[:made].sum() / 15)
    kept = np.cumsum(correct) / np.arange(1, len(correct) + 1)
    bounds = _wilson_lower_bound(kept, np.arange(1, len(correct) + 1), 1.0)
    assert bounds[made - 1] >= 0.7 and (bounds[made:] < 0.7).all()
    assert quality.expected_precision == pytest.approx(bounds[made - 1])


def test_fitting_is_deterministic():
    coded = examples(40)
    first, second = CodeSuggester().fit(coded), CodeSuggester().fit(coded)
    assert first.quality_ == second.quality_
    texts = [e.text for e in examples(10, seed=3)]
    assert first.suggest(texts) == second.suggest(texts)


@pytest.mark.parametrize("method", ["knn", "most_frequent"])
def test_other_methods_keep_the_same_promise(method):
    suggester = CodeSuggester(method=method).fit(examples(40))
    if suggester.quality_.offered:
        assert suggester.quality_.expected_precision >= 0.7
    else:
        assert suggester.suggest(["Budsjett."]) == [[]]


def test_too_few_answers_are_told_without_reading_a_text(monkeypatch):
    """A coding page with a handful of coded answers must not load the lemmatiser (seconds on a
    fresh process) only to say that nothing can be tested yet."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the texts were read")

    monkeypatch.setattr("synthesis.code_suggestions.Lemmatizer.lemmas", refuse)
    assert CodeSuggester().fit(examples(19)).quality_.verdict == Verdict.TOO_FEW
