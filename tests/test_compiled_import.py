"""Importing the compiled hearing document (seed 004) and files in the formats it arrives in."""

from __future__ import annotations

import zlib
from collections import Counter
from pathlib import Path

import pytest

from hearing.imports.compiled import (
    CompiledFormatError,
    parse_compiled,
    read_compiled_file,
)
from hearing.imports.pdf_text import extract_text
from synthesis.snapshot import NORWEGIAN_AGREEMENT_SCALE, QuestionKind, Sector

SEED = Path(__file__).resolve().parents[1] / "hearing" / "demo_data" / "compiled_responses.txt"
NTNU = (
    "NTNU, Institutt for sosialt arbeid (flere ved NTNU leverer innspill, men arbeidet er "
    "koordinert av ledelse)"
)
NORCE = (
    "Høringssvaret sendes inn på vegne av sentrene RKBU Vest og GAMUT samt forskningsgruppen "
    "Arbeidsliv og inkludering i avdeling HELSE, NORCE"
)


@pytest.fixture(scope="module")
def seed_document():
    return parse_compiled(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed(seed_document):
    return seed_document.snapshot


def respondent(snapshot, name, category=None):
    found = [r for r in snapshot.respondents if r.name == name and category in (None, r.category)]
    assert len(found) == 1, [r.name for r in snapshot.respondents]
    return found[0]


def test_seed_is_consistent(seed_document):
    assert seed_document.problems == ()


def test_seed_title_and_scale(seed):
    assert seed.title == "Ledelse for kunnskapsbasert, samordnet og brukerrettet praksis"
    assert seed.scale.points == NORWEGIAN_AGREEMENT_SCALE


def test_seed_has_33_respondents_with_stable_keys(seed):
    assert len(seed.respondents) == 33
    assert [r.key for r in seed.respondents] == [f"r{n}" for n in range(1, 34)]
    assert len({(r.name, r.category) for r in seed.respondents}) == 33


def test_seed_questions_codes_and_kinds(seed):
    kinds = {q.code: q.kind for q in seed.questions}
    assert kinds == {
        "1": QuestionKind.SCALE,
        "1.a": QuestionKind.TEXT,
        "1.b": QuestionKind.TEXT,
        "2": QuestionKind.SCALE_TEXT,
        "3": QuestionKind.SCALE_TEXT,
        "4": QuestionKind.TEXT,
    }
    assert seed.question("1").text == "Beskrivelse og vurdering av nåsituasjon"
    assert seed.question("1.b").text == "Har du du konkrete eksempler på disse forslagene?"
    assert seed.question("3").text.startswith("Anbefalinger og forslag til tiltak.")


def test_seed_answer_and_not_answered_counts(seed):
    answered = {q.code: sum(1 for _ in seed.answers_to(q.code)) for q in seed.questions}
    assert answered == {"1": 26, "1.a": 21, "1.b": 13, "2": 23, "3": 24, "4": 19}
    assert seed.stated_not_answered == {"1": 7, "1.a": 12, "1.b": 20, "2": 10, "3": 9, "4": 14}


@pytest.mark.parametrize(
    ("code", "expected"),
    [("1", [8, 13, 3, 2, 0]), ("2", [9, 8, 4, 2, 0]), ("3", [6, 11, 5, 2, 0])],
)
def test_seed_scale_tallies(seed, code, expected):
    tally = Counter(answer.value for _, answer in seed.answers_to(code))
    assert [tally[index] for index in range(len(seed.scale))] == expected


def test_seed_categories_in_document_order_with_sectors(seed):
    first = seed.categories[0]
    assert (first.name, first.sector) == ("Universitet / Høgskole", Sector.PUBLIC)
    sectors = {c.label: c.sector for c in seed.categories}
    assert sectors["Privatperson (Enkeltperson)"] == Sector.INDIVIDUAL
    assert sectors["Organisasjon (Privat)"] == Sector.PRIVATE
    assert sectors["Skole- og barnehagesektor (Offentlig)"] == Sector.PUBLIC
    # One name used in two sectors stays two categories, told apart by their labels.
    assert [c.name for c in seed.categories].count("Annet") == 2
    assert sectors["Annet (Privat)"] == Sector.PRIVATE
    assert sectors["Annet (Offentlig)"] == Sector.PUBLIC
    assert seed.categories[-1].name == "Helsesektor"


def test_wrapped_name_is_joined_and_one_respondent_across_questions(seed):
    ntnu = respondent(seed, NTNU)
    assert ntnu.category == "Universitet / Høgskole (Offentlig)"
    assert sorted(ntnu.answers) == ["1", "1.a", "1.b", "3", "4"]
    # In question 3 the PDF printed the scale value in the middle of the name.
    assert ntnu.answers["3"].value == 1
    assert ntnu.answers["3"].text.startswith("‘Verktøyene’ bør være i form av samskaping")


def test_name_pushed_into_its_answer_is_taken_back_out(seed):
    norce = respondent(seed, NORCE)
    assert len(norce.answers) == 6
    text = norce.answers["4"].text
    assert "forskningsgruppen" not in text
    assert "fra departement til den enkelte kommune, men delrapporten skiller" in text


def test_two_stavanger_entries_stay_two_respondents(seed):
    stavanger = [r for r in seed.respondents if r.name.startswith("Stavanger kommune")]
    assert len(stavanger) == 2
    assert {len(r.answers) for r in stavanger} == {6}


def test_names_glued_to_their_text(seed):
    ks = respondent(seed, "KS")
    assert ks.answers["1.a"].text.startswith("Det er positivt at arbeidsgruppa")
    assert ks.answers["4"].text.startswith("Rapporten vektlegger prosesskompetanse")
    assert respondent(seed, "Kompetansesenter rus").answers["1.b"].text.startswith("Kommunane:")
    assert respondent(seed, "Kompetansesenter rus-Midt-Norge").answers["1"].value == 0
    bydel = respondent(seed, "Bydel Stovner")
    assert bydel.answers["1.a"].text.startswith('Rapporten har "kunnskapsbasert" som et nøkkelord')


def test_scale_and_text_answers(seed):
    utdanning = respondent(seed, "Utdanningsforbundet")
    assert utdanning.answers["2"].value == 2
    assert utdanning.answers["2"].text == "se generelle kommentarer"
    assert respondent(seed, "Fellesorganisasjonen - FO").answers["2"].text is None
    # "Se 1b" printed without a blank line above the next respondent's name.
    assert respondent(seed, "Odd Sverre Westbye").answers["2"].text == "Se 1b"
    assert respondent(seed, "Siri Merete R. Johannessen").answers["2"].value == 1


def test_paragraphs_and_bullets_are_kept(seed):
    barnsbeste = respondent(
        seed, "BarnsBeste - Nasjonalt kompetansenettverk for barn som pårørende"
    )
    # The PDF put each bullet on a line of its own, above its item.
    assert barnsbeste.answers["1.a"].text.split("\n")[:4] == [
        "Styrker:",
        "Det er fint at det bygges videre på erfaringene fra BTI.",
        "• Svakheter:",
        "Mangler en god forståelse av begrepet «utsatte barn og unge»",
    ]
    helsedirektoratet = respondent(seed, "Helsedirektoratet")
    paragraphs = helsedirektoratet.answers["1.a"].text.split("\n\n")
    assert paragraphs[0].startswith("• Barn og unge sine behov må settes i sentrum.")
    assert all(p.startswith("• ") for p in paragraphs)


def test_respondents_only_in_the_last_question(seed):
    fub = respondent(
        seed,
        "Foreldreutvalget for barnehager (FUB) og Foreldreutvalget for grunnopplæringen (FUG)",
    )
    assert fub.category == "Skole- og barnehagesektor (Offentlig)"
    bergen = respondent(seed, "Bergen Kommune/etat for barn og familie")
    assert bergen.answers["4"].text.endswith(
        "Med vennlig hilsen\nEtat for barn og familie,\nBergen kommune"
    )


def test_inconsistent_counts_are_reported_in_norwegian():
    text = SEED.read_text(encoding="utf-8").replace(
        "Sju andre instanser", "Åtte andre instanser", 1
    )
    problems = parse_compiled(text).problems
    assert len(problems) == 1
    assert problems[0].startswith("Spørsmål 1:")
    assert "26 har svart" in problems[0] and "8 ikke har svart" in problems[0]
    assert "33 høringsinstanser" in problems[0]


def test_text_that_is_not_a_compiled_document_is_refused():
    with pytest.raises(CompiledFormatError, match="Fant ingen spørsmål"):
        parse_compiled("Dette er et brev.\n\nMed vennlig hilsen\nKari")


def test_read_txt_with_bom_and_windows_1252(tmp_path, seed):
    text = SEED.read_text(encoding="utf-8")
    with_bom = tmp_path / "svar.txt"
    with_bom.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert read_compiled_file(with_bom).snapshot == seed
    legacy = text.encode("cp1252", errors="replace")
    from_legacy = read_compiled_file(legacy, "svar.txt").snapshot
    assert from_legacy == parse_compiled(legacy.decode("cp1252")).snapshot
    assert respondent(from_legacy, "Hanne Kristine Stabursvik").answers["1"].value == 3


def test_unknown_file_type_is_refused():
    with pytest.raises(CompiledFormatError, match="støttes ikke"):
        read_compiled_file(b"a;b;c", "svar.csv")


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF written by hand: Helvetica text, one line per `Tj`."""
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    body = "BT /F1 11 Tf 14 TL 50 780 Td " + " ".join(f"({t}) Tj T*" for t in escaped) + " ET"
    stream = zlib.compress(body.encode("cp1252"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


PDF_LINES = [
    "Høring om tidlig innsats",
    "1. Spørsmål: 1. Er du enig?",
    "Forvaltning (Offentlig) Svar",
    "Bydel Frogner Helt enig",
    "Bydel Gamle Oslo Delvis uenig",
    "To andre instanser som har svart på dette notatet har ikke svart på dette spørsmålet.",
]


def test_pdf_text_extraction_returns_the_text():
    text = extract_text(minimal_pdf(PDF_LINES))
    assert "Høring om tidlig innsats" in text
    assert "Bydel Gamle Oslo Delvis uenig" in text


def test_read_compiled_pdf(tmp_path):
    path = tmp_path / "sammenstilling.pdf"
    path.write_bytes(minimal_pdf(PDF_LINES))
    snapshot = read_compiled_file(path).snapshot
    assert snapshot.title == "Høring om tidlig innsats"
    assert [(r.name, r.answers["1"].value) for r in snapshot.respondents] == [
        ("Bydel Frogner", 0),
        ("Bydel Gamle Oslo", 3),
    ]
    assert snapshot.stated_not_answered == {"1": 2}


def test_broken_pdf_is_refused_with_a_clear_message():
    with pytest.raises(CompiledFormatError, match="PDF"):
        read_compiled_file(b"%PDF-1.4\nnot really", "svar.pdf")
