"""The published summary page: seed 004's layout, charts with data tables, privacy, escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from exports.number_words import not_answered_line
from exports.summary import SynthesisInputs
from hearing.demo import DEMO_SLUG, load_demo
from hearing.extensions import db
from hearing.models import Status
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Sector,
)
from synthesis.themes import QuestionThemes, Quote, Theme
from tests.export_web_support import SLUG, XSS_NAME, XSS_TEXT, reference_of, store_sample
from tests.publish_support import publish_now

PAGE = f"/h/{SLUG}/oppsummering"
SEED_NOT_ANSWERED = {"1": 7, "1.a": 12, "1.b": 20, "2": 10, "3": 9, "4": 14}


def _svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def test_page_shows_questions_categories_answers_and_downloads(client: FlaskClient, app) -> None:
    store_sample()
    html = client.get(PAGE).get_data(as_text=True)
    assert "Oppsummering av høringssvarene" in html
    for format_name in ("xlsx", "csv", "json", "docx"):
        assert f'href="/h/{SLUG}/oppsummering.{format_name}"' in html
    headings = re.findall(r'<h2 id="question-\d+">(.*?)</h2>', html)
    assert headings == [
        "Spørsmål 1: Beskrivelse og vurdering av nåsituasjon",
        "Spørsmål 1.a: Har du forslag til styrker og svakheter?",
        "Spørsmål 2: Målsettinger",
    ]
    question_1 = html.split('id="question-1"')[1].split('id="question-2"')[0]
    captions = re.findall(r"<caption>(.*?)</caption>", question_1)
    assert captions == [  # the consultation's category order
        "Universitet / Høgskole (Offentlig)",
        "Forvaltning (Offentlig)",
        "Organisasjon (Privat)",
        "Privatperson (Enkeltperson)",
    ]
    assert re.search(
        r"NTNU(?:</a>)?</th>\s*<td>\s*<p class=\"scale-answer\">Hverken eller</p>", html
    )
    assert "på vegne av Avdeling barn og unge" in html
    assert html.count('class="not-answered"') == 3
    # Eight published respondents; question 1 has six answers, so two did not answer.
    assert not_answered_line(2) in question_1


def test_page_follows_the_public_edition(client: FlaskClient, app) -> None:
    store_sample()
    html = client.get(PAGE).get_data(as_text=True)
    assert "Privatperson 1" in html and "Privatperson 2" in html and "Lise Li" in html
    for hidden in ("Kari Nordmann", "Nabolaget", "Ola Hansen", "Per Skjult", "Skjult tekst."):
        assert hidden not in html, hidden
    assert "@example" not in html and "ntnu.example" not in html
    assert "Svar som ikke skal publiseres" in html


def test_names_and_answers_are_escaped_in_page_and_chart(client: FlaskClient, app) -> None:
    store_sample()
    html = client.get(PAGE).get_data(as_text=True)
    assert XSS_NAME not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;navn&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; «svar»" in html
    assert len(_svgs(html)) == 2  # questions 1 and 2 have a scale


def test_category_names_are_escaped_inside_the_svg(client: FlaskClient, app) -> None:
    evil = Category('<b onmouseover="alert(1)">Lag</b> & co', Sector.PRIVATE)
    consultation = create_consultation(
        ConsultationSnapshot(
            slug="xss",
            title="<i>Tittel</i>",
            categories=(evil,),
            questions=(Question("1", "Enig?", QuestionKind.SCALE),),
        ),
        slug="xss",
        status=Status.CLOSED,
    )
    add_respondents(
        consultation,
        [Respondent("a", XSS_NAME, evil.label, answers={"1": Answer("1", value=0)})],
    )
    publish_now(consultation)
    html = client.get("/h/xss/oppsummering").get_data(as_text=True)
    (svg,) = _svgs(html)  # parses: well-formed despite the payload
    markup = re.search(r"<svg\b.*?</svg>", html, flags=re.S).group(0)
    assert "<b " not in markup and 'onmouseover="' not in markup
    assert any(evil.label in text for text in svg.itertext())
    assert "<i>Tittel</i>" not in html


def test_chart_has_a_data_table_as_its_alternative(client: FlaskClient, app) -> None:
    store_sample()
    html = client.get(PAGE).get_data(as_text=True)
    svg = _svgs(html)[0]
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-1-title"
    table = html.split('class="position-table"')[1].split("</table>")[0]
    assert '<caption class="visually-hidden">Standpunkter til spørsmål 1 etter kategori' in table
    # The same title is shown above the table's scrolling frame, which it names, so it is
    # never cut on a narrow screen.
    title = '<p class="table-title" id="positions-caption-1">Standpunkter til spørsmål 1 etter'
    assert title in html.split('class="position-table"')[0]
    header = re.findall(r'<th scope="col">(.*?)</th>', table)
    assert header == [
        "Kategori", "Helt enig", "Delvis enig", "Hverken eller", "Delvis uenig", "Helt uenig",
        "Vet ikke", "Tok standpunkt",
    ]  # fmt: skip
    rows = re.findall(r'<th scope="row">(.*?)</th>', table)
    assert rows[0] == "Alle som svarte"
    assert rows[1:] == [
        "Universitet / Høgskole (Offentlig)",
        "Forvaltning (Offentlig)",
        "Organisasjon (Privat)",
        "Privatperson (Enkeltperson)",
    ]


def test_themes_show_quotes_from_the_latest_synthesis(
    client: FlaskClient, app, monkeypatch: pytest.MonkeyPatch
) -> None:
    consultation = store_sample(Status.CLOSED)
    kari, hidden = (
        reference_of(consultation, "Kari Nordmann"),
        reference_of(consultation, "Per Skjult"),
    )
    theme = Theme(
        theme_id="t1",
        label="Mer ressurser",
        keywords=("penger", "ressurser"),
        size=2,
        respondent_keys=(kari, hidden),
        share_by_category={},
        share_by_sector={},
        quotes=(Quote(kari, "Mer penger til tjenestene."), Quote(hidden, "Skjult tekst.")),
    )
    inputs = SynthesisInputs(themes=(QuestionThemes("1.a", (theme,), {}),), run_id="7")
    # The run a publication uses found this theme (with a reference to a hidden response).
    monkeypatch.setattr("hearing.services.synthesis_runs.summary_inputs", lambda latest: inputs)
    publish_now(consultation)
    html = client.get(PAGE).get_data(as_text=True)
    assert "Temaer i kommentarene" in html and "Mer ressurser" in html
    assert "Nøkkelord: penger, ressurser" in html
    quote = html.split('class="theme-quote"')[1].split("</blockquote>")[0]
    assert "Mer penger til tjenestene." in quote and "Privatperson 1" in quote
    assert "Skjult tekst." not in html and "Kari Nordmann" not in html


@pytest.mark.parametrize("status", [Status.DRAFT, Status.OPEN, Status.CLOSED])
def test_unpublished_consultations_have_no_summary_page(
    client: FlaskClient, app, status: Status
) -> None:
    store_sample(status)
    assert client.get(PAGE).status_code == 404
    if status != Status.DRAFT:
        assert f'href="{PAGE}"' not in client.get(f"/h/{SLUG}").get_data(as_text=True)


def test_published_consultation_page_links_to_the_summary(client: FlaskClient, app) -> None:
    store_sample()
    assert f'href="{PAGE}"' in client.get(f"/h/{SLUG}").get_data(as_text=True)


def test_seed_004_page_closes_every_question_with_its_count(client: FlaskClient, app) -> None:
    consultation, _, _ = load_demo()
    publish_now(consultation)
    html = client.get(f"/h/{DEMO_SLUG}/oppsummering").get_data(as_text=True)
    closing = re.findall(r'<p class="not-answered">(.*?)</p>', html)
    assert closing == [not_answered_line(n) for n in SEED_NOT_ANSWERED.values()]
    assert closing[0].startswith("Sju andre instanser")
    assert len(_svgs(html)) == 3  # questions 1, 2 and 3 ask for a position
    assert html.count('<tr>\n                  <th scope="row">') == sum(
        33 - n for n in SEED_NOT_ANSWERED.values()
    )


def test_english_page(client: FlaskClient, app) -> None:
    store_sample()
    html = client.get(f"{PAGE}?lang=en").get_data(as_text=True)
    assert "Private person 1" in html
    assert "Two other respondents to this consultation did not answer this question." in html
    assert XSS_TEXT not in html


@pytest.mark.slow
def test_themes_come_from_a_real_synthesis_run(
    client: FlaskClient, runner: FlaskCliRunner, app
) -> None:
    consultation, _, _ = load_demo()
    consultation.status = Status.CLOSED
    db.session.commit()
    result = runner.invoke(args=["synthesize", DEMO_SLUG, "--themes", "2"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["publish", DEMO_SLUG, "--yes"])
    assert result.exit_code == 0, result.output
    html = client.get(f"/h/{DEMO_SLUG}/oppsummering").get_data(as_text=True)
    assert "Temaer i kommentarene" in html
    assert html.count('class="theme-quote"') >= 2
