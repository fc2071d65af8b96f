"""Wording across the files a reader opens: each language alone, codes turned into words.

A Norwegian workbook or report holds no English detector vocabulary ("campaign", "exact",
`same leading name "…"`), and an English one says "(Private)", never "(Privat)", except in the
long-format sheet, whose values are data for importers.
"""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import docx
import pytest
from openpyxl import load_workbook

from exports.docx_writer import docx_bytes
from exports.labels import (
    duplicate_kind_label,
    name_list,
    not_answered_sentence,
    quoted,
    resubmission_reason,
)
from exports.xlsx_writer import xlsx_bytes
from tests.exports_sample import summary_of

NORWEGIAN_SECTORS = ("(Offentlig)", "(Privat)", "(Enkeltperson)")
ENGLISH_SECTORS = ("(Public)", "(Private)", "(Individual)")
DETECTOR_WORDS = re.compile(r"\b(?:campaign|exact|near|same leading name|identical answer)\b")


def workbook_text(locale: str) -> str:
    book = load_workbook(io.BytesIO(xlsx_bytes(summary_of("public", locale=locale))))
    long_sheet = book.sheetnames[-1]
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        if sheet.title != long_sheet
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def report_text(locale: str) -> str:
    document = docx.Document(io.BytesIO(docx_bytes(summary_of("public", locale=locale))))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("text_of", [workbook_text, report_text])
def test_norwegian_files_hold_no_english(text_of):
    text = text_of("nb")
    assert not DETECTOR_WORDS.search(text), DETECTOR_WORDS.search(text)
    for english in (*ENGLISH_SECTORS, "Private person", "Question", "Comment", "Answer"):
        assert english not in text
    assert "Kampanje" in text


@pytest.mark.parametrize("text_of", [workbook_text, report_text])
def test_english_files_name_sectors_in_english(text_of):
    text = text_of("en")
    for norwegian in (*NORWEGIAN_SECTORS, "Privatperson 1", "Spørsmål", "Kampanje", "Svar"):
        assert norwegian not in text
    assert "Organisasjon (Private)" in text and "Campaign" in text


@pytest.mark.parametrize("text_of", [workbook_text, report_text])
def test_headings_are_numbered_once(text_of):
    text = text_of("nb")
    assert "Spørsmål 1.a: Har du forslag" in text
    assert not re.search(r"\d\. Spørsmål:", text)


def test_not_answered_sentence_counts_in_words_and_is_absent_at_zero():
    assert not_answered_sentence(0, "nb") == not_answered_sentence(0, "en") == ""
    assert not_answered_sentence(7, "nb") == (
        "Sju andre instanser som har svart på dette notatet har ikke svart på dette spørsmålet."
    )
    assert not_answered_sentence(1, "en") == (
        "One other respondent to this consultation did not answer this question."
    )
    assert not_answered_sentence(14, "en").startswith("14 other respondents")


def test_duplicate_kinds_and_resubmission_reasons_in_words():
    assert [duplicate_kind_label(kind, "nb") for kind in ("exact", "near", "campaign")] == [
        "Identiske svar",
        "Nesten like svar",
        "Kampanje",
    ]
    legacy = SimpleNamespace(
        reason='same leading name "stavanger kommune"; identical answer to question 2 from '
        '"Stiftelser (Privat)" and "Privatperson (Enkeltperson)"'
    )
    assert resubmission_reason(legacy, "nb") == (
        "samme navn foran: «stavanger kommune»; identisk svar på spørsmål 2 fra kategoriene "
        "«Stiftelser (Privat)» og «Privatperson (Enkeltperson)»"
    )
    as_data = SimpleNamespace(
        reasons=(
            SimpleNamespace(kind="same_name_words", params={}),
            SimpleNamespace(kind="same_body", params={"name": "bergen kommune"}),
            SimpleNamespace(
                kind="identical_answer",
                params={"question": "4", "category": "A", "other_category": "B"},
            ),
            SimpleNamespace(kind="same_email", params={}),
        )
    )
    assert resubmission_reason(as_data, "en") == (
        "same words in the name; same leading name “bergen kommune”; identical answer to "
        "question 4 from the categories “A” and “B”; same contact e-mail"
    )
    assert resubmission_reason(as_data, "nb").endswith("«A» og «B»; samme e-postadresse")


def test_names_and_quotes_read_naturally():
    assert name_list(["Bufdir"], "nb") == "Bufdir"
    assert name_list(["Bufdir", "NKVTS", "Statped"], "nb") == "Bufdir, NKVTS og Statped"
    assert name_list(["Stavanger kommune, Helse og velferd", "Bufdir"], "nb") == (
        "Stavanger kommune, Helse og velferd; Bufdir"
    )
    assert name_list([f"Instans {n}" for n in range(9)], "en") == (
        "Instans 0, Instans 1, Instans 2 and 6 others"
    )
    assert quoted("begrepet «utsatte barn»", "nb") == "«begrepet ‘utsatte barn’»"
