"""The server-side SVG chart: layout around the centre line, escaping, colours, accessible name."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from exports.svg_chart import (
    ChartRow,
    category_rows,
    diverging_chart_svg,
    format_percent,
    point_colours,
)
from synthesis.snapshot import NORWEGIAN_AGREEMENT_SCALE
from synthesis.tabulation import PositionCounts, QuestionTabulation

SVG = "{http://www.w3.org/2000/svg}"
XSS = '<script>alert("x")</script>&"\'<img src=x onerror=alert(1)>'


def counts(*values: int, dont_know: int = 0) -> PositionCounts:
    return PositionCounts(counts=values, dont_know=dont_know, total=sum(values) + dont_know)


def chart(rows: list[ChartRow], labels=NORWEGIAN_AGREEMENT_SCALE, **overrides) -> ET.Element:
    options = {
        "title": "Standpunkter",
        "description": "Uenighet til venstre, enighet til høyre.",
        "chart_id": "c1",
        "empty_label": "ingen standpunkter",
    }
    options.update(overrides)
    return ET.fromstring(diverging_chart_svg(rows, labels, **options))


def centre_of(root: ET.Element) -> float:
    (line,) = [e for e in root.iter(f"{SVG}line") if e.get("stroke-width") == "2"]
    assert line.get("x1") == line.get("x2")
    return float(line.get("x1"))


def bars(root: ET.Element, n_points: int = 5) -> dict[int, tuple[float, float]]:
    """Scale point → (left, right) of its segment, found through the point's fill colour."""
    point_of = {colour: point for point, colour in enumerate(point_colours(n_points))}
    return {
        point_of[rect.get("fill")]: (
            float(rect.get("x")),
            float(rect.get("x")) + float(rect.get("width")),
        )
        for rect in root.iter(f"{SVG}rect")
        if rect.find(f"{SVG}title") is not None
    }


def test_disagreement_left_agreement_right_neutral_split_across_the_centre() -> None:
    root = chart([ChartRow("Forvaltning (Offentlig)", counts(2, 1, 2, 1, 2))])
    centre = centre_of(root)
    segments = bars(root)
    assert set(segments) == {0, 1, 2, 3, 4}
    # Agreement to the right, the strongest outermost; disagreement mirrored on the left.
    assert centre <= segments[1][0] < segments[0][0]
    assert segments[4][1] < segments[3][1] <= centre
    left, right = segments[2]
    assert left < centre < right
    assert centre - left == pytest.approx(right - centre, abs=0.11)
    # Widths are proportional to the counts: 2 of 8 against 1 of 8.
    width = {point: b - a for point, (a, b) in segments.items()}
    assert width[0] == pytest.approx(2 * width[1], abs=0.2)
    assert width[4] == pytest.approx(width[0], abs=0.2)


def test_even_scale_has_no_neutral_segment() -> None:
    labels = ("Enig", "Litt enig", "Litt uenig", "Uenig")
    root = chart([ChartRow("Alle", counts(1, 1, 1, 1))], labels=labels)
    centre = centre_of(root)
    segments = bars(root, n_points=4)
    assert all(right <= centre + 0.1 for left, right in (segments[2], segments[3]))
    assert all(left >= centre - 0.1 for left, right in (segments[0], segments[1]))


def test_text_is_escaped_and_the_markup_stays_well_formed() -> None:
    markup = diverging_chart_svg(
        [ChartRow(XSS, counts(1, 0, 0, 0, 1))],
        (XSS, "b", "c", "d", "e\x00\x07"),
        title=XSS,
        description=XSS,
        chart_id='x" onload="alert(1)',
        empty_label=XSS,
    )
    assert "<script" not in markup and "<img" not in markup
    assert 'onload="' not in markup
    assert "\x00" not in markup and "\x07" not in markup
    root = ET.fromstring(markup)  # well-formed XML despite the payloads
    assert root.find(f"{SVG}title").text == XSS
    texts = "".join(root.itertext())
    assert XSS in texts


def test_accessible_name_and_description() -> None:
    root = chart([ChartRow("Alle", counts(1, 2, 3, 4, 5))], title="Spørsmål 1", chart_id="q 1")
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    assert root.find(f"{SVG}title").get("id") == title_id == "q-1-title"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}title").text == "Spørsmål 1"


def test_row_without_positions_says_so_instead_of_drawing_a_bar() -> None:
    root = chart([ChartRow("Stiftelser (Privat)", counts(0, 0, 0, 0, 0, dont_know=2))])
    assert bars(root) == {}
    assert "ingen standpunkter" in "".join(root.itertext())


def test_legend_runs_from_disagreement_to_agreement() -> None:
    root = chart([ChartRow("Alle", counts(1, 1, 1, 1, 1))])
    legend = [
        text.text
        for text in root.iter(f"{SVG}text")
        if text.text in NORWEGIAN_AGREEMENT_SCALE and text.get("aria-hidden") is None
    ]
    assert legend == list(reversed(NORWEGIAN_AGREEMENT_SCALE))


def test_percent_labels_follow_the_locale() -> None:
    assert format_percent(45.4, "nb") == "45\u00a0%"
    assert format_percent(45.6, "en") == "46%"
    root = chart([ChartRow("Alle", counts(0, 0, 0, 0, 4))], locale="en")
    assert "100%" in [text.text for text in root.iter(f"{SVG}text")]


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


@pytest.mark.parametrize("n_points", range(2, 8))
def test_white_labels_reach_aa_contrast_on_every_fill(n_points: int) -> None:
    colours = point_colours(n_points)
    assert len(colours) == len(set(colours)) == n_points
    for colour in colours:
        assert 1.05 / (_luminance(colour) + 0.05) >= 4.5, colour


def test_category_rows_keep_the_given_order_and_skip_categories_without_answers() -> None:
    tabulation = QuestionTabulation(
        question_code="1",
        labels=NORWEGIAN_AGREEMENT_SCALE,
        overall=counts(1, 1, 0, 0, 0, dont_know=1),
        by_category={
            "B (Privat)": counts(0, 1, 0, 0, 0),
            "A (Offentlig)": counts(1, 0, 0, 0, 0),
            "C (Privat)": counts(0, 0, 0, 0, 0),
            "D (Privat)": counts(0, 0, 0, 0, 0, dont_know=1),
        },
        by_sector={},
        answered=3,
        not_answered=0,
    )
    order = [(label, label.upper()) for label in ("A (Offentlig)", "B (Privat)", "C (Privat)")]
    order.append(("D (Privat)", "D"))
    rows = category_rows(tabulation, order, total_label="Alle")
    assert [row.label for row in rows] == ["Alle", "A (OFFENTLIG)", "B (PRIVAT)", "D"]
