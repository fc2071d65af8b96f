"""The Positions sheet: each scale question crossed with category and sector, plus a native chart.

Per question the sheet holds four small tables (counts and percentages, by category and by
sector) and an Excel bar chart of the category counts: horizontal bars, percent-stacked, series
overlapping 100 %, so each category is one bar split into its scale points. The series follow
the scale's own order, most positive first, coloured from green through grey to red, so the
neutral point sits in the middle and agreement and disagreement diverge from it. "Don't know"
is counted in the tables but kept out of percentages and the chart, as in the tabulation.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.labels import sector_label
from exports.summary import CompiledSummary, QuestionSummary
from exports.xlsx_cells import BOLD, TITLE_FONT, header_row, set_widths, styled
from synthesis.snapshot import DONT_KNOW_LABEL, Sector
from synthesis.tabulation import PositionCounts, QuestionTabulation

PERCENT_FORMAT = "0.0%"
CHART_COLUMN = "J"
_AGREE_RGB = (26, 150, 65)
_NEUTRAL_RGB = (200, 200, 200)
_DISAGREE_RGB = (215, 25, 28)


def write_positions_sheet(worksheet: WriteOnlyWorksheet, summary: CompiledSummary) -> None:
    """Fill `worksheet` with one block of tables and a chart per tabulated scale question."""
    labels = summary.labels
    n_points = len(summary.scale.points)
    set_widths(worksheet, (34, *([14] * (n_points + 2))))
    questions = {question.code: question for question in summary.questions}
    row = 1
    for tabulation in summary.tabulations:
        question = questions.get(tabulation.question_code)
        if question is None:
            continue
        chart_top = row
        worksheet.append([styled(worksheet, question.heading, font=TITLE_FONT, alignment=None)])
        row += 1
        count_header_row = row + 1
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
        overall = (labels["total"], tabulation.overall)
        tables = (
            (labels["counts_by_category"], by_category, False),
            (labels["percent_by_category"], by_category, True),
            (labels["counts_by_sector"], by_sector, False),
            (labels["percent_by_sector"], by_sector, True),
        )
        for title, lines, as_percent in tables:
            row += _write_table(
                worksheet, title, summary, tabulation, [*lines, overall], as_percent
            )
        if by_category:
            chart = _chart(worksheet, question, count_header_row, len(by_category), n_points)
            worksheet.add_chart(chart, f"{CHART_COLUMN}{chart_top}")
        worksheet.append([])
        row += 1


def _write_table(
    worksheet: WriteOnlyWorksheet,
    title: str,
    summary: CompiledSummary,
    tabulation: QuestionTabulation,
    lines: Sequence[tuple[str, PositionCounts]],
    as_percent: bool,
) -> int:
    """One titled table, counts (with "don't know" and total) or shares; returns rows written."""
    worksheet.append([styled(worksheet, title, font=BOLD, alignment=None)])
    if as_percent:
        worksheet.append(header_row(worksheet, ["", *tabulation.labels]))
    else:
        dont_know = summary.scale.dont_know or DONT_KNOW_LABEL
        headers = ["", *tabulation.labels, dont_know, summary.labels["total"]]
        worksheet.append(header_row(worksheet, headers))
    for name, counts in lines:
        if as_percent:
            shares = [
                styled(worksheet, percent / 100, alignment=None, number_format=PERCENT_FORMAT)
                for percent in counts.percentages
            ]
            worksheet.append([name, *shares])
        else:
            worksheet.append([name, *counts.counts, counts.dont_know, counts.total])
    worksheet.append([])
    return 3 + len(lines)


def _chart(
    worksheet: WriteOnlyWorksheet,
    question: QuestionSummary,
    header_row_index: int,
    n_categories: int,
    n_points: int,
) -> BarChart:
    """Percent-stacked horizontal bars of the category count table (header row + categories)."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "percentStacked"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = question.heading if len(question.heading) <= 80 else question.heading[:79] + "…"
    data = Reference(
        worksheet,
        min_col=2,
        max_col=1 + n_points,
        min_row=header_row_index,
        max_row=header_row_index + n_categories,
    )
    categories = Reference(
        worksheet, min_col=1, min_row=header_row_index + 1, max_row=header_row_index + n_categories
    )
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    for series, colour in zip(chart.series, diverging_colours(n_points), strict=True):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.y_axis.number_format = "0%"
    chart.x_axis.scaling.orientation = "maxMin"  # first category on top, as in the tables
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.width = 18
    chart.height = max(7.5, 1.2 + 0.9 * n_categories)
    return chart


def diverging_colours(n_points: int) -> list[str]:
    """Hex colours from agreement (green) through neutral grey to disagreement (red)."""
    if n_points == 1:
        return [_rgb_hex(_NEUTRAL_RGB)]
    colours = []
    for index in range(n_points):
        position = index / (n_points - 1)  # 0 = most positive, 1 = most negative
        if position <= 0.5:
            colour = _mix(_AGREE_RGB, _NEUTRAL_RGB, position * 2)
        else:
            colour = _mix(_NEUTRAL_RGB, _DISAGREE_RGB, position * 2 - 1)
        colours.append(_rgb_hex(colour))
    return colours


def _mix(start: Sequence[int], end: Sequence[int], weight: float) -> tuple[int, ...]:
    return tuple(round(a + (b - a) * weight) for a, b in zip(start, end, strict=True))


def _rgb_hex(rgb: Sequence[int]) -> str:
    return "".join(f"{channel:02X}" for channel in rgb)
