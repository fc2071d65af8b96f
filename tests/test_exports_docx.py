"""The Word document, read back with python-docx: headings, category tables, closing lines."""

from __future__ import annotations

import io

import docx

from exports.docx_writer import docx_bytes
from tests.exports_sample import summary_of


def test_word_document_mirrors_the_compiled_summary():
    document = docx.Document(io.BytesIO(docx_bytes(summary_of("public"))))

    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "1. Spørsmål: 1. Beskrivelse og vurdering av nåsituasjon",
        "2. Spørsmål: 1.a. Har du forslag til styrker og svakheter?",
        "3. Spørsmål: 2. Målsettinger",
    ]
    assert document.paragraphs[0].text == "Ledelse for kunnskapsbasert praksis"
    closing = [p.text for p in document.paragraphs if "har ikke svart" in p.text]
    assert closing[0].startswith("En andre instanser") and closing[1].startswith("Tre andre")
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    assert tables[0] == [["Universitet / Høgskole (Offentlig)", "Svar"], ["NTNU", "Hverken eller"]]
    assert tables[3] == [
        ["Privatperson (Enkeltperson)", "Svar"],
        ["Privatperson 1", "Delvis enig"],
        ["Lise Li", "Delvis uenig"],
    ]
    last = tables[-1]
    assert last[1] == ["Blå Kors", "Bare tekst."]
    assert tables[-2][1] == ["NTNU", "Helt enig\nViktig mål."]
    text = " ".join(cell for table in tables for row in table for cell in row)
    for secret in ("Kari Nordmann", "Ola Hansen", "Per Skjult"):
        assert secret not in text


def test_internal_word_document_names_everyone():
    document = docx.Document(io.BytesIO(docx_bytes(summary_of("internal"))))
    names = {row.cells[0].text for table in document.tables for row in table.rows}
    assert {"Kari Nordmann (Nabolaget)", "Ola Hansen"} <= names
    assert "Intern" in document.paragraphs[1].text
