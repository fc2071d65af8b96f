"""The secretariat's coding as plain data: counts of each code by respondent category, a "Koder"
sheet for a write-only workbook, and the long format (one row per tag or note).

Coding is the secretariat's own reading of the answers, not something respondents said, so it
belongs to the internal edition only and never reaches a public file. The web layer hands it
over as `CodingData` (no database, no Flask), as the rest of `exports` works on snapshots.

Counts are of respondents, not of tags: a respondent whose answer carries a code on two
passages, or on two questions, counts once for that code, as a reader of "how many
municipalities raised funding" expects. The share beside a count is of the category's
respondents with at least one code in the same scope (those whose answers have been coded).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.csv_writer import UTF8_BOM
from exports.safe_cell import csv_safe, xlsx_value
from exports.xlsx_cells import (
    BOLD,
    TITLE_FONT,
    header_row,
    print_setup,
    set_widths,
    sheet_title,
    styled,
)

# Fixed identifiers in every language, as in the long response format (`exports.long_format`).
LONG_COLUMNS: tuple[str, ...] = (
    "respondent",
    "reference",
    "category",
    "question",
    "code",
    "passage",
    "note",
)
# The labels a caller passes, translated (headings, column names, sheet names).
LABEL_KEYS = frozenset(
    (
        "title",
        "codebook",
        "code",
        "description",
        "respondents",
        "all",
        "all_questions",
        "question",
        "coded",
        "no_category",
        "sheet_codes",
        "sheet_long",
    )
)


@dataclass(frozen=True)
class CodebookEntry:
    name: str
    description: str = ""


@dataclass(frozen=True)
class CodingEntry:
    """One tag (code, maybe a passage) or one note (note) on one respondent's answer."""

    respondent: str
    reference: str
    category: str  # the category label, "" for none
    question: str
    code: str = ""
    passage: str = ""  # the quoted passage; "" when the whole answer is tagged
    note: str = ""


@dataclass(frozen=True)
class CodingData:
    codes: tuple[CodebookEntry, ...]  # the codebook, in its order
    categories: tuple[str, ...]  # category labels, in the consultation's order
    questions: tuple[str, ...]  # question codes, in order
    entries: tuple[CodingEntry, ...]  # in question, then respondent order


@dataclass(frozen=True)
class CodeCount:
    code: str
    total: int
    by_category: tuple[int, ...]  # aligned with `CodeCountTable.categories`


@dataclass(frozen=True)
class CodeCountTable:
    """Respondents per code and category within one question, or all (`question` None)."""

    question: str | None
    categories: tuple[str, ...]  # the categories with coded respondents; "" is "no category"
    rows: tuple[CodeCount, ...]  # every code of the codebook, in its order
    coded: CodeCount  # respondents with at least one code: the base of the shares

    def share(self, count: int, column: int | None) -> float | None:
        """`count` as a share of the coded respondents of category `column` (None: all)."""
        base = self.coded.total if column is None else self.coded.by_category[column]
        return count / base if base else None


def code_counts(data: CodingData, question: str | None = None) -> CodeCountTable:
    """Distinct respondents per code and category, in `question` or in all questions."""
    respondents: dict[str, set[str]] = defaultdict(set)
    category_of: dict[str, str] = {}
    for entry in data.entries:
        if entry.code and (question is None or entry.question == question):
            respondents[entry.code].add(entry.reference)
            category_of[entry.reference] = entry.category
    used = set(category_of.values())
    categories = tuple(label for label in data.categories if label in used)
    categories += tuple(sorted(used - set(categories)))
    column = {label: index for index, label in enumerate(categories)}

    def count(code: str, references: set[str]) -> CodeCount:
        by_category = [0] * len(categories)
        for reference in references:
            by_category[column[category_of[reference]]] += 1
        return CodeCount(code, len(references), tuple(by_category))

    rows = tuple(count(code.name, respondents.get(code.name, set())) for code in data.codes)
    return CodeCountTable(question, categories, rows, count("", set(category_of)))


def count_tables(data: CodingData) -> list[CodeCountTable]:
    """All questions together, then each question that has any code."""
    tables = [code_counts(data)]
    coded_questions = {entry.question for entry in data.entries if entry.code}
    tables += [code_counts(data, q) for q in data.questions if q in coded_questions]
    return tables


# The "Koder" sheet -------------------------------------------------------------------------------


def add_codes_sheet(
    workbook: Workbook, data: CodingData, labels: Mapping[str, str], taken: set[str]
) -> WriteOnlyWorksheet:
    """Append the sheet with the codebook and the count tables to a write-only `workbook`."""
    worksheet = workbook.create_sheet(sheet_title(labels["sheet_codes"], taken))
    tables = count_tables(data)
    widest = max(len(table.categories) for table in tables)
    set_widths(worksheet, (36, 12, *([18] * widest)))
    print_setup(worksheet, title_rows=None, footer=labels["title"])
    worksheet.append([styled(worksheet, labels["title"], font=TITLE_FONT, alignment=None)])
    worksheet.append([])
    _write_codebook(worksheet, data, tables[0], labels)
    for table in tables:
        worksheet.append([])
        _write_count_table(worksheet, table, labels)
    return worksheet


def _write_codebook(
    worksheet: WriteOnlyWorksheet, data: CodingData, overall: CodeCountTable, labels: Mapping
) -> None:
    worksheet.append([styled(worksheet, labels["codebook"], font=BOLD, alignment=None)])
    worksheet.append(
        header_row(worksheet, (labels["code"], labels["respondents"], labels["description"]))
    )
    for code, row in zip(data.codes, overall.rows, strict=True):
        worksheet.append(
            [styled(worksheet, code.name), row.total, styled(worksheet, code.description)]
        )


def _write_count_table(
    worksheet: WriteOnlyWorksheet, table: CodeCountTable, labels: Mapping[str, str]
) -> None:
    heading = (
        labels["all_questions"]
        if table.question is None
        else f"{labels['question']} {table.question}"
    )
    worksheet.append([styled(worksheet, heading, font=BOLD, alignment=None)])
    names = [label or labels["no_category"] for label in table.categories]
    worksheet.append(header_row(worksheet, (labels["code"], labels["all"], *names)))
    for row in table.rows:
        worksheet.append([styled(worksheet, row.code), row.total, *row.by_category])
    base = table.coded
    worksheet.append(
        [
            styled(worksheet, labels["coded"], font=BOLD),
            styled(worksheet, base.total, font=BOLD),
            *(styled(worksheet, n, font=BOLD) for n in base.by_category),
        ]
    )


# The long format ---------------------------------------------------------------------------------


def long_rows(data: CodingData) -> Iterator[tuple[str, ...]]:
    """One row per tag and per note, under `LONG_COLUMNS`."""
    for entry in data.entries:
        yield (
            entry.respondent,
            entry.reference,
            entry.category,
            entry.question,
            entry.code,
            entry.passage,
            entry.note,
        )


def add_long_sheet(
    workbook: Workbook, data: CodingData, labels: Mapping[str, str], taken: set[str]
) -> WriteOnlyWorksheet:
    """Append the long format as a sheet: header, autofilter, frozen header row."""
    worksheet = workbook.create_sheet(sheet_title(labels["sheet_long"], taken))
    set_widths(worksheet, (32, 12, 30, 10, 28, 60, 60))
    worksheet.freeze_panes = "A2"
    print_setup(worksheet, title_rows="1:1", footer=labels["title"])
    worksheet.append(header_row(worksheet, LONG_COLUMNS))
    count = 0
    for row in long_rows(data):
        worksheet.append([xlsx_value(worksheet, value) if value else None for value in row])
        count += 1
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(LONG_COLUMNS))}{count + 1}"
    return worksheet


def coding_xlsx_bytes(data: CodingData, labels: Mapping[str, str]) -> bytes:
    """A workbook of the "Koder" sheet and the long format, as bytes for a download."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    add_codes_sheet(workbook, data, labels, taken)
    add_long_sheet(workbook, data, labels, taken)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def coding_csv_bytes(data: CodingData, *, delimiter: str = ";") -> bytes:
    """The long format as CSV (UTF-8 with BOM, `;` for Excel in a Norwegian locale)."""
    text = io.StringIO()
    text.write(UTF8_BOM)
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(LONG_COLUMNS)
    writer.writerows([csv_safe(value) for value in row] for row in long_rows(data))
    return text.getvalue().encode("utf-8")
