"""The positions chart as a PNG picture, for the Word report.

Word cannot be relied on to show SVG (older versions and LibreOffice print a blank box), and the
report is rendered on the server with no browser at hand, so the chart that the web page shows as
SVG is painted here with Pillow from the same `chart_layout`: same bars, colours, labels and
percentages. It is drawn at `SCALE` times the layout's size, sharp enough to print at the width
of an A4 text column.

Fonts: DejaVu Sans when the system has it (wide Unicode coverage, metrics close to the browser's
sans-serif), else the scalable font bundled with Pillow, so rendering never depends on a
download. Row labels that would not fit their column are drawn smaller rather than cut.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from exports.chart_layout import (
    LABEL_WIDTH,
    LINE_HEIGHT,
    Box,
    ChartLayout,
    ChartRow,
    Label,
    Rule,
    chart_layout,
)
from exports.safe_cell import strip_control_characters

SCALE = 2
_FONT_FILES = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf")
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # Pillow anchors on the baseline
_DASH = 3
_MIN_FONT_SIZE = 8


def diverging_chart_png(
    rows: Sequence[ChartRow], scale_labels: Sequence[str], *, empty_label: str, locale: str
) -> bytes:
    """PNG bytes of the chart `svg_chart.diverging_chart_svg` draws for the same arguments."""
    layout = chart_layout(rows, scale_labels, empty_label=empty_label, locale=locale)
    return render_png(layout)


def render_png(layout: ChartLayout) -> bytes:
    image = Image.new("RGB", (layout.width * SCALE, layout.height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    for item in layout.items:
        if isinstance(item, Box):
            _box(draw, item)
        elif isinstance(item, Label):
            _label(draw, item)
        else:
            _rule(draw, item)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True, dpi=(96 * SCALE, 96 * SCALE))
    return buffer.getvalue()


def _box(draw: ImageDraw.ImageDraw, box: Box) -> None:
    left, top = box.x * SCALE, box.y * SCALE
    right, bottom = (box.x + box.width) * SCALE, (box.y + box.height) * SCALE
    outline = "white" if box.tooltip is not None else None
    draw.rectangle((left, top, right, bottom), fill=box.fill, outline=outline, width=SCALE // 2)


def _label(draw: ImageDraw.ImageDraw, label: Label) -> None:
    size = label.size
    lines = [strip_control_characters(line) for line in label.lines]
    if label.anchor == "end" and label.x <= LABEL_WIDTH:
        # A row label must fit between the left edge and its column; shrink it until it does.
        while size > _MIN_FONT_SIZE and max(_font(size).getlength(line) for line in lines) > (
            (label.x - 4) * SCALE
        ):
            size -= 1
    font = _font(size)
    for index, line in enumerate(lines):
        y = (label.y + index * LINE_HEIGHT) * SCALE
        draw.text(
            (label.x * SCALE, y), line, fill=label.fill, font=font, anchor=_ANCHORS[label.anchor]
        )


def _rule(draw: ImageDraw.ImageDraw, rule: Rule) -> None:
    width = max(1, round(rule.width * SCALE))
    start = (rule.x1 * SCALE, rule.y1 * SCALE)
    end = (rule.x2 * SCALE, rule.y2 * SCALE)
    if not rule.dashed:
        draw.line((start, end), fill=rule.stroke, width=width)
        return
    length = max(abs(end[0] - start[0]), abs(end[1] - start[1]))
    step = _DASH * SCALE
    for offset in range(0, int(length), 2 * step):
        fraction_start, fraction_end = offset / length, min(offset + step, length) / length
        draw.line(
            (
                _between(start, end, fraction_start),
                _between(start, end, fraction_end),
            ),
            fill=rule.stroke,
            width=width,
        )


def _between(
    start: tuple[float, float], end: tuple[float, float], fraction: float
) -> tuple[float, float]:
    return (
        start[0] + (end[0] - start[0]) * fraction,
        start[1] + (end[1] - start[1]) * fraction,
    )


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in _FONT_FILES:
        try:
            return ImageFont.truetype(name, size * SCALE)
        except OSError:
            continue
    return ImageFont.load_default(size * SCALE)
