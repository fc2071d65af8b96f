"""The Positions sheet: each scale or choice question crossed with category and sector, plus a
native chart for scale questions.

Per question the sheet holds an Excel bar chart and four small tables (counts and percentages,
by category and by sector, each opening with a row for all respondents). The chart shows the
category counts as horizontal bars, percent-stacked, series overlapping 100 %, so each category
(and everyone, on top) is one bar split into its scale points. The series follow the scale's own
order, most positive first, in the same colour-blind-safe diverging palette as the web chart
(`chart_layout.point_colours`: blues for agreement, grey for the middle, orange-browns for
disagreement). "Vet ikke" is counted in the tables, as a column only when the scale has it or
someone chose it, but kept out of percentages and the chart, as in the tabulation.

Printed, each question starts a page with its chart, and its tables follow on the next: the
chart sits above the tables rather than beside them, so the sheet prints at the tables' width
(landscape, fitted to the page), and no page break cuts through a chart.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break

from exports.chart_layout import point_colours
from exports.labels import sector_label
from exports.summary import CompiledSummary, QuestionSummary
from exports.xlsx_cells import BOLD, TITLE_FONT, header_row, print_setup, set_widths, styled
from synthesis.snapshot import DONT_KNOW_LABEL, Sector
from synthesis.tabulation import PositionCounts, QuestionTabulation

PERCENT_FORMAT = "0.0%"
CHART_WIDTH_CM = 22
MAX_CHART_HEIGHT_CM = 14  # with its title, a chart fits on a landscape page
ROW_HEIGHT_CM = 0.53  # a default-height row, for reserving the chart's rows
TITLE_CHARS = 70  # characters per line of a chart title before it wraps


def write_positions_sheet(worksheet: WriteOnlyWorksheet, summary: CompiledSummary) -> None:
    """Fill `worksheet` with one block of tables and a chart per tabulated scale question."""
    labels = summary.labels
    n_columns = max((len(t.labels) for t in summary.tabulations), default=len(summary.scale))
    set_widths(worksheet, (38, *([13] * (n_columns + 2))))
    print_setup(worksheet, title_rows=None, footer=labels["page_of"].format(page="&P", pages="&N"))
    questions = {question.code: question for question in summary.questions}
    row = 1  # the number of the next row to write
    for tabulation in summary.tabulations:
        question = questions.get(tabulation.question_code)
        if question is None:
            continue
        if row > 1:  # each question starts a printed page
            worksheet.row_breaks.append(Break(id=row - 1))
        worksheet.append([styled(worksheet, question.heading, font=TITLE_FONT, alignment=None)])
        row += 1
        overall = (labels["all_respondents"], tabulation.overall)
        by_category = [
            (info.display_label, tabulation.by_category[info.label])
            for info in summary.categories
            if info.label in tabulation.by_category and tabulation.by_category[info.label].total
        ]
        by_sector = [
            (sector_label(sector, summary.locale), tabulation.by_sector[sector.value])
            for sector in Sector
            if sector.value in tabulation.by_sector and tabulation.by_sector[sector.value].total
        ]
        # The chart first, on the question's first page, over its own rows; a diverging chart
        # is for scale points (a choice question's options have no middle).
        if by_category and tabulation.ordinal:
            n_bars = 1 + len(by_category)
            chart = _chart(question, n_bars)
            reserved = math.ceil(chart.height / ROW_HEIGHT_CM) + 1
            _set_data(chart, worksheet, row + reserved + 1, n_bars, len(tabulation.labels))
            worksheet.add_chart(chart, f"A{row}")
            for _ in range(reserved):
                worksheet.append([])
            row += reserved
            worksheet.row_breaks.append(Break(id=row - 1))  # the tables on the next page
        show_dont_know = _shows_dont_know(summary, tabulation)
        tables = (
            (labels["counts_by_category"], by_category, False),
            (labels["percent_by_category"], by_category, True),
            (labels["counts_by_sector"], by_sector, False),
            (labels["percent_by_sector"], by_sector, True),
        )
        for title, lines, as_percent in tables:
            row += _write_table(
                worksheet,
                title,
                summary,
                tabulation,
                [overall, *lines],
                as_percent=as_percent,
                show_dont_know=show_dont_know,
            )


def _write_table(
    worksheet: WriteOnlyWorksheet,
    title: str,
    summary: CompiledSummary,
    tabulation: QuestionTabulation,
    lines: Sequence[tuple[str, PositionCounts]],
    *,
    as_percent: bool,
    show_dont_know: bool,
) -> int:
    """One titled table, counts (with "don't know" and total) or shares; returns rows written."""
    worksheet.append([styled(worksheet, title, font=BOLD, alignment=None)])
    if as_percent:
        worksheet.append(header_row(worksheet, ["", *tabulation.labels]))
    else:
        dont_know = [summary.scale.dont_know or DONT_KNOW_LABEL] if show_dont_know else []
        headers = ["", *tabulation.labels, *dont_know, summary.labels["total"]]
        worksheet.append(header_row(worksheet, headers))
    for index, (name, counts) in enumerate(lines):
        label = styled(worksheet, name, font=BOLD if index == 0 else None)
        if as_percent:
            shares = [
                styled(worksheet, percent / 100, alignment=None, number_format=PERCENT_FORMAT)
                for percent in counts.percentages
            ]
            worksheet.append([label, *shares])
        else:
            dont_know_count = [counts.dont_know] if show_dont_know else []
            worksheet.append([label, *counts.counts, *dont_know_count, counts.total])
    worksheet.append([])
    return 3 + len(lines)


def _shows_dont_know(summary: CompiledSummary, tabulation: QuestionTabulation) -> bool:
    """A "Vet ikke" column where the scale offers it or someone chose it (scale questions)."""
    offered = tabulation.ordinal and bool(summary.scale.dont_know)
    return offered or tabulation.overall.dont_know > 0


def _chart(question: QuestionSummary, n_bars: int) -> BarChart:
    """Percent-stacked horizontal bars, one per row of the count table (data: `_set_data`)."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "percentStacked"
    chart.overlap = 100
    chart.gapWidth = 60
    title_lines = textwrap.wrap(question.heading, TITLE_CHARS) or [question.heading]
    chart.title = "\n".join(title_lines)  # one paragraph per line: wrapped, never cut
    chart.y_axis.number_format = "0%"
    chart.x_axis.scaling.orientation = "maxMin"  # everyone first, then categories as in the tables
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.width = CHART_WIDTH_CM
    chart.height = min(MAX_CHART_HEIGHT_CM, max(7.5, 3.0 + 0.6 * len(title_lines) + 0.8 * n_bars))
    return chart


def _set_data(
    chart: BarChart, worksheet: WriteOnlyWorksheet, header_row: int, n_bars: int, n_points: int
) -> None:
    """The count table's scale columns as series (the header row names them), in the palette;
    the table is written after the chart, so its rows are counted ahead."""
    data = Reference(
        worksheet, min_col=2, max_col=1 + n_points, min_row=header_row, max_row=header_row + n_bars
    )
    categories = Reference(
        worksheet, min_col=1, min_row=header_row + 1, max_row=header_row + n_bars
    )
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    for series, colour in zip(chart.series, diverging_colours(n_points), strict=True):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = "FFFFFF"


def diverging_colours(n_points: int) -> list[str]:
    """The web chart's colours as Excel writes them ("0B3C73"): agreement first."""
    return [colour.lstrip("#").upper() for colour in point_colours(n_points)]
