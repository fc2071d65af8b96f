"""Positions by category as a diverging stacked bar chart, drawn on the server as SVG markup.

Server-side SVG needs no script (the pages' Content-Security-Policy allows none inline), prints
sharply, and is the same picture in a page, an e-mail or an archived file. The geometry and the
colour-blind-safe palette come from `chart_layout`, which the Word report's PNG (`chart_png`)
paints too, so both pictures show the same bars.

Accessibility: the root is `role="img"` named by its `<title>` and described by its `<desc>`;
every bar segment carries a `<title>` tooltip, white percentage labels reach 4.5:1 on every fill
(and are hidden from screen readers, which get the tooltip and the table), segments are parted by
white lines, and pages place a data table beside the chart as its text alternative. All text
passes through `_text`, so respondent-supplied category names cannot inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from exports.chart_layout import (
    FONT_SIZE,
    INK,
    LINE_HEIGHT,
    WHITE,
    Box,
    ChartRow,
    Label,
    Rule,
    category_rows,
    chart_layout,
    format_percent,
    point_colours,
)
from exports.safe_cell import strip_control_characters

__all__ = [
    "ChartRow",
    "category_rows",
    "diverging_chart_svg",
    "format_percent",
    "point_colours",
]


def diverging_chart_svg(
    rows: Sequence[ChartRow],
    scale_labels: Sequence[str],
    *,
    title: str,
    description: str,
    chart_id: str,
    empty_label: str,
    locale: str = "nb",
) -> str:
    """SVG markup for `rows` on the scale `scale_labels` (most positive first)."""
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"
    layout = chart_layout(rows, scale_labels, empty_label=empty_label, locale=locale)
    width, height = layout.width, layout.height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="position-chart" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{safe_id}-title" aria-describedby="{safe_id}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{FONT_SIZE}" fill="{INK}">',
        f'<title id="{safe_id}-title">{_text(title)}</title>',
        f'<desc id="{safe_id}-desc">{_text(description)}</desc>',
    ]
    for item in layout.items:
        if isinstance(item, Box):
            parts.append(_box(item))
        elif isinstance(item, Label):
            parts.append(_label(item))
        else:
            parts.append(_rule(item))
    parts.append("</svg>")
    return "".join(parts)


def _box(box: Box) -> str:
    geometry = f'x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{box.height:g}"'
    if box.tooltip is None:
        return f'<rect {geometry} fill="{box.fill}"/>'
    return (
        f'<rect {geometry} fill="{box.fill}" stroke="{WHITE}" stroke-width="1">'
        f"<title>{_text(box.tooltip)}</title></rect>"
    )


def _label(label: Label) -> str:
    attributes = [f'x="{label.x:.1f}"', f'y="{label.y:.1f}"']
    if label.anchor != "start":
        attributes.append(f'text-anchor="{label.anchor}"')
    if label.fill != INK:
        attributes.append(f'fill="{label.fill}"')
    if label.size != FONT_SIZE:
        attributes.append(f'font-size="{label.size}"')
    if label.decorative:
        attributes.append('aria-hidden="true"')
    if len(label.lines) == 1:
        return f"<text {' '.join(attributes)}>{_text(label.lines[0])}</text>"
    spans = "".join(
        f'<tspan x="{label.x:.1f}" y="{label.y + i * LINE_HEIGHT:.1f}">{_text(line)}</tspan>'
        for i, line in enumerate(label.lines)
    )
    return f"<text {' '.join(attributes[2:])}>{spans}</text>"


def _rule(rule: Rule) -> str:
    dash = ' stroke-dasharray="3 3"' if rule.dashed else ""
    return (
        f'<line x1="{rule.x1:.1f}" y1="{rule.y1:.1f}" x2="{rule.x2:.1f}" y2="{rule.y2:.1f}" '
        f'stroke="{rule.stroke}" stroke-width="{rule.width:g}"{dash}/>'
    )


def _text(value: str) -> str:
    """Text safe inside SVG elements and attributes: markup escaped, XML-illegal bytes removed."""
    return escape(strip_control_characters(value), quote=True)
