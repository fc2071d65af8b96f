"""The demo document keeps the headings, table of contents and table of seed 000."""

from __future__ import annotations

import re

from hearing.demo import DEMO_SLUG, _document_markdown, load_demo
from hearing.extensions import db
from hearing.markdown import render_markdown

HTML = str(render_markdown(_document_markdown()))


def _headings(level: int) -> list[str]:
    return re.findall(rf"<h{level}>(.*?)</h{level}>", HTML)


def test_chapters_and_sections_are_headings_in_the_reports_order():
    assert _headings(1) == ["Ledelse for kunnskapsbasert, samordnet og brukerrettet praksis"]
    chapters = [h for h in _headings(2) if h[0].isdigit()]
    assert chapters == [
        "1 Innledning",
        "2 Utfordringer og kunnskapsgrunnlag",
        "3 To hovedutfordringer",
        "4 Mål og tiltak",
        "5 Anbefalinger",
        "6 Litteratur og referanser",
    ]
    assert "2.2 Ledelse for en mer samordnet og brukerrettet praksis" in _headings(3)
    assert "4.1.1 Juridiske rammer og politiske og administrative virkemidler" in _headings(4)
    numbered = re.findall(r"<h[2-4]>(\d+(?:\.\d+)*) ", HTML)
    as_tuples = [tuple(int(part) for part in number.split(".")) for number in numbered]
    assert as_tuples == sorted(as_tuples)  # 3 no longer comes before 2.2, as the PDF text had it


def test_the_table_of_contents_is_a_nested_list_naming_every_section():
    contents = HTML.split("<h2>Innhold</h2>", 1)[1].split("<h2>", 1)[0]
    entries = re.findall(r"<li>(\d+(?:\.\d+)* [^<\n]+)", contents)
    sections = re.findall(r"<h[2-4]>(\d+(?:\.\d+)* [^<]+)</h[2-4]>", HTML)
    assert entries == sections
    assert contents.count("<ul>") == 1 + 5 + 3  # the list, five chapters' and three sections'


def test_no_paragraph_runs_headings_together():
    for paragraph in re.findall(r"<p>(.*?)</p>", HTML, flags=re.S):
        assert not ("1 Innledning" in paragraph and "1.1 Sammendrag" in paragraph)
        assert "\t" not in paragraph


def test_table_one_is_a_table():
    table = HTML.split("<table>", 1)[1].split("</table>", 1)[0]
    assert "<th>Organisatorisk nivå</th>" in table
    assert "<td>Kommunalt nivå og virksomhetsledelsesnivå</td>" in table
    assert table.count("<tr>") == 4


def test_the_demo_page_shows_the_headings(app, client):
    load_demo()
    db.session.commit()
    page = client.get(f"/h/{DEMO_SLUG}").get_data(as_text=True)
    assert "<h2>1 Innledning</h2>" in page
    assert "<li>4.1.1 Juridiske rammer og politiske og administrative virkemidler</li>" in page
