"""Compiled documents read back: parse(render(generate(seed))) gives the generated consultation.

The generator (bench/synthetic_compiled.py) makes other categories, questions and scales than
seed 004, hundreds of respondents, bokmål and nynorsk, wrapped names, bullets and paragraphs;
`perturb` adds the damage PDF extraction does.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic_compiled import generate_consultation, perturb, readable_part
from exports.compiled_text import render_compiled_text
from hearing.imports.compiled import parse_compiled
from synthesis.snapshot import ConsultationSnapshot

SEED = Path(__file__).resolve().parents[1] / "hearing" / "demo_data" / "compiled_responses.txt"


def assert_reads_back(generated: ConsultationSnapshot, text: str) -> None:
    document = parse_compiled(text)
    assert document.problems == ()
    assert readable_part(document.snapshot) == readable_part(generated)


@pytest.mark.parametrize("seed", range(12))
def test_rendered_document_reads_back_exactly(seed):
    generated = generate_consultation(seed)
    assert_reads_back(generated, render_compiled_text(generated))


def test_a_few_hundred_respondents_read_back():
    generated = generate_consultation(7, respondents=300, questions=5)
    text = render_compiled_text(generated)
    assert any(line[:2].isdigit() and "andre instanser" in line for line in text.splitlines())
    assert_reads_back(generated, text)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=100, max_value=10**6))
def test_any_generated_consultation_reads_back(seed):
    generated = generate_consultation(seed, respondents=40)
    assert_reads_back(generated, render_compiled_text(generated))


@pytest.mark.parametrize("seed", range(15))
def test_page_debris_bullets_and_trailing_spaces_are_undone(seed):
    generated = generate_consultation(seed)
    text = perturb(
        render_compiled_text(generated),
        random.Random(seed),
        generated.scale.points,
        cut_names=False,
    )
    assert_reads_back(generated, text)


@pytest.mark.parametrize("seed", range(30))
def test_names_cut_by_page_breaks_are_repaired(seed):
    """Names cut by their scale value or pushed into their answer, as in seed 004; where two
    readings remain, the counts the document states choose."""
    generated = generate_consultation(seed)
    text = perturb(render_compiled_text(generated), random.Random(seed), generated.scale.points)
    assert_reads_back(generated, text)


def test_generator_covers_what_the_importer_must_handle():
    snapshots = [generate_consultation(seed) for seed in range(12)]
    answers = [a for s in snapshots for r in s.respondents for a in r.answers.values()]
    assert any(a.value is not None and a.text is None for a in answers)
    assert any(a.value is None and a.text for a in answers)
    assert any(a.text and "\n\n" in a.text for a in answers)
    assert any(a.text and "\n• " in a.text for a in answers)
    assert any(a.dont_know for a in answers)
    assert any(len(r.name) > 25 for s in snapshots for r in s.respondents)
    assert any(s.scale.points[0] != "Helt enig" for s in snapshots)
    assert any(count >= 13 for s in snapshots for count in s.stated_not_answered.values())


def test_seed_004_survives_a_render_and_read_cycle():
    first = parse_compiled(SEED.read_text(encoding="utf-8")).snapshot
    again = parse_compiled(render_compiled_text(first))
    assert again.problems == ()
    assert {(r.name, r.category) for r in again.snapshot.respondents} == {
        (r.name, r.category) for r in first.respondents
    }
    assert again.snapshot.questions == first.questions
    assert again.snapshot.categories == first.categories
