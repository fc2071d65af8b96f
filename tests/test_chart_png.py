"""The Word report's chart picture: painted on the server from the SVG's own layout."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from PIL import Image

from exports.chart_layout import Box, ChartRow, chart_layout, point_colours
from exports.chart_png import SCALE, diverging_chart_png
from exports.svg_chart import diverging_chart_svg
from synthesis.snapshot import NORWEGIAN_AGREEMENT_SCALE
from synthesis.tabulation import PositionCounts

SVG = "{http://www.w3.org/2000/svg}"


def counts(*values: int, dont_know: int = 0) -> PositionCounts:
    return PositionCounts(counts=values, dont_know=dont_know, total=sum(values) + dont_know)


ROWS = [
    ChartRow("Alle som svarte", counts(8, 13, 3, 2, 0)),
    ChartRow(
        "Avdeling ved forskningsinstitutt med et svært langt navn (Offentlig)",
        counts(0, 1, 1, 0, 0),
    ),
    ChartRow("Stiftelser (Privat)\x07", counts(0, 0, 0, 0, 0, dont_know=1)),
]


def test_png_has_the_layouts_size_and_paints_each_bar_in_its_colour():
    layout = chart_layout(ROWS, NORWEGIAN_AGREEMENT_SCALE, empty_label="ingen", locale="nb")
    image = Image.open(
        io.BytesIO(
            diverging_chart_png(ROWS, NORWEGIAN_AGREEMENT_SCALE, empty_label="ingen", locale="nb")
        )
    )

    assert image.format == "PNG"
    assert image.size == (layout.width * SCALE, layout.height * SCALE)
    bars = [item for item in layout.items if isinstance(item, Box) and item.tooltip]
    assert bars
    for bar in bars:
        # a point inside the bar, clear of the white percentage label in its middle
        x = round((bar.x + 3) * SCALE)
        y = round((bar.y + 3) * SCALE)
        colour = "#{:02x}{:02x}{:02x}".format(*image.convert("RGB").getpixel((x, y)))
        assert colour == bar.fill


def test_png_and_svg_draw_the_same_bars():
    svg = ET.fromstring(
        diverging_chart_svg(
            ROWS,
            NORWEGIAN_AGREEMENT_SCALE,
            title="t",
            description="d",
            chart_id="c",
            empty_label="ingen",
        )
    )
    svg_bars = [
        (rect.get("fill"), float(rect.get("x")), float(rect.get("width")))
        for rect in svg.iter(f"{SVG}rect")
        if rect.find(f"{SVG}title") is not None
    ]
    layout = chart_layout(ROWS, NORWEGIAN_AGREEMENT_SCALE, empty_label="ingen", locale="nb")
    layout_bars = [
        (item.fill, round(item.x, 1), round(item.width, 1))
        for item in layout.items
        if isinstance(item, Box) and item.tooltip
    ]
    assert svg_bars == layout_bars
    assert {fill for fill, _, _ in svg_bars} <= set(point_colours(5))
