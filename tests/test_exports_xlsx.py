"""The workbook, read back with openpyxl and as raw XML: layout, long sheet, chart, injection."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from exports.chart_layout import point_colours
from exports.long_format import long_columns, long_rows
from exports.summary import build_summary
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
from tests.xlsx_reading import read_question_sheet, words


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
    sheet = read_question_sheet(book["Question 2"], tallies_word="In summary")
    assert sheet.headers == ("Respondent", "Answer", "Comment")
    assert sheet.tally_header == ("In summary", "Answered", "Positions")
    assert sheet.closing == (
        "Four other respondents to this consultation did not answer this question."
    )


def test_question_sheet_follows_the_compiled_layout(public_book):
    sheet = read_question_sheet(public_book["Spørsmål 1"])

    assert sheet.heading == "Spørsmål 1: Beskrivelse og vurdering av nåsituasjon"
    assert sheet.headers == ("Instans", "Svar")  # a scale question has no comment column
    assert [(a.category, a.name, a.answer) for a in sheet.answers] == [
        ("Universitet / Høgskole (Offentlig)", "NTNU", "Hverken eller"),
        (
            "Forvaltning (Offentlig)",
            "Helsedirektoratet\n(på vegne av Avdeling barn og unge)",
            "Delvis enig",
        ),
        ("Organisasjon (Privat)", "Blå Kors", "Vet ikke"),
        ("Privatperson (Enkeltperson)", "Privatperson 1", "Delvis enig"),
        ("Privatperson (Enkeltperson)", "Lise Li", "Delvis uenig"),
    ]
    assert sheet.closing == (
        "Én annen instans som har svart på dette notatet, har ikke svart på dette spørsmålet."
    )
    worksheet = public_book["Spørsmål 1"]
    assert worksheet["A2"].font.bold
    assert worksheet.freeze_panes == "A3"
    assert "A1:B1" in {str(cells) for cells in worksheet.merged_cells.ranges}


def test_question_sheet_ends_with_its_tallies(public_book):
    sheet = read_question_sheet(public_book["Spørsmål 1"])

    assert sheet.tally_header == ("Oppsummert", "Har svart", "Standpunkter")
    assert sheet.tallies["Alle som svarte"][:2] == (
        5,
        "Delvis enig 2 · Hverken eller 1 · Delvis uenig 1 · Vet ikke 1",
    )
    assert sheet.tallies["Privatperson (Enkeltperson)"][:2] == (2, "Delvis enig 1 · Delvis uenig 1")
    assert sheet.tallies["Organisasjon (Privat)"][:2] == (1, "Vet ikke 1")
    categories = [name for name in sheet.tallies if name != "Alle som svarte"]
    assert categories == list(dict.fromkeys(answer.category for answer in sheet.answers))


def test_text_question_sheet_has_comments_and_not_answered_line(public_book):
    sheet = read_question_sheet(public_book["Spørsmål 1.a"])

    assert sheet.headers == ("Instans", "Kommentar")  # no empty "Svar" column
    assert [(a.name, a.comment) for a in sheet.answers] == [
        ("Helsedirektoratet\n(på vegne av Avdeling barn og unge)", "Mer samarbeid på tvers."),
        ("Privatperson 1", "Mer penger til tjenestene."),
        ("Privatperson 2", "Stiftelsens innspill."),
    ]
    assert sheet.tally_header == ("Oppsummert", "Har svart")
    assert sheet.tallies["Alle som svarte"] == (3,)
    assert sheet.closing.startswith("Tre andre instanser")


def test_a_long_comment_continues_below_and_rows_are_as_tall_as_their_text():
    long_text = "\n".join(f"Avsnitt {n}: " + "ord " * 60 for n in range(12))
    first = replace(SNAPSHOT.respondents[0], answers={"1.a": Answer("1.a", text=long_text)})
    book = load_workbook(
        io.BytesIO(
            xlsx_bytes(summary_of("internal", snapshot=replace(SNAPSHOT, respondents=(first,))))
        )
    )
    worksheet = book["Spørsmål 1.a"]
    sheet = read_question_sheet(worksheet)
    assert len(sheet.answers) == 1
    assert words(sheet.answers[0].comment) == words(long_text)
    listing = range(4, 4 + long_text.count("\n") + 1)
    pieces = [row for row in listing if worksheet.cell(row, 2).value]
    assert len(pieces) > 1  # more than one row holds the comment
    heights = [worksheet.row_dimensions[row].height for row in pieces]
    assert heights[0] > 15 * 5 and all(height is None or height <= 409 for height in heights)
    assert worksheet.row_dimensions[3].height is None  # the category row is one line


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

    assert rows["Høringssvar i oppsummeringen"][0] == 6
    assert rows["Høringssvar som ikke skal publiseres"][0] == 2
    assert rows["Privatperson (Enkeltperson)"][0] == 2
    assert rows["Analysekjøring"][0] == "run-7"
    assert rows["Spørsmål"][:2] == ("Instanser som har svart", "Instanser som ikke har svart")
    assert rows["1.a"][:2] == (3, 3)
    assert "anonymisert" in rows["Utgave"][0]


def test_times_are_norwegian_and_labelled_so(public_book):
    rows = {row[0]: row[1:] for row in values(public_book["Oversikt"]) if row[0]}

    # 2025-01-01 00:00 UTC and 2025-02-01 00:00 UTC are 01:00 in Oslo (winter time)
    assert rows["Åpnet (norsk tid)"][0] == datetime(2025, 1, 1, 1, 0)
    assert rows["Frist (norsk tid)"][0] == datetime(2025, 2, 1, 1, 0)
    assert rows["Eksportert (norsk tid)"][0] == datetime(2025, 3, 1, 13, 0)
    summer = build_summary(
        replace(SNAPSHOT, closes_at=datetime(2025, 6, 30, 21, 59, 59, 123456, tzinfo=UTC)),
        audience="public",
        exported_at=datetime(2025, 7, 1, 10, 15, 42, 987654, tzinfo=UTC),
        software_version="0.1.0",
    )
    book = load_workbook(io.BytesIO(xlsx_bytes(summer)))
    rows = {row[0]: row[1:] for row in values(book["Oversikt"]) if row[0]}
    assert rows["Frist (norsk tid)"][0] == datetime(2025, 6, 30, 23, 59)  # 23:59, not 21:59
    assert rows["Eksportert (norsk tid)"][0] == datetime(2025, 7, 1, 12, 15)  # no microseconds
    long_sheet = book["Svar (langt format)"]
    assert long_sheet["H2"].number_format.endswith('"UTC"')  # the machine format stays UTC


def test_every_sheet_prints_landscape_fitted_to_the_page_width(public_book):
    for sheet in public_book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.paperSize == 9, sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.oddFooter.right.text == "Side &P av &N", sheet.title
    titles = {sheet.title: sheet.print_title_rows for sheet in public_book.worksheets}
    assert titles["Spørsmål 1"] == "$1:$2"
    assert titles["Temaer"] == titles["Duplikater"] == titles["Svar (langt format)"] == "$1:$1"
    comment = public_book["Spørsmål 1.a"]["B4"]
    assert comment.alignment.wrap_text


def test_positions_sheet_and_chart(public_book, public_bytes):
    sheet = public_book["Standpunkter"]
    rows = values(sheet)

    assert rows[0][0] == "Spørsmål 1: Beskrivelse og vurdering av nåsituasjon"
    title = next(i for i, row in enumerate(rows) if row[0] == "Antall per kategori")
    assert rows[title + 1][1:8] == (
        "Helt enig", "Delvis enig", "Hverken eller", "Delvis uenig", "Helt uenig", "Vet ikke",
        "Totalt",
    )  # fmt: skip
    assert rows[title + 2][0] == "Alle som svarte"  # everyone first, as in the web chart
    private = next(row for row in rows if row[0] == PRIVATE)
    assert private[1:8] == (0, 1, 0, 1, 0, 0, 2)
    shares = [row for row in rows if row[0] == PRIVATE][1]
    assert shares[1:6] == (0, 0.5, 0, 0.5, 0)
    with zipfile.ZipFile(io.BytesIO(public_bytes)) as archive:
        charts = [n for n in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)]
        xml = archive.read(charts[0]).decode()
        drawing = archive.read("xl/drawings/drawing1.xml").decode()
    assert len(charts) == 2  # questions 1 and 2 have a scale
    assert '<barDir val="bar"/>' in xml
    assert '<grouping val="percentStacked"/>' in xml
    assert '<overlap val="100"/>' in xml
    fills = re.findall(r'<a:srgbClr val="([0-9A-F]{6})"/>', xml)
    assert [fill for fill in dict.fromkeys(fills) if fill != "FFFFFF"] == diverging_colours(5)
    # the bars: everyone and the four categories that answered question 1 (1-based rows)
    assert f"<f>'Standpunkter'!$A${title + 3}:$A${title + 7}</f>" in xml
    # the chart sits above the tables (column A, row 2), not beside them
    assert "<from><col>0</col><colOff>0</colOff><row>1</row>" in drawing
    # printed, the tables start a page after the chart, and question 2 starts a page
    breaks = [brk.id for brk in sheet.row_breaks.brk]
    assert breaks[0] == title and len(breaks) == 3


def test_chart_title_is_wrapped_not_cut():
    long_text = "Hvor enig er du i " + "beskrivelsen av nåsituasjonen og utfordringene " * 4
    questions = (replace(SNAPSHOT.questions[0], text=long_text), *SNAPSHOT.questions[1:])
    payload = xlsx_bytes(summary_of("public", snapshot=replace(SNAPSHOT, questions=questions)))
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        xml = archive.read("xl/charts/chart1.xml").decode()
    title = xml[xml.index("<title>") : xml.index("</title>")]
    lines = re.findall(r"<a:t>([^<]*)</a:t>", title)
    assert len(lines) > 1 and "…" not in "".join(lines)
    assert " ".join(lines) == " ".join(f"Spørsmål 1: {long_text}".split())


def test_no_dont_know_column_when_the_scale_has_none_and_nobody_chose_it():
    respondents = tuple(
        r for r in SNAPSHOT.respondents if not any(a.dont_know for a in r.answers.values())
    )
    book = load_workbook(
        io.BytesIO(
            xlsx_bytes(summary_of("public", snapshot=replace(SNAPSHOT, respondents=respondents)))
        )
    )
    rows = values(book["Standpunkter"])
    header = rows[next(i for i, row in enumerate(rows) if row[0] == "Antall per kategori") + 1]
    assert "Vet ikke" not in header
    assert header[1:7] == (
        "Helt enig", "Delvis enig", "Hverken eller", "Delvis uenig", "Helt uenig", "Totalt",
    )  # fmt: skip
    sheet = read_question_sheet(book["Spørsmål 1"])
    assert "Vet ikke" not in sheet.tallies["Alle som svarte"][1]


def test_diverging_colours_are_the_web_charts_colour_blind_safe_palette():
    colours = diverging_colours(5)
    assert colours == [colour.lstrip("#").upper() for colour in point_colours(5)]
    assert colours[0] == "0B3C73" and colours[2] == "6B6B6B" and colours[4] == "7A2E05"


def test_themes_and_duplicates_sheets(public_book):
    themes = values(public_book["Temaer"])
    assert themes[0][:4] == ("Spørsmål", "Tema", "Nøkkelord", "Svar i temaet")
    assert themes[1][:4] == ("1.a", "samarbeid · penger", "samarbeid, penger", 2)
    assert "Privatperson (Enkeltperson): 50%" in themes[1][4]
    assert themes[1][5] == "Privatperson 1: «Mer penger til tjenestene.»"
    duplicates = values(public_book["Duplikater"])
    assert len(duplicates) == 2
    assert duplicates[0][:4] == ("Gruppe", "Type", "Spørsmål", "Avsendere")
    assert duplicates[1] == (
        "d1", "Kampanje", "1.a", "Helsedirektoratet\nPrivatperson 1", "Mer",
        "Privatperson 1: penger",
    )  # fmt: skip


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_injection_payloads_stay_text(audience):
    payload = xlsx_bytes(summary_of(audience, snapshot=injection_snapshot(), synthesis=None))
    book = load_workbook(io.BytesIO(payload))

    comments = [payload.strip() for payload in INJECTION_PAYLOADS]  # comments are trimmed
    answers = [row for row in book["Spørsmål 2"].iter_rows() if row[2].value in comments]
    assert len(answers) == len(comments)
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
    assert ("NTNU", "Tekst med kontroll") in [row[:2] for row in rows]
