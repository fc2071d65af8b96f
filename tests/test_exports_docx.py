"""The Word report, read back with python-docx and as raw XML: structure, fields, tables,
pictures, notes and wording in both languages."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.document import Document as DocumentType
from PIL import Image

from exports.docx_writer import docx_bytes
from synthesis.duplicates import DuplicateGroup
from synthesis.snapshot import Answer, Question, QuestionKind
from tests.exports_sample import SNAPSHOT, SYNTHESIS, summary_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def public_bytes() -> bytes:
    return docx_bytes(summary_of("public"))


@pytest.fixture(scope="module")
def document(public_bytes) -> DocumentType:
    return docx.Document(io.BytesIO(public_bytes))


def headings(document: DocumentType) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]


def table_texts(document: DocumentType) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def instructions(xml: str) -> list[str]:
    return [text.strip() for text in re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)]


def test_real_word_headings_make_the_chapter(document):
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Ledelse for kunnskapsbasert praksis"
    assert headings(document) == [
        ("Heading 1", "Høringsinstansenes syn"),
        ("Heading 2", "Høringsinstansene"),
        ("Heading 2", "Spørsmål 1: Beskrivelse og vurdering av nåsituasjon"),
        ("Heading 3", "Standpunkter etter kategori"),
        ("Heading 3", "Svarene fra høringsinstansene"),
        ("Heading 2", "Spørsmål 1.a: Har du forslag til styrker og svakheter?"),
        ("Heading 3", "Svar etter kategori"),
        ("Heading 3", "Temaer i kommentarene"),
        ("Heading 3", "Like svar og kampanjer"),
        ("Heading 3", "Svarene fra høringsinstansene"),
        ("Heading 2", "Spørsmål 2: Målsettinger"),
        ("Heading 3", "Standpunkter etter kategori"),
        ("Heading 3", "Svarene fra høringsinstansene"),
    ]


def test_table_of_contents_and_page_number_fields(public_bytes, document):
    with zipfile.ZipFile(io.BytesIO(public_bytes)) as archive:
        body = archive.read("word/document.xml").decode()
        footer = "".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("word/footer")
        )
        settings = archive.read("word/settings.xml").decode()
    assert instructions(body)[0] == 'TOC \\o "1-2" \\h \\z \\u'
    assert instructions(footer) == ["PAGE", "NUMPAGES"]
    assert "Side" in footer and " av " in footer
    assert '<w:updateFields w:val="true"/>' in settings
    # the contents are filled in, linked to the headings' bookmarks
    toc = [p for p in document.paragraphs if re.fullmatch(r"TOC \d", p.style.name)]
    assert [p.text for p in toc][:3] == [
        "Høringsinstansenes syn",
        "Høringsinstansene",
        "Spørsmål 1: Beskrivelse og vurdering av nåsituasjon",
    ]
    anchors = re.findall(r'<w:hyperlink w:anchor="([^"]+)"', body)
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"', body))
    assert set(anchors) <= bookmarks
    assert body.count("<w:fldChar") == 3  # TOC: begin, separate, end


def test_positions_table_and_chart_picture(public_bytes, document):
    tables = table_texts(document)
    positions = next(table for table in tables if table[0][-1] == "Tok standpunkt")
    assert positions[0] == [
        "Kategori", "Helt enig", "Delvis enig", "Hverken eller", "Delvis uenig", "Helt uenig",
        "Vet ikke", "Tok standpunkt",
    ]  # fmt: skip
    assert positions[1] == [
        "Alle som svarte",
        "0",
        "2 (50\u00a0%)",
        "1 (25\u00a0%)",
        "1 (25\u00a0%)",
        "0",
        "1",
        "4",
    ]
    assert positions[-1][0] == "Privatperson (Enkeltperson)"
    with zipfile.ZipFile(io.BytesIO(public_bytes)) as archive:
        pictures = [name for name in archive.namelist() if name.startswith("word/media/")]
        image = Image.open(io.BytesIO(archive.read(pictures[0])))
    assert len(pictures) == 2  # questions 1 and 2 have a scale
    assert image.format == "PNG" and image.width >= 1200
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Figur 1: Standpunkter til spørsmål 1 etter kategori." in " ".join(captions)
    assert captions[0] == "Tabell 1: Høringssvar per kategori"


def test_listing_by_category_ends_with_the_not_answered_line(document):
    tables = table_texts(document)
    assert ["Universitet / Høgskole (Offentlig)", "Svar"] in [table[0] for table in tables]
    private = next(table for table in tables if table[0][0] == "Privatperson (Enkeltperson)")
    assert private[1:] == [["Privatperson 1", "Delvis enig"], ["Lise Li", "Delvis uenig"]]
    closing = [p.text for p in document.paragraphs if "har ikke svart" in p.text]
    assert closing == [
        "Én annen instans som har svart på dette notatet, har ikke svart på dette spørsmålet.",
        "Tre andre instanser som har svart på dette notatet har ikke svart på dette spørsmålet.",
        "Fire andre instanser som har svart på dette notatet har ikke svart på dette spørsmålet.",
    ]
    text = " ".join(cell for table in tables for row in table for cell in row)
    for secret in ("Kari Nordmann", "Ola Hansen", "Per Skjult"):
        assert secret not in text


def test_header_rows_repeat_on_every_page(public_bytes):
    with zipfile.ZipFile(io.BytesIO(public_bytes)) as archive:
        body = archive.read("word/document.xml").decode()
    assert body.count("<w:tbl>") == body.count('<w:tblHeader w:val="true"/>')


def test_themes_with_size_and_quotes_and_duplicate_notes(document):
    paragraphs = [p.text for p in document.paragraphs]
    assert "samarbeid · penger (2 svar)" in paragraphs
    assert "«Mer penger til tjenestene.» – Privatperson 1" in paragraphs
    assert "Kampanje fra 2 instanser: Helsedirektoratet og Privatperson 1." in paragraphs
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(
        "Del av en kampanje: 2 instanser sendte den samme teksten." in cell for cell in cells
    )


def test_identical_answers_name_each_other_and_a_theme_shows_its_stance():
    snapshot = replace(
        SNAPSHOT,
        respondents=tuple(
            replace(r, answers={**r.answers, "2": Answer("2", value=3, text="Mer penger.")})
            if r.key in ("k6", "k7")
            else r
            for r in SNAPSHOT.respondents
        ),
    )
    theme = replace(
        SYNTHESIS.themes[0].themes[0], respondent_keys=("k1", "k6", "k7"), size=3, quotes=()
    )
    synthesis = replace(
        SYNTHESIS,
        themes=(replace(SYNTHESIS.themes[0], question_code="2", themes=(theme,)),),
        duplicate_groups=(DuplicateGroup("d9", "exact", "2", ("k6", "k7"), "Mer penger.", {}),),
    )
    document = docx.Document(
        io.BytesIO(docx_bytes(summary_of("public", snapshot=snapshot, synthesis=synthesis)))
    )
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(cell.endswith("Identisk med svaret fra Lise Li.") for cell in cells)
    assert any(cell.endswith("Identisk med svaret fra Blå Kors.") for cell in cells)
    stance = next(p.text for p in document.paragraphs if "Standpunkt blant disse" in p.text)
    assert stance.endswith(
        "Standpunkt blant disse: Helt enig 1 · Delvis uenig 2. Temaet samler både enige og uenige."
    )


def test_cross_reference_points_to_the_answer_it_names():
    questions = (*SNAPSHOT.questions, Question("4", "Har du flere kommentarer?", QuestionKind.TEXT))
    respondents = tuple(
        replace(
            r,
            answers={
                **r.answers,
                "1.a": Answer("1.a", text="Se kommentarer under punkt 4."),
                "4": Answer("4", text="Vi savner en plan for samarbeid mellom etatene."),
            },
        )
        if r.key == "k2"
        else r
        for r in SNAPSHOT.respondents
    )
    summary = summary_of(
        "public", snapshot=replace(SNAPSHOT, questions=questions, respondents=respondents)
    )
    payload = docx_bytes(summary)
    document = docx.Document(io.BytesIO(payload))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(
        cell.startswith("Se kommentarer under punkt 4.")
        and "Viser til svaret på spørsmål 4: «Vi savner en plan for samarbeid mellom etatene.»"
        in cell
        for cell in cells
    )
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        body = archive.read("word/document.xml").decode()
    assert '<w:hyperlink w:anchor="svar_4_r2"' in body
    assert 'w:name="svar_4_r2"' in body


def test_internal_word_document_names_everyone():
    document = docx.Document(io.BytesIO(docx_bytes(summary_of("internal"))))
    names = {row.cells[0].text for table in document.tables for row in table.rows}
    assert {"Kari Nordmann (Nabolaget)", "Ola Hansen"} <= names
    assert any(p.text.startswith("Intern utgave") for p in document.paragraphs)


def test_english_report_speaks_english():
    document = docx.Document(io.BytesIO(docx_bytes(summary_of("public", locale="en"))))
    assert [text for style, text in headings(document)][:3] == [
        "The respondents' views",
        "The respondents",
        "Question 1: Beskrivelse og vurdering av nåsituasjon",
    ]
    paragraphs = [p.text for p in document.paragraphs]
    assert "Campaign from 2 respondents: Helsedirektoratet and Private person 1." in paragraphs
    assert "One other respondent to this consultation did not answer this question." in paragraphs
    assert document.core_properties.language == "en-GB"


def test_counts_and_deadline_say_what_they_are(document):
    facts = next(p.text for p in document.paragraphs if p.text.startswith("Høringssvar i"))
    assert facts == (
        "Høringssvar i oppsummeringen: 6. Høringssvar som ikke skal publiseres: 2. "
        "Frist (norsk tid): 01.02.2025 kl. 01:00."
    )
    english = docx.Document(io.BytesIO(docx_bytes(summary_of("public", locale="en"))))
    assert any(
        p.text.endswith("Deadline (Norwegian time): 1 February 2025, 01:00.")
        for p in english.paragraphs
    )
