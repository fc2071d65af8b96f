"""Reading and checking long-format files without a database: encodings, separators, XLSX,
header names, scale labels, row errors and building a consultation from the file."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook

from exports.long_format import LONG_COLUMNS
from hearing.imports.long_format import HEADER_ALIASES, LongFormatError, read_long_file
from hearing.imports.long_infer import infer_consultation
from hearing.imports.long_validate import LongValidator, respondent_key
from synthesis import snapshot as snap

CONSULTATION = snap.ConsultationSnapshot(
    slug="h",
    title="Høring",
    categories=(
        snap.Category("Forvaltning", snap.Sector.PUBLIC),
        snap.Category("Annet", snap.Sector.PRIVATE),
        snap.Category("Annet", snap.Sector.PUBLIC),
        snap.Category("Privatperson", snap.Sector.INDIVIDUAL),
    ),
    questions=(
        snap.Question("1", "Enig?", snap.QuestionKind.SCALE),
        snap.Question("2", "Mål?", snap.QuestionKind.SCALE_TEXT),
        snap.Question("3", "Annet?", snap.QuestionKind.TEXT),
    ),
)
ROWS = [
    ["Bærum kommune", "Forvaltning", "Offentlig", "1", "Helt enig", ""],
    [
        "Bærum kommune",
        "Forvaltning",
        "Offentlig",
        "2",
        "Delvis uenig",
        "Mer å gjøre – også for æøå",
    ],
    ["Bærum kommune", "Forvaltning", "Offentlig", "3", "", "Takk"],
    ["Foreningen X", "Annet", "Privat", "1", "Vet ikke", ""],
    ["Foreningen X", "Annet", "Privat", "2", "", "Bare tekst"],
    ["Kari Nordmann", "Privatperson", "Enkeltperson", "1", "Hverken eller", ""],
]
NB_HEADER = ["Respondent", "Kategori", "Sektor", "Spørsmål", "Verdi", "Tekst"]
EN_HEADER = ["respondent", "category", "sector", "question", "value", "text"]


def csv_bytes(rows: list[list[str]], *, header=NB_HEADER, delimiter=";", encoding="utf-8") -> bytes:
    def quote(cell: str) -> str:
        needs = delimiter in cell or '"' in cell or "\n" in cell
        return '"' + cell.replace('"', '""') + '"' if needs else cell

    lines = [delimiter.join(quote(c) for c in row) for row in [header, *rows]]
    return "\r\n".join(lines).encode(encoding)


def xlsx_bytes(rows: list[list[object]], *, header=EN_HEADER, sheet="Data") -> bytes:
    workbook = Workbook()
    workbook.active.title = "Oversikt"
    workbook.active.append(["Ikke denne"])
    target = workbook.create_sheet(sheet) if sheet else workbook.active
    target.append(header)
    for row in rows:
        target.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def validate(data: bytes, filename: str = "svar.csv", consultation=CONSULTATION):
    return LongValidator(consultation).validate(read_long_file(data, filename))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_encodings_and_separators(encoding: str, delimiter: str) -> None:
    result = validate(csv_bytes(ROWS, delimiter=delimiter, encoding=encoding))
    assert result.errors == []
    assert [r.name for r in result.respondents] == [
        "Bærum kommune",
        "Foreningen X",
        "Kari Nordmann",
    ]
    baerum = result.respondents[0]
    assert baerum.category == "Forvaltning (Offentlig)"
    assert baerum.answers["2"] == snap.Answer("2", value=3, text="Mer å gjøre – også for æøå")
    assert result.respondents[1].answers["1"].dont_know


def test_xlsx_reads_the_long_sheet_not_the_first() -> None:
    result = validate(xlsx_bytes(ROWS, sheet="Svar (langt format)"), "svar.xlsx")
    assert result.errors == []
    assert len(result.respondents) == 3


def test_xlsx_first_sheet_when_no_long_sheet() -> None:
    workbook_bytes = xlsx_bytes(ROWS, sheet="")
    with pytest.raises(LongFormatError) as raised:
        read_long_file(workbook_bytes, "svar.xlsx")
    assert raised.value.code == "missing_columns"  # the first sheet holds "Ikke denne"


def test_scale_values_by_english_label_and_number_any_case() -> None:
    rows = [
        ["A", "Forvaltning", "public", "1", "STRONGLY AGREE", ""],
        ["B", "Forvaltning", "PUBLIC", "1", "helt uenig", ""],
        ["C", "Forvaltning", "", "1", "3", ""],
        ["D", "Forvaltning", "", "1", "don't know", ""],
    ]
    result = validate(csv_bytes(rows, header=EN_HEADER, delimiter=","))
    assert result.errors == []
    values = [(r.answers["1"].value, r.answers["1"].dont_know) for r in result.respondents]
    assert values == [(0, False), (4, False), (2, False), (None, True)]


def test_category_label_with_sector_suffix_and_ambiguous_name() -> None:
    rows = [
        ["A", "Annet (Privat)", "", "1", "1", ""],
        ["B", "Annet", "offentlig", "1", "1", ""],
        ["C", "Annet", "", "1", "1", ""],
    ]
    result = validate(csv_bytes(rows))
    assert [r.category for r in result.respondents] == ["Annet (Privat)", "Annet (Offentlig)"]
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (4, "Kategori", "ambiguous_category")
    ]


def test_row_errors_carry_row_number_column_and_reason() -> None:
    rows = [
        ["A", "Forvaltning", "Offentlig", "1", "Helt enig", ""],
        ["", "Forvaltning", "Offentlig", "1", "Helt enig", ""],
        ["B", "Ukjent", "Offentlig", "1", "Helt enig", ""],
        ["C", "Forvaltning", "Statlig", "1", "Helt enig", ""],
        ["D", "Forvaltning", "Offentlig", "9", "Helt enig", ""],
        ["E", "Forvaltning", "Offentlig", "1", "Kanskje", ""],
        ["F", "Forvaltning", "Offentlig", "3", "Helt enig", ""],
        ["G", "Forvaltning", "Offentlig", "1", "Helt enig", "tekst på skala"],
        ["A", "Forvaltning", "Offentlig", "1", "Delvis enig", ""],
        ["H", "Forvaltning", "Offentlig", "1", "6", ""],
    ]
    result = validate(csv_bytes(rows))
    found = [(e.row, e.column, e.code) for e in result.errors]
    assert found == [
        (3, "Respondent", "missing_respondent"),
        (4, "Kategori", "unknown_category"),
        (5, "Sektor", "bad_sector"),
        (6, "Spørsmål", "unknown_question"),
        (7, "Verdi", "bad_value"),
        (8, "Verdi", "value_not_allowed"),
        (9, "Tekst", "text_not_allowed"),
        (10, "Spørsmål", "duplicate_answer"),
        (11, "Verdi", "bad_value"),
    ]
    assert [r.name for r in result.respondents] == ["A"]
    assert result.rows_valid == 1
    described = result.errors[3].describe("nb")
    assert described == "Rad 6, kolonne «Spørsmål»: Høringen har ikke spørsmål «9»."
    assert result.errors[3].describe("en") == (
        "Row 6, column “Spørsmål”: The consultation has no question “9”."
    )
    assert "rad 2" in result.errors[7].message("nb")


def test_optional_columns_in_norwegian() -> None:
    header = [*NB_HEADER, "På vegne av", "E-post", "Innsendt", "Samtykke"]
    rows = [
        [
            "A",
            "Forvaltning",
            "",
            "1",
            "1",
            "",
            "Etaten",
            "a@example.no",
            "01.03.2024 14:30",
            "anonym",
        ],
        ["A", "Forvaltning", "", "3", "", "Tekst", "", "", "", ""],
        ["B", "Forvaltning", "", "1", "1", "", "", "ikke-epost", "i går", "kanskje"],
    ]
    result = validate(csv_bytes(rows, header=header))
    a = result.respondents[0]
    assert (a.on_behalf_of, a.email, a.consent) == (
        "Etaten",
        "a@example.no",
        snap.Consent.ANONYMOUS,
    )
    assert a.submitted_at is not None and a.submitted_at.isoformat() == "2024-03-01T14:30:00+00:00"
    assert [e.code for e in result.errors] == ["bad_email", "bad_date", "bad_consent"]


def test_ragged_rows_read_as_the_header_says() -> None:
    """Short rows lack their last cells, long rows carry extra ones: both still count, and a
    rejected row is written back as it stood."""
    data = csv_bytes([]) + b"\r\nA;Forvaltning;;1;Helt enig\r\nB;Forvaltning;;3;;Tekst;ekstra\r\n"
    result = validate(data)
    assert result.errors == []
    assert [(r.name, list(r.answers)) for r in result.respondents] == [("A", ["1"]), ("B", ["3"])]


def test_xlsx_dates_outside_submitted_at_are_text() -> None:
    """Excel turns a question code such as 1.2 into a date; that is a bad code, not a crash."""
    header = [*EN_HEADER, "submitted_at"]
    when = datetime(2024, 2, 1, 9, 15)
    rows = [
        ["A", "Forvaltning", "public", "1", "Helt enig", None, when],
        ["A", "Forvaltning", "public", when, "Helt enig", None, None],
    ]
    result = validate(xlsx_bytes(rows, header=header, sheet="Svar (langt format)"), "svar.xlsx")
    assert [(e.row, e.code, e.params) for e in result.errors] == [
        (3, "unknown_question", {"value": "2024-02-01 09:15:00"})
    ]
    assert result.respondents[0].submitted_at == when.replace(tzinfo=UTC)


def test_formula_guard_of_the_csv_exporter_is_undone() -> None:
    rows = [["A", "Forvaltning", "", "3", "", "'=1+1"], ["B", "Forvaltning", "", "3", "", "'ok"]]
    result = validate(csv_bytes(rows))
    assert [r.answers["3"].text for r in result.respondents] == ["=1+1", "'ok"]


def test_missing_columns_is_a_file_error() -> None:
    with pytest.raises(LongFormatError) as raised:
        read_long_file(b"navn;svar\nA;B\n", "svar.csv")
    assert raised.value.code == "missing_columns"


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (csv_bytes([]), "svar.csv"),
        (csv_bytes([]) + b"\r\n;;;;;\r\n\r\n", "svar.csv"),
        (xlsx_bytes([], sheet="Svar (langt format)"), "svar.xlsx"),
    ],
)
def test_header_without_rows_is_a_file_error(data: bytes, filename: str) -> None:
    """Nothing to import is not an import of nothing: the file is refused before any preview."""
    with pytest.raises(LongFormatError) as raised:
        read_long_file(data, filename)
    assert raised.value.code == "no_rows"


def test_keys_are_stable_and_ignore_case_and_spacing() -> None:
    assert respondent_key("h", "Bærum  kommune", "X") == respondent_key("h", "bærum kommune", "X")
    assert respondent_key("h", "A", "X") != respondent_key("h2", "A", "X")
    assert len(respondent_key("h", "A", "X")) <= 64


def test_infer_kinds_categories_and_scale() -> None:
    table = read_long_file(csv_bytes(ROWS), "svar.csv")
    inferred = infer_consultation(table, slug="ny", title="Ny")
    kinds = {q.code: q.kind for q in inferred.questions}
    assert kinds == {
        "1": snap.QuestionKind.SCALE,
        "2": snap.QuestionKind.SCALE_TEXT,
        "3": snap.QuestionKind.TEXT,
    }
    assert [c.label for c in inferred.categories] == [
        "Forvaltning (Offentlig)",
        "Annet (Privat)",
        "Privatperson (Enkeltperson)",
    ]
    assert inferred.scale.points == snap.NORWEGIAN_AGREEMENT_SCALE
    assert inferred.scale.dont_know == "Vet ikke"


def test_infer_english_scale_and_given_scale() -> None:
    rows = [["A", "Forvaltning", "public", "1", "Useful", ""]]
    table = read_long_file(csv_bytes(rows, header=EN_HEADER, delimiter=","), "s.csv")
    assert infer_consultation(table, slug="s", title="S").scale.points[1] == "Useful"
    given = infer_consultation(table, slug="s", title="S", scale_points=["Useful", "Useless"])
    assert given.scale.points == ("Useful", "Useless")


def test_unknown_scale_asks_for_scale_option() -> None:
    rows = [["A", "Forvaltning", "public", "1", "Grønn", ""]]
    table = read_long_file(csv_bytes(rows), "s.csv")
    with pytest.raises(LongFormatError) as raised:
        infer_consultation(table, slug="s", title="S")
    assert raised.value.code == "unknown_scale"


def test_the_reader_reads_every_column_the_writers_write_under_its_own_name() -> None:
    """One list of columns (`exports.long_format.LONG_COLUMNS`) for writers and reader: a file
    headed with exactly those names is read column for column."""
    values = [f"v{index}" for index in range(len(LONG_COLUMNS))]
    table = read_long_file(csv_bytes([values], header=list(LONG_COLUMNS), delimiter=","), "l.csv")
    assert set(HEADER_ALIASES.values()) == set(LONG_COLUMNS)
    assert table.fields == LONG_COLUMNS
    assert [table.rows[0].text(name) for name in LONG_COLUMNS] == values
