"""Respondents whose names are prefixes of other respondents' names, read back exactly.

Seed 004 has "Kompetansesenter rus" beside "Kompetansesenter rus-Midt-Norge" and "Bergen
kommune" beside "Bergen Kommune/etat for barn og familie"; the generator makes such names
(a shorter name, one continued by a hyphen, a slash or more words, "Jon" beside "Jon Arne
Solheim Midt"). The importer must read which is which, using the numbers the document states,
and say so when no reading adds up rather than invent or drop a respondent.
"""

from __future__ import annotations

import dataclasses
import random
import re

import pytest

from bench.synthetic_compiled import (
    canonical_consultation,
    generate_consultation,
    perturb,
    readable_part,
)
from exports.compiled_text import render_compiled_text
from exports.number_words import count_word, parse_count
from hearing.imports.compiled import parse_compiled
from hearing.imports.compiled_mining import mine_glued_names
from hearing.imports.compiled_names import KnownNames
from hearing.imports.limits import Deadline
from synthesis.snapshot import (
    NORWEGIAN_AGREEMENT_SCALE,
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Scale,
    Sector,
)

SEEDS = range(40)
PERSON = Category("Privatperson", Sector.INDIVIDUAL)
ORGANISATION = Category("Organisasjon", Sector.PRIVATE)
SUPPORT = "Vi støtter forslaget om å lovfeste en plikt til samarbeid mellom tjenestene."
HEARD = "Det er viktig at barn og unge selv blir hørt når tjenestene skal utvikles."
LONG = "Jon Arne Solheim Midt"


def assert_exact(generated: ConsultationSnapshot, text: str) -> None:
    document = parse_compiled(text)
    assert document.problems == ()
    assert readable_part(document.snapshot) == readable_part(generated)


def prefix_pairs(snapshot: ConsultationSnapshot) -> list[tuple[str, str]]:
    """(shorter, longer) names of one category where the longer starts with the shorter."""
    names = sorted({(r.category, r.name) for r in snapshot.respondents})
    return [
        (short, long)
        for category, short in names
        for other_category, long in names
        if category == other_category and long != short and long.startswith(short)
    ]


def test_generator_makes_names_that_continue_other_names():
    pairs = [pair for seed in SEEDS for pair in prefix_pairs(generate_consultation(seed))]
    continuations = {long[len(short)] for short, long in pairs}
    assert {" ", "-", "/"} <= continuations
    # A one-word personal name that opens another person's name ("Jon", "Jon Arne …").
    assert any(" " not in short and long.count(" ") >= 2 for short, long in pairs)
    assert sum(bool(prefix_pairs(generate_consultation(seed))) for seed in SEEDS) >= 30


@pytest.mark.parametrize("seed", SEEDS)
def test_rendered_documents_with_prefix_names_read_back_exactly(seed):
    generated = generate_consultation(seed)
    assert_exact(generated, render_compiled_text(generated))


@pytest.mark.parametrize("seed", SEEDS)
def test_damaged_documents_with_prefix_names_read_back_exactly(seed):
    """Page breaks that cut names by their label or push them into the answer, as in seed
    004, on top of the prefix names."""
    generated = generate_consultation(seed)
    text = perturb(render_compiled_text(generated), random.Random(seed), generated.scale.points)
    assert_exact(generated, text)


def jon_consultation(jon: dict[str, Answer], long: dict[str, Answer]) -> ConsultationSnapshot:
    """ "Jon" and "Jon Arne Solheim Midt", and an organisation answering both questions."""
    questions = [
        Question("1", "Hva mener du?", QuestionKind.SCALE_TEXT),
        Question("2", "Andre innspill?", QuestionKind.SCALE_TEXT),
    ]
    people = [("a", "Jon", PERSON), ("b", LONG, PERSON), ("c", "Redd Barna", ORGANISATION)]
    answers = {
        "a": jon,
        "b": long,
        "c": {"1": Answer("1", value=0), "2": Answer("2", value=1)},
    }
    scale = Scale(points=NORWEGIAN_AGREEMENT_SCALE)
    return canonical_consultation(
        "jon", "Høring om samarbeid", scale, [PERSON, ORGANISATION], questions, people, answers
    )


JON_CASES = {
    # The longer name is only ever glued to its text; "Jon" is printed cleanly.
    "both answer question 2": (
        {"1": Answer("1", value=1), "2": Answer("2", value=2, text=SUPPORT)},
        {"2": Answer("2", text=HEARD)},
    ),
    "only the longer name answers question 2": (
        {"1": Answer("1", value=1)},
        {"2": Answer("2", text=HEARD)},
    ),
    "the same text from the longer name in both questions": (
        {"1": Answer("1", value=1), "2": Answer("2", text=SUPPORT)},
        {"1": Answer("1", text=HEARD), "2": Answer("2", text=HEARD)},
    ),
    "the longer name beside a label": (
        {"1": Answer("1", text=SUPPORT), "2": Answer("2", text=SUPPORT)},
        {"1": Answer("1", value=3), "2": Answer("2", text=HEARD)},
    ),
}


@pytest.mark.parametrize("case", JON_CASES)
def test_jon_is_not_split_off_jon_arne_solheim_midt(case):
    generated = jon_consultation(*JON_CASES[case])
    assert_exact(generated, render_compiled_text(generated))


def tamper(text: str, question: int, delta: int) -> str:
    """Change the number of a question's "N andre instanser … har ikke svart" by `delta`."""
    line = list(re.finditer(r"^(\S+) andre instanser", text, re.M))[question]
    count = parse_count(line.group(1))
    return text[: line.start(1)] + count_word(count + delta) + text[line.end(1) :]


@pytest.mark.parametrize("seed", range(8))
def test_a_wrong_count_is_reported_not_made_to_fit(seed):
    """A count that no reading matches leaves the likeliest reading as it is: no answer is
    dropped or invented to make the numbers add up."""
    generated = generate_consultation(seed)
    document = parse_compiled(tamper(render_compiled_text(generated), 0, +1))
    assert document.problems
    code = generated.questions[0].code
    stated = {**generated.stated_not_answered, code: generated.stated_not_answered[code] + 1}
    expected = dataclasses.replace(generated, stated_not_answered=stated)
    assert readable_part(document.snapshot) == readable_part(expected)


def test_no_fitting_reading_names_what_is_in_doubt():
    generated = jon_consultation(*JON_CASES["both answer question 2"])
    document = parse_compiled(tamper(render_compiled_text(generated), 0, +1))
    names = [r.name for r in document.snapshot.respondents]
    assert LONG not in names  # not invented to make the counts closer
    assert any("Ingen høringsinstans er lagt til" in problem for problem in document.problems)
    assert any(
        problem.startswith("Spørsmål 2: «Jon» (Privatperson (Enkeltperson))")
        for problem in document.problems
    )


def test_the_report_speaks_english_on_english_pages(app):
    generated = jon_consultation(*JON_CASES["both answer question 2"])
    text = tamper(render_compiled_text(generated), 0, +1)
    with app.test_request_context("/?lang=en"):
        problems = parse_compiled(text).problems
    assert problems[0].startswith("Question 1: 2 answered and the document says 2 did not")
    assert "No respondent was added" in problems[1]
    assert problems[2].startswith("Question 2: “Jon” (Privatperson (Enkeltperson)) may be")


def brute_starting(known: KnownNames, category: str, text: str, where) -> list[str]:
    names = [n for n in known.seen[category] if text.startswith(n + " ")]
    return sorted((n for n in names if known.elsewhere(category, n, where)), key=len, reverse=True)


def brute_completions(known: KnownNames, category: str, prefix: str, where) -> set[str]:
    return {
        n
        for n in known.seen[category]
        if len(n) > len(prefix)
        and n.startswith(prefix)
        and n[len(prefix)] in " -"
        and known.elsewhere(category, n, where)
    }


def test_name_indexes_find_what_a_scan_of_all_names_finds():
    rng = random.Random(4)
    words = ["Bergen", "kommune", "Kommune/etat", "rus", "rus-Midt-Norge", "Jon", "Arne", "KS"]
    known = KnownNames()
    for number in range(300):
        name = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))
        known.add("c", name, (number % 3, 0, number))
    here = (0, 0, 0)
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6))) + " Vi mener"
        assert known.starting("c", text, here) == brute_starting(known, "c", text, here)
        prefix = " ".join(rng.choice(words) for _ in range(rng.randint(1, 2)))
        found = known.completions("c", prefix, here)
        assert set(found) == brute_completions(known, "c", prefix, here)
        assert [len(n) for n in found] == sorted((len(n) for n in found), reverse=True)


def mined(lines: list[tuple[int, str]], known_names: tuple[str, ...] = ()) -> set[str]:
    known = KnownNames()
    for number, name in enumerate(known_names):
        known.add("c", name, (9, 0, number))
    glued = [((question, 0, line), text) for line, (question, text) in enumerate(lines)]
    before = set(known.seen["c"])
    mine_glued_names(known, "c", glued, Deadline(float("inf")))
    return set(known.seen["c"]) - before


def test_names_shared_by_glued_lines_of_two_questions():
    assert mined([(0, "KS Det er positivt at …"), (1, "KS Rapporten vektlegger …")]) == {"KS"}
    # Lines of one question do not make a name: two answers by one respondent are not printed.
    assert mined([(0, "KS Det er positivt at …"), (0, "KS Rapporten vektlegger …")]) == set()
    # "Bydel" is what two names share, not a name, when one of them is known.
    stovner_frogner = [(0, "Bydel Stovner Rapporten har …"), (1, "Bydel Frogner Vi mener …")]
    assert mined(stovner_frogner, ("Bydel Stovner",)) == set()


def test_a_shorter_name_is_mined_beside_a_longer_known_one():
    lines = [(0, "Redd Barna Vi støtter …"), (1, "Redd Barna Det er viktig …")]
    assert mined(lines, ("Redd Barna Bergen",)) == {"Redd Barna"}
