"""The positions chart as geometry: boxes, labels and rules, before any picture format.

The web page shows the chart as SVG (`svg_chart`) and the Word report as a PNG (`chart_png`).
Both paint this one layout, so the two pictures cannot disagree about a bar, a colour or a
percentage. The layout is the usual one for agreement scales: disagreement grows to the left of
a centre line, agreement to the right, and a neutral middle point is split across the centre so
that neither side looks bigger than it is. Bars are shares of the respondents who took a
position ("Vet ikke" is left out, as in `synthesis.tabulation`), on a symmetric axis wide
enough for the longer side.

The palette is diverging and safe for the common red-green colour blindness: dark to light blue
for agreement, a grey middle, light to dark orange-brown for disagreement; white text on every
fill reaches 4.5:1. The Excel chart uses the same colours (`xlsx_positions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from synthesis.tabulation import PositionCounts, QuestionTabulation

WIDTH = 760
LABEL_WIDTH = 250
PLOT_LEFT = 262
PLOT_RIGHT = WIDTH - 28  # room for the centred "100 %" under the right edge
ROW_HEIGHT = 38
BAR_HEIGHT = 22
FONT_SIZE = 13
SMALL_FONT_SIZE = 12
LINE_HEIGHT = 16
CHAR_WIDTH = 7.0  # average glyph width at FONT_SIZE, enough to wrap labels and the legend
LABEL_CHARS = 34
LEGEND_MARGIN = 8
MIN_LABELLED_WIDTH = 30  # narrower segments carry no percentage label (the table has it)
INK = "#1f1f1f"
MUTED = "#595959"
GRID = "#8a8a8a"
WHITE = "#ffffff"

_AGREE_OUTER, _AGREE_INNER = (0x0B, 0x3C, 0x73), (0x3B, 0x73, 0xB9)
_DISAGREE_OUTER, _DISAGREE_INNER = (0x7A, 0x2E, 0x05), (0xB3, 0x52, 0x0F)
_NEUTRAL = (0x6B, 0x6B, 0x6B)


@dataclass(frozen=True)
class ChartRow:
    """One bar: a category's display label and its position counts."""

    label: str
    counts: PositionCounts


@dataclass(frozen=True)
class Box:
    """A filled rectangle: a bar segment (with its `tooltip`) or a legend swatch (without)."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    tooltip: str | None = None


@dataclass(frozen=True)
class Label:
    """Text whose first line sits on the baseline `y`; `anchor` is start, middle or end."""

    x: float
    y: float
    lines: tuple[str, ...]
    anchor: str = "start"
    fill: str = INK
    size: int = FONT_SIZE
    decorative: bool = False  # repeats what a tooltip or the table says (hidden from readers)


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float
    dashed: bool = False


@dataclass(frozen=True)
class ChartLayout:
    """Everything to paint, in painting order, on a canvas of `width` × `height`."""

    width: int
    height: int
    items: tuple[Box | Label | Rule, ...]


@dataclass(frozen=True)
class _Segment:
    point: int  # index into the scale, 0 = most positive
    x: float
    width: float
    share: float  # percent of the row's positioned respondents (a split neutral keeps its whole)


def chart_layout(
    rows: Sequence[ChartRow], scale_labels: Sequence[str], *, empty_label: str, locale: str
) -> ChartLayout:
    """The layout of `rows` on the scale `scale_labels` (most positive first)."""
    colours = point_colours(len(scale_labels))
    legend, legend_height = _legend(scale_labels, colours)
    extent = _axis_extent(rows, len(scale_labels))
    centre = (PLOT_LEFT + PLOT_RIGHT) / 2
    half_width = (PLOT_RIGHT - PLOT_LEFT) / 2
    plot_top = legend_height + 12
    height = plot_top + ROW_HEIGHT * max(len(rows), 1) + 34
    items: list[Box | Label | Rule] = [
        *legend,
        *_grid(extent, centre, half_width, plot_top, height - 34, locale),
    ]
    percents: list[Label] = []
    for index, row in enumerate(rows):
        top = plot_top + index * ROW_HEIGHT
        items.append(_row_label(row, top))
        if row.counts.positioned == 0:
            items.append(Label(centre + 6, top + ROW_HEIGHT / 2 + 4, (empty_label,), fill=MUTED))
            continue
        bar_top = top + (ROW_HEIGHT - BAR_HEIGHT) / 2
        for segment in _segments(row.counts, centre, half_width / extent):
            box, percent = _segment(segment, row, scale_labels, colours, bar_top, locale)
            items.append(box)
            if percent is not None:
                percents.append(percent)
    items.append(Rule(centre, plot_top - 4, centre, height - 30, INK, 2))
    return ChartLayout(WIDTH, height, (*items, *percents))  # percentages over the centre line


def category_rows(
    tabulation: QuestionTabulation, categories: Sequence[tuple[str, str]], *, total_label: str
) -> list[ChartRow]:
    """A bar for everyone, then one per category (label, display label) that took a position.

    Categories are given in the consultation's order; those nobody in answered on the scale
    (not even "Vet ikke") are left out rather than drawn as empty bars.
    """
    rows = [ChartRow(total_label, tabulation.overall)]
    for label, display_label in categories:
        counts = tabulation.by_category.get(label)
        if counts is not None and counts.total > 0:
            rows.append(ChartRow(display_label, counts))
    return rows


def point_colours(n_points: int) -> list[str]:
    """One fill per scale point: dark to light blue, a grey middle, light to dark orange-brown."""
    half = n_points // 2
    agree = [_mix(_AGREE_OUTER, _AGREE_INNER, _step(i, half)) for i in range(half)]
    disagree = [_mix(_DISAGREE_INNER, _DISAGREE_OUTER, _step(i, half)) for i in range(half)]
    middle = [_hex(_NEUTRAL)] if n_points % 2 else []
    return agree + middle + disagree


def format_percent(share: float, locale: str) -> str:
    """A whole percentage as the locale writes it: "45 %" in Norwegian, "45%" in English."""
    return f"{round(share)}%" if locale == "en" else f"{round(share)}\u00a0%"


def _segments(counts: PositionCounts, centre: float, scale: float) -> list[_Segment]:
    """Bars from the centre outwards: neutral halves first, extreme points outermost."""
    shares = counts.percentages
    n_points = len(shares)
    half = n_points // 2
    segments: list[_Segment] = []
    left = right = centre
    if n_points % 2:
        neutral = shares[half]
        width = neutral / 2 * scale
        left -= width
        segments.append(_Segment(half, left, 2 * width, neutral))
        right += width
    for point in range(n_points - half, n_points):  # inner disagreement first
        width = shares[point] * scale
        left -= width
        segments.append(_Segment(point, left, width, shares[point]))
    for point in reversed(range(half)):  # inner agreement first
        width = shares[point] * scale
        segments.append(_Segment(point, right, width, shares[point]))
        right += width
    return [segment for segment in segments if segment.width > 0]


def _segment(
    segment: _Segment,
    row: ChartRow,
    scale_labels: Sequence[str],
    colours: Sequence[str],
    bar_top: float,
    locale: str,
) -> tuple[Box, Label | None]:
    """The segment's box and, when it is wide enough, its white percentage label."""
    count = row.counts.counts[segment.point]
    percent = format_percent(segment.share, locale)
    tooltip = f"{row.label}: {scale_labels[segment.point]} {count} ({percent})"
    box = Box(segment.x, bar_top, segment.width, BAR_HEIGHT, colours[segment.point], tooltip)
    if segment.width < MIN_LABELLED_WIDTH:
        return box, None
    label = Label(
        segment.x + segment.width / 2,
        bar_top + BAR_HEIGHT / 2 + 4,
        (percent,),
        anchor="middle",
        fill=WHITE,
        size=SMALL_FONT_SIZE,
        decorative=True,
    )
    return box, label


def _row_label(row: ChartRow, top: float) -> Label:
    count = f"(n\u00a0=\u00a0{row.counts.positioned})"  # never broken across lines
    lines = _wrap(f"{row.label} {count}", LABEL_CHARS, max_lines=2)
    first_y = top + ROW_HEIGHT / 2 + 4 - (len(lines) - 1) * LINE_HEIGHT / 2
    return Label(LABEL_WIDTH, first_y, tuple(lines), anchor="end")


def _legend(scale_labels: Sequence[str], colours: Sequence[str]) -> tuple[list[Box | Label], int]:
    """Swatches in the bars' visual order, disagreement on the left, each line centred on the
    chart and wrapped to its width."""
    n_points = len(scale_labels)
    half = n_points // 2
    order = [*reversed(range(n_points - half, n_points))]
    if n_points % 2:
        order.append(half)
    order.extend(reversed(range(half)))
    lines: list[list[tuple[int, float]]] = [[]]
    used = 0.0
    for point in order:
        item_width = 22 + CHAR_WIDTH * len(scale_labels[point]) + 18
        if lines[-1] and used + item_width > WIDTH - 2 * LEGEND_MARGIN:
            lines.append([])
            used = 0.0
        lines[-1].append((point, item_width))
        used += item_width
    items: list[Box | Label] = []
    y = 4.0
    for line in lines:
        x = (WIDTH - sum(width for _, width in line) + 18) / 2  # the last item's gap trimmed
        for point, item_width in line:
            items.append(Box(x, y, 14, 14, colours[point]))
            items.append(Label(x + 20, y + 12, (scale_labels[point],)))
            x += item_width
        y += 22
    return items, int(y)


def _grid(
    extent: float, centre: float, half_width: float, top: float, bottom: float, locale: str
) -> list[Rule | Label]:
    items: list[Rule | Label] = []
    for fraction in (-1.0, -0.5, 0.5, 1.0):
        x = centre + fraction * half_width
        items.append(Rule(x, top - 4, x, bottom, GRID, 1, dashed=True))
    for fraction in (-1.0, -0.5, 0.0, 0.5, 1.0):
        x = centre + fraction * half_width
        text = format_percent(abs(fraction) * extent, locale)
        items.append(Label(x, bottom + 18, (text,), anchor="middle", fill=MUTED))
    return items


def _axis_extent(rows: Sequence[ChartRow], n_points: int) -> float:
    """Half-axis in percent: the longer side of any bar, rounded up to 25, 50, 75 or 100."""
    longest = 0.0
    half = n_points // 2
    for row in rows:
        shares = row.counts.percentages
        neutral = shares[half] / 2 if n_points % 2 else 0.0
        agree = sum(shares[:half]) + neutral
        disagree = sum(shares[n_points - half :]) + neutral
        longest = max(longest, agree, disagree)
    for step in (25.0, 50.0, 75.0):
        if longest <= step:
            return step
    return 100.0


def _wrap(text: str, width: int, *, max_lines: int) -> list[str]:
    words = [word for word in text.split(" ") if word]  # only plain spaces break a line
    if not words:
        return [""]
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    if len(lines[-1]) > width:
        lines[-1] = lines[-1][: width - 1] + "…"
    return lines


def _step(index: int, count: int) -> float:
    return index / (count - 1) if count > 1 else 0.0


def _mix(start: Sequence[int], end: Sequence[int], weight: float) -> str:
    return _hex(tuple(round(a + (b - a) * weight) for a, b in zip(start, end, strict=True)))


def _hex(rgb: Sequence[int]) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in rgb)
