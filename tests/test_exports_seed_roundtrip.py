"""Seed 004 round trip: compiled document → snapshot → internal workbook → the same answers.

The workbook's question sheets must hold, per question, exactly the respondents, scale answers
and comments the compiled document holds (a long comment may continue over several rows: its
words are compared), their tallies must add up to them, and the closing line must state the
same not-answered count as the document (7, 12, 20, 10, 9, 14).
"""

from __future__ import annotations

import importlib.util
import io
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exports.number_words import parse_count
from exports.summary import build_summary
from exports.xlsx_writer import xlsx_bytes
from synthesis.snapshot import DONT_KNOW_LABEL
from tests.xlsx_reading import read_question_sheet, words

SEED = Path(__file__).parent.parent / "hearing" / "demo_data" / "compiled_responses.txt"
STATED = {"1": 7, "1.a": 12, "1.b": 20, "2": 10, "3": 9, "4": 14}

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("hearing.imports.compiled") is None, reason="importer not yet there"
)


@pytest.fixture(scope="module")
def snapshot():
    from hearing.imports.compiled import parse_compiled

    return parse_compiled(SEED.read_text(encoding="utf-8")).snapshot


@pytest.fixture(scope="module")
def workbook(snapshot):
    summary = build_summary(
        snapshot,
        audience="internal",
        exported_at=datetime(2025, 3, 1, tzinfo=UTC),
        software_version="test",
    )
    return load_workbook(io.BytesIO(xlsx_bytes(summary)))


def expected_answers(snapshot, code: str) -> Counter:
    found = Counter()
    for respondent, answer in snapshot.answers_to(code):
        if answer.value is not None:
            label = snapshot.scale.points[answer.value]
        elif answer.dont_know:
            label = snapshot.scale.dont_know or DONT_KNOW_LABEL
        else:
            label = None
        name = respondent.name
        if respondent.on_behalf_of:
            name += f"\n(på vegne av {respondent.on_behalf_of})"
        found[(name, label, words(answer.text))] += 1
    return found


@pytest.mark.parametrize("code", list(STATED))
def test_question_sheet_holds_the_documents_answers(snapshot, workbook, code):
    sheet = read_question_sheet(workbook[f"Spørsmål {code}"])
    answers = Counter((a.name, a.answer, words(a.comment)) for a in sheet.answers)

    assert sheet.closing.endswith("har ikke svart på dette spørsmålet.")
    assert parse_count(sheet.closing.split()[0]) == STATED[code]
    assert answers == expected_answers(snapshot, code)
    assert len(sheet.answers) + STATED[code] == len(snapshot.respondents)
    assert sheet.tallies["Alle som svarte"][0] == len(sheet.answers)
    per_category = Counter(answer.category for answer in sheet.answers)
    assert {name: row[0] for name, row in sheet.tallies.items() if name != "Alle som svarte"} == (
        per_category
    )
