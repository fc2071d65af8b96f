"""The coding export layer on plain data: counts by category, the "Koder" sheet, the long
format (no database, no Flask: `exports` works on snapshots)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook, load_workbook

from exports.coding_export import (
    LABEL_KEYS,
    LONG_COLUMNS,
    CodebookEntry,
    CodingData,
    CodingEntry,
    add_codes_sheet,
    code_counts,
    coding_csv_bytes,
    coding_xlsx_bytes,
    count_tables,
)

LABELS = {key: key.upper() for key in LABEL_KEYS}
KOMMUNE, ORG = "Kommune (Offentlig)", "Organisasjon (Privat)"


def data() -> CodingData:
    entries = (
        CodingEntry("Bergen", "B", KOMMUNE, "1", code="Penger", passage="mer penger"),
        CodingEntry("Bergen", "B", KOMMUNE, "1", code="Penger", passage="budsjettet"),
        CodingEntry("Bergen", "B", KOMMUNE, "1", note="Sjekk"),
        CodingEntry("Oslo", "O", KOMMUNE, "1", code="Samarbeid"),
        CodingEntry("Redd Barna", "R", ORG, "1", code="Penger"),
        CodingEntry("Oslo", "O", KOMMUNE, "2", code="Penger"),
        CodingEntry("Uten", "U", "", "2", code="Samarbeid"),
    )
    return CodingData(
        codes=(
            CodebookEntry("Penger", "Finansiering"),
            CodebookEntry("Samarbeid"),
            CodebookEntry("Ubrukt"),
        ),
        categories=("Annet (Privat)", ORG, KOMMUNE),
        questions=("1", "2", "3"),
        entries=entries,
    )


def test_respondents_are_counted_once_per_code_and_category():
    table = code_counts(data())
    assert table.categories == (ORG, KOMMUNE, "")  # the consultation's order, unused left out
    rows = {row.code: (row.total, row.by_category) for row in table.rows}
    # Bergen has "Penger" twice and Oslo on two questions: each counts once.
    assert rows == {"Penger": (3, (1, 2, 0)), "Samarbeid": (2, (0, 1, 1)), "Ubrukt": (0, (0, 0, 0))}
    assert (table.coded.total, table.coded.by_category) == (4, (1, 2, 1))
    assert table.share(2, 1) == 1.0 and table.share(3, None) == 0.75
    assert table.share(0, 2) == 0.0


def test_counts_per_question_and_the_list_of_tables():
    question_2 = code_counts(data(), "2")
    assert question_2.categories == (KOMMUNE, "")
    assert [(r.code, r.total) for r in question_2.rows] == [
        ("Penger", 1),
        ("Samarbeid", 1),
        ("Ubrukt", 0),
    ]
    assert [t.question for t in count_tables(data())] == [None, "1", "2"]  # 3 has no code
    empty = code_counts(CodingData((CodebookEntry("A"),), (KOMMUNE,), ("1",), ()))
    assert empty.categories == () and empty.coded.total == 0 and empty.share(0, None) is None


def test_the_codes_sheet_and_the_long_sheet():
    workbook = load_workbook(io.BytesIO(coding_xlsx_bytes(data(), LABELS)))
    assert workbook.sheetnames == ["SHEET_CODES", "SHEET_LONG"]
    codes = [
        tuple(v for v in row if v is not None)
        for row in workbook["SHEET_CODES"].iter_rows(values_only=True)
    ]
    assert codes[0] == ("TITLE",)
    assert ("Penger", 3, "Finansiering") in codes  # the codebook with respondents per code
    assert ("ALL_QUESTIONS",) in codes and ("QUESTION 1",) in codes and ("QUESTION 2",) in codes
    assert ("CODE", "ALL", ORG, KOMMUNE, "NO_CATEGORY") in codes
    assert ("Penger", 3, 1, 2, 0) in codes and ("CODED", 4, 1, 2, 1) in codes
    long = [row for row in workbook["SHEET_LONG"].iter_rows(values_only=True)]
    assert long[0] == LONG_COLUMNS and len(long) == 1 + len(data().entries)
    assert long[3] == ("Bergen", "B", KOMMUNE, "1", None, None, "Sjekk")
    assert workbook["SHEET_LONG"].auto_filter.ref == "A1:G8"
    assert workbook["SHEET_LONG"].print_title_rows == "$1:$1"  # the header on every page


def test_the_sheet_can_join_another_workbook():
    workbook = Workbook(write_only=True)
    taken = {"SHEET_CODES"}
    sheet = add_codes_sheet(workbook, data(), LABELS, taken)
    assert sheet.title == "SHEET_CODES (2)"
    workbook.save(io.BytesIO())  # a write-only workbook must be closed by saving it


def test_csv_is_the_long_format_with_a_bom_and_no_formulas():
    dangerous = CodingEntry("=cmd", "X", KOMMUNE, "1", note="+SUM(A1)")
    raw = coding_csv_bytes(CodingData((), (KOMMUNE,), ("1",), (dangerous,)))
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows == [list(LONG_COLUMNS), ["'=cmd", "X", KOMMUNE, "1", "", "", "'+SUM(A1)"]]
