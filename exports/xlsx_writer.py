"""The compiled summary as an Excel workbook, the format strategy groups ask for.

Sheets, in order: an overview; one sheet per question laid out like the compiled document
(`xlsx_question`: respondents grouped by category, answer and comment beside each name, the
question's tallies, and "N andre instanser … har ikke svart på dette spørsmålet."); positions by
category and sector with a chart; themes; duplicate groups; and the flat long format (header
row, autofilter, frozen header) that an importer can read back.

Every sheet prints as a reader expects (`xlsx_cells.print_setup`: landscape A4, fitted to the
page width, header rows repeated, page numbers). Times people read are in Norwegian time and
labelled so; the long format keeps UTC, which its importer expects, and its cells say "UTC".

The workbook is always written in openpyxl's write-only mode. Rows stream to the zip file as
they are produced instead of living as cell objects, so memory stays flat whether a
consultation has 33 respondents or 100,000; one code path serves both.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.labels import duplicate_kind_label, quoted, sector_label
from exports.long_format import long_columns, long_rows
from exports.safe_cell import xlsx_value
from exports.summary import CompiledSummary
from exports.xlsx_cells import (
    BOLD,
    TITLE_FONT,
    TOP,
    excel_datetime,
    excel_utc,
    header_row,
    print_setup,
    set_widths,
    sheet_title,
    styled,
)
from exports.xlsx_positions import write_positions_sheet
from exports.xlsx_question import write_question_sheet
from exports.xlsx_rows import append_fitted

DATE_FORMAT = "yyyy-mm-dd hh:mm"
UTC_DATE_FORMAT = 'yyyy-mm-dd hh:mm "UTC"'


def write_xlsx(summary: CompiledSummary, stream: BinaryIO) -> None:
    """Write the workbook of `summary` to a binary `stream`."""
    labels = summary.labels
    workbook = Workbook(write_only=True)
    taken: set[str] = set()

    def new_sheet(title: str) -> WriteOnlyWorksheet:
        return workbook.create_sheet(sheet_title(title, taken))

    _write_overview(new_sheet(labels["sheet_overview"]), summary)
    for question in summary.questions:
        write_question_sheet(new_sheet(f"{labels['question']} {question.code}"), question, summary)
    write_positions_sheet(new_sheet(labels["sheet_positions"]), summary)
    _write_themes(new_sheet(labels["sheet_themes"]), summary)
    _write_duplicates(new_sheet(labels["sheet_duplicates"]), summary)
    write_long_sheet(new_sheet(labels["sheet_long"]), summary)
    workbook.save(stream)


def xlsx_bytes(summary: CompiledSummary) -> bytes:
    """The workbook as bytes, for a download response."""
    buffer = io.BytesIO()
    write_xlsx(summary, buffer)
    return buffer.getvalue()


def long_sheet_bytes(summary: CompiledSummary) -> bytes:
    """A workbook holding only the long-format sheet (for importers and large downloads)."""
    workbook = Workbook(write_only=True)
    write_long_sheet(
        workbook.create_sheet(sheet_title(summary.labels["sheet_long"], set())), summary
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_long_sheet(worksheet: WriteOnlyWorksheet, summary: CompiledSummary) -> None:
    """The long format: header row, one row per answer, autofilter, header frozen in place.

    This sheet carries one row per answer (600,000 at 100,000 respondents), so it avoids
    per-cell objects: empty values are skipped rather than written as empty cells, and the one
    dated cell is a single styled cell whose value is replaced row after row. That reuse is
    sound because a write-only sheet serialises each row inside `append`.
    """
    columns = long_columns(summary)
    date_column = columns.index("submitted_at")
    widths = {"respondent": 36, "category": 30, "question": 10, "value": 16, "text": 80}
    set_widths(worksheet, (widths.get(column, 16) for column in columns))
    worksheet.freeze_panes = "A2"
    print_setup(worksheet, title_rows="1:1", footer=_page_footer(summary))
    worksheet.append(header_row(worksheet, columns))
    date_cell = styled(worksheet, None, alignment=None, number_format=UTC_DATE_FORMAT)
    count = 0
    for row in long_rows(summary):
        values = [xlsx_value(worksheet, value) if value != "" else None for value in row]
        submitted_at = row[date_column]
        if submitted_at is not None:
            date_cell.value = excel_utc(submitted_at)
            values[date_column] = date_cell
        worksheet.append(values)
        count += 1
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


def _write_overview(worksheet: WriteOnlyWorksheet, summary: CompiledSummary) -> None:
    labels, overview = summary.labels, summary.overview
    widths = (40, 60, 30)
    set_widths(worksheet, widths)
    print_setup(worksheet, title_rows=None, footer=_page_footer(summary))
    next_row = itertools.count(1)

    def add(cells: list[object], texts: Sequence[str] = ()) -> None:
        append_fitted(worksheet, next(next_row), cells, zip(texts, widths, strict=False))

    def pair(key: str, value: object) -> None:
        text = value if isinstance(value, str) else ""
        add([styled(worksheet, labels[key], font=BOLD), _value_cell(worksheet, value)], ("", text))

    def table(headers: Sequence[str], lines: Iterable[Sequence[object]]) -> None:
        add([])
        add(header_row(worksheet, headers), headers)
        for line in lines:
            add(list(line), [value for value in line if isinstance(value, str)][:1])

    add([styled(worksheet, overview.title, font=TITLE_FONT, alignment=None)])
    add([])
    pair("audience", overview.edition_note)
    pair("opens_at", overview.opens_at)
    pair("closes_at", overview.closes_at)
    pair("respondents", overview.respondent_count)
    pair("unpublished", overview.unpublished_count)
    if overview.refused_positions_counted:
        pair("refused_positions_counted", overview.refused_positions_counted)
    table(
        [labels["respondents_by_category"], labels["count"]],
        ((info.display_label, count) for info, count in overview.by_category),
    )
    table(
        [labels["respondents_by_sector"], labels["count"]],
        ((sector_label(sector, summary.locale), count) for sector, count in overview.by_sector),
    )
    table(
        [labels["question"], labels["answered_respondents"], labels["not_answered_respondents"]],
        (
            (styled(worksheet, code, alignment=None), answered, not_answered)
            for code, answered, not_answered in overview.answers_per_question
        ),
    )
    provenance = overview.provenance
    add([])
    add(header_row(worksheet, [labels["provenance"], ""]))
    pair("run_id", provenance.run_id)
    pair("software_version", provenance.software_version)
    pair("exported_at", provenance.exported_at)
    pair("parameters", _parameters_text(provenance.parameters))


def _write_themes(worksheet: WriteOnlyWorksheet, summary: CompiledSummary) -> None:
    labels = summary.labels
    widths = (10, 30, 30, 10, 36, 80)
    set_widths(worksheet, widths)
    worksheet.freeze_panes = "A2"
    print_setup(worksheet, title_rows="1:1", footer=_page_footer(summary))
    headers = ["question", "theme", "keywords", "size", "share_by_category", "quotes"]
    worksheet.append(header_row(worksheet, [labels[key] for key in headers]))
    for row, theme in enumerate(summary.themes, start=2):
        shares = "\n".join(
            f"{_category_text(summary, label)}: {share:.0%}"
            for label, share in theme.share_by_category.items()
        )
        quotes = "\n\n".join(
            f"{who.display_name}: {quoted(text, summary.locale)}" for who, text in theme.quotes
        )
        texts = (theme.label, ", ".join(theme.keywords), shares, quotes)
        append_fitted(
            worksheet,
            row,
            [
                styled(worksheet, theme.question_code, alignment=TOP),
                *(styled(worksheet, text) for text in texts[:2]),
                theme.size,
                *(styled(worksheet, text) for text in texts[2:]),
            ],
            zip(texts, (widths[1], widths[2], widths[4], widths[5]), strict=True),
        )


def _write_duplicates(worksheet: WriteOnlyWorksheet, summary: CompiledSummary) -> None:
    labels = summary.labels
    widths = (10, 20, 10, 36, 60, 60)
    set_widths(worksheet, widths)
    worksheet.freeze_panes = "A2"
    print_setup(worksheet, title_rows="1:1", footer=_page_footer(summary))
    headers = ["group", "kind", "question", "members", "template", "additions"]
    worksheet.append(header_row(worksheet, [labels[key] for key in headers]))
    for row, group in enumerate(summary.duplicates, start=2):
        members = "\n".join(member.display_name for member in group.members)
        additions = "\n\n".join(f"{who.display_name}: {text}" for who, text in group.additions)
        texts = (members, group.template, additions)
        append_fitted(
            worksheet,
            row,
            [
                styled(worksheet, group.group_id, alignment=TOP),
                styled(worksheet, duplicate_kind_label(group.kind, summary.locale), alignment=TOP),
                styled(worksheet, group.question_code or "", alignment=TOP),
                *(styled(worksheet, text) for text in texts),
            ],
            zip(texts, widths[3:], strict=True),
        )


def _page_footer(summary: CompiledSummary) -> str:
    """ "Side &P av &N": Excel's codes for the page number and the page count."""
    return summary.labels["page_of"].format(page="&P", pages="&N")


def _category_text(summary: CompiledSummary, label: str) -> str:
    info = summary.category_info(label)
    return info.display_label if info is not None else label


def _value_cell(worksheet: WriteOnlyWorksheet, value: object) -> object:
    if isinstance(value, datetime):
        return styled(worksheet, excel_datetime(value), alignment=None, number_format=DATE_FORMAT)
    if value is None:
        return ""
    return styled(worksheet, value) if isinstance(value, str) else value


def _parameters_text(parameters: Mapping[str, object]) -> str:
    return "\n".join(f"{key} = {value}" for key, value in sorted(parameters.items()))
