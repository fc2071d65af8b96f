"""The workbook, read back with openpyxl and as raw XML: layout, long sheet, chart, injection."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from exports.long_format import long_columns, long_rows
from exports.xlsx_positions import diverging_colours
from exports.xlsx_writer import long_sheet_bytes, xlsx_bytes
from synthesis.snapshot import Answer
from tests.exports_sample import (
    INJECTION_PAYLOADS,
    PRIVATE,
    SNAPSHOT,
    injection_snapshot,
    summary_of,
)


@pytest.fixture(scope="module")
def public_bytes() -> bytes:
    return xlsx_bytes(summary_of("public"))


@pytest.fixture(scope="module")
def public_book(public_bytes):
    return load_workbook(io.BytesIO(public_bytes))


def values(sheet) -> list[tuple]:
    return [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]


def test_sheets_in_order(public_book):
    assert public_book.sheetnames == [
        "Oversikt",
        "Spørsmål 1",
        "Spørsmål 1.a",
        "Spørsmål 2",
        "Standpunkter",
        "Temaer",
        "Duplikater",
        "Svar (langt format)",
    ]


def test_english_sheet_names_and_headers():
    book = load_workbook(io.BytesIO(xlsx_bytes(summary_of("public", locale="en"))))
    assert book.sheetnames[:2] == ["Overview", "Question 1"]
    assert book.sheetnames[-1] == "Responses (long format)"
    rows = values(book["Question 1.a"])
    assert rows[2][1:] == ("Answer", "Comment")
    assert (
        rows[-1][0] == "Three other respondents to this consultation did not answer this question."
    )


def test_question_sheet_follows_the_compiled_layout(public_book):
    rows = values(public_book["Spørsmål 1"])

    assert rows[0][0] == "1. Spørsmål: 1. Beskrivelse og vurdering av nåsituasjon"
    headers = [row[0] for row in rows if row[1] == "Svar"]
    assert headers == [
        "Universitet / Høgskole (Offentlig)",
        "Forvaltning (Offentlig)",
        "Organisasjon (Privat)",
        "Privatperson (Enkeltperson)",
    ]
    answers = [row[:2] for row in rows if row[1] not in (None, "Svar")]
    assert answers == [
        ("NTNU", "Hverken eller"),
        ("Helsedirektoratet\n(på vegne av Avdeling barn og unge)", "Delvis enig"),
        ("Blå Kors", "Vet ikke"),
        ("Privatperson 1", "Delvis enig"),
        ("Lise Li", "Delvis uenig"),
    ]
    assert rows[-1][0] == (
        "En andre instanser som har svart på dette notatet har ikke svart på dette spørsmålet."
    )
    assert public_book["Spørsmål 1"]["A3"].font.bold
    assert public_book["Spørsmål 1"].column_dimensions["C"].width == 90


def test_text_question_sheet_has_comments_and_not_answered_line(public_book):
    rows = values(public_book["Spørsmål 1.a"])

    comments = [(row[0], row[2]) for row in rows if row[2] not in (None, "Kommentar")]
    assert comments == [
        ("Helsedirektoratet\n(på vegne av Avdeling barn og unge)", "Mer samarbeid på tvers."),
        ("Privatperson 1", "Mer penger til tjenestene."),
        ("Privatperson 2", "Stiftelsens innspill."),
    ]
    assert rows[-1][0].startswith("Tre andre instanser")


def test_public_workbook_holds_no_hidden_names_or_emails(public_bytes):
    with zipfile.ZipFile(io.BytesIO(public_bytes)) as archive:
        xml = " ".join(archive.read(name).decode() for name in archive.namelist())
    for secret in ("Kari Nordmann", "Ola Hansen", "Per Skjult", "Skjult tekst", "@", "Nabolaget"):
        assert secret not in xml


def test_long_sheet_reads_back_as_the_long_format(public_book):
    summary = summary_of("public")
    sheet = public_book["Svar (langt format)"]
    rows = values(sheet)

    assert rows[0] == long_columns(summary)
    expected = [tuple(v if v != "" else None for v in row) for row in long_rows(summary)]
    submitted_at = long_columns(summary).index("submitted_at")
    read = [
        tuple(v.replace(tzinfo=None) if i == submitted_at and v else v for i, v in enumerate(row))
        for row in rows[1:]
    ]
    expected = [
        tuple(v.replace(tzinfo=None) if i == submitted_at and v else v for i, v in enumerate(row))
        for row in expected
    ]
    assert read == expected
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:I{len(rows)}"


def test_long_sheet_alone():
    book = load_workbook(io.BytesIO(long_sheet_bytes(summary_of("internal"))))
    assert book.sheetnames == ["Svar (langt format)"]
    header = next(book.active.iter_rows(values_only=True))
    assert "email" in header


def test_overview_sheet(public_book):
    rows = {row[0]: row[1:] for row in values(public_book["Oversikt"]) if row[0]}

    assert rows["Antall svar"][0] == 6
    assert rows["Svar som ikke er publisert"][0] == 2
    assert rows["Privatperson (Enkeltperson)"][0] == 2
    assert rows["Analysekjøring"][0] == "run-7"
    assert rows["1.a"][:2] == (3, 3)
    assert "anonymisert" in rows["Utgave"][0]


def test_positions_sheet_and_chart(public_book, public_bytes):
    rows = values(public_book["Standpunkter"])

    assert rows[0][0].startswith("1. Spørsmål: 1.")
    assert rows[2][1:8] == (
        "Helt enig", "Delvis enig", "Hverken eller", "Delvis uenig", "Helt uenig", "Vet ikke",
        "Totalt",
    )  # fmt: skip
    private = next(row for row in rows if row[0] == PRIVATE)
    assert private[1:8] == (0, 1, 0, 1, 0, 0, 2)
    shares = [row for row in rows if row[0] == PRIVATE][1]
    assert shares[1:6] == (0, 0.5, 0, 0.5, 0)
    with zipfile.ZipFile(io.BytesIO(public_bytes)) as archive:
        charts = [n for n in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)]
        xml = archive.read(charts[0]).decode()
    assert len(charts) == 2  # questions 1 and 2 have a scale
    assert '<barDir val="bar"/>' in xml
    assert '<grouping val="percentStacked"/>' in xml
    assert '<overlap val="100"/>' in xml
    colours = re.findall(r'<a:srgbClr val="([0-9A-F]{6})"/>', xml)
    assert list(dict.fromkeys(colours)) == diverging_colours(5)


def test_diverging_colours_run_from_green_through_grey_to_red():
    colours = diverging_colours(5)
    assert colours[0] == "1A9641" and colours[2] == "C8C8C8" and colours[4] == "D7191C"


def test_themes_and_duplicates_sheets(public_book):
    themes = values(public_book["Temaer"])
    assert themes[0][:4] == ("Spørsmål", "Tema", "Nøkkelord", "Størrelse")
    assert themes[1][:4] == ("1.a", "samarbeid · penger", "samarbeid, penger", 2)
    assert "Privatperson (Enkeltperson): 50%" in themes[1][4]
    assert themes[1][5] == "Privatperson 1: «Mer penger til tjenestene.»"
    duplicates = values(public_book["Duplikater"])
    assert len(duplicates) == 2
    assert duplicates[1] == (
        "d1", "campaign", "1.a", "Helsedirektoratet\nPrivatperson 1", "Mer",
        "Privatperson 1: penger",
    )  # fmt: skip


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_injection_payloads_stay_text(audience):
    payload = xlsx_bytes(summary_of(audience, snapshot=injection_snapshot(), synthesis=None))
    book = load_workbook(io.BytesIO(payload))

    comments = [payload.strip() for payload in INJECTION_PAYLOADS]  # comments are trimmed
    answers = [row for row in book["Spørsmål 2"].iter_rows() if row[2].value in comments]
    assert [row[0].value for row in answers] == list(INJECTION_PAYLOADS)
    assert [row[2].value for row in answers] == comments
    for row in answers:
        assert row[0].data_type == "s" and row[2].data_type == "s"
    long_sheet = book["Svar (langt format)"]
    cells = [(row[0], row[5]) for row in long_sheet.iter_rows(min_row=2)]
    assert [(name.value, text.value) for name, text in cells] == list(
        zip(INJECTION_PAYLOADS, comments, strict=True)
    )
    assert all(name.data_type == text.data_type == "s" for name, text in cells)
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sheets:
            assert "<f>" not in archive.read(name).decode()


def test_control_characters_are_dropped_not_fatal():
    first = SNAPSHOT.respondents[0]
    odd = replace(
        first,
        name="NTNU\x0b\x01",
        answers={"1.a": Answer("1.a", text="Tekst\x00 med\x1f kontroll")},
    )
    snapshot = replace(SNAPSHOT, respondents=(odd,))
    book = load_workbook(io.BytesIO(xlsx_bytes(summary_of("internal", snapshot=snapshot))))
    rows = values(book["Spørsmål 1.a"])
    assert ("NTNU", None, "Tekst med kontroll") in rows
