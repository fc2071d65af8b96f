"""Filing a letter's text under the questions it answers: the headings and lead-ins letters
use, general comments before and between them, and numbers that are no question's."""

from __future__ import annotations

from hearing.letters.extract import extract_letter
from hearing.letters.passages import Passage, QuestionRef, split_passages
from tests.letters_support import (
    HELSEDIR_ON_GOALS,
    NKVTS_ON_GOALS,
    NKVTS_ON_MEASURES,
    NKVTS_ON_REPORT,
    QUESTIONS,
    STOVNER_ON_GOALS,
    docx_bytes,
    text_pdf_bytes,
)

HEAD = """NKVTS
Postboks 181 Nydalen
0409 Oslo

Norges forskningsråd
Postboks 564
1327 Lysaker

Vår ref.: 26/00123
Vår dato: 12.03.2026

Høringssvar – Ledelse for kunnskapsbasert, samordnet og brukerrettet praksis"""
SIGNATURE = """Med vennlig hilsen
NKVTS

Grete Dyb
senterleder"""


def split(body: str) -> list[tuple[str | None, str, str]]:
    letter = f"{HEAD}\n\n{body}\n\n{SIGNATURE}"
    return [(p.question_code, p.heading, p.text) for p in split_passages(letter, QUESTIONS)]


def test_lead_ins_file_passages_under_their_questions_and_the_rest_is_general():
    body = f"""Vi viser til høringsbrev av 1. februar 2026 og takker for muligheten.

Ad 1.a

Det finnes i Norge i dag flere kunnskaps- og kompetansesentre.

Svar på spørsmål 1.b: Implementeringsprosjekter i kommunene er gode eksempler.

Til punkt 2

{NKVTS_ON_GOALS}

Spørsmål 3

{NKVTS_ON_MEASURES}

Kommentarer til kapittel 4

{NKVTS_ON_REPORT}"""
    assert split(body) == [
        (None, "", "Vi viser til høringsbrev av 1. februar 2026 og takker for muligheten."),
        ("1.a", "Ad 1.a", "Det finnes i Norge i dag flere kunnskaps- og kompetansesentre."),
        ("1.b", "Svar på spørsmål 1.b", "Implementeringsprosjekter i kommunene er gode eksempler."),
        ("2", "Til punkt 2", NKVTS_ON_GOALS),
        ("3", "Spørsmål 3", NKVTS_ON_MEASURES),
        ("4", "Kommentarer til kapittel 4", NKVTS_ON_REPORT),
    ]


def test_nynorsk_and_english_lead_ins():
    body = f"""Til spørsmål 4

Vi meiner rapporten er god.

Question 2: {NKVTS_ON_GOALS}"""
    assert split(body) == [
        ("4", "Til spørsmål 4", "Vi meiner rapporten er god."),
        ("2", "Question 2", NKVTS_ON_GOALS),
    ]


def test_numbered_headings_and_headings_that_repeat_a_question_title():
    body = f"""Beskrivelse og vurdering av nåsituasjonen

Nåsituasjonen er godt beskrevet.

2. Målsettinger

{STOVNER_ON_GOALS}

Anbefalinger og forslag til tiltak

{NKVTS_ON_MEASURES}

4. Har du flere kommentarer til rapporten?

{NKVTS_ON_REPORT}"""
    assert [(code, heading) for code, heading, _ in split(body)] == [
        ("1", "Beskrivelse og vurdering av nåsituasjonen"),
        ("2", "2. Målsettinger"),
        ("3", "Anbefalinger og forslag til tiltak"),
        ("4", "4. Har du flere kommentarer til rapporten?"),
    ]


def test_numbered_lists_inside_an_answer_stay_in_it():
    body = """Til punkt 3

Vi foreslår tre tiltak:

1. Beskrivelse av implementeringsprosjekter i kommunene

2. Målsettinger for hver tjeneste

3. Anbefalinger og forslag til tiltak for ledere

4. Mer veiledning

Dette er de viktigste."""
    passages = split(body)
    assert [code for code, _, _ in passages] == ["3"]
    assert "4. Mer veiledning" in passages[0][2] and passages[0][2].endswith("viktigste.")


def test_references_to_numbers_inside_sentences_and_dates_are_no_headings():
    body = f"""Til punkt 2

{HELSEDIR_ON_GOALS} Vi viser også til
punkt 4 i rapporten, som vi støtter, jf. spørsmål 3 i høringsbrevet.

Punkt 4 i rapporten er vi enige i, men vi mener at mer bør gjøres for barn og unge.

4. mars 2026 holdt vi et møte om dette med kommunene.

Mål 4.4: Kunnskapsbasert praksis er et godt mål."""
    passages = split(body)
    assert [code for code, _, _ in passages] == ["2"]
    assert passages[0][2].endswith("Kunnskapsbasert praksis er et godt mål.")


def test_unrelated_headings_open_general_comments_and_the_same_question_is_merged():
    body = f"""Til punkt 2

{NKVTS_ON_GOALS}

Spørsmål 2 (fortsatt)

{STOVNER_ON_GOALS}

Økonomiske konsekvenser

Tiltakene krever midler.

Spørsmål 9

Dette spørsmålet finnes ikke i høringen."""
    assert split(body) == [
        ("2", "Til punkt 2", f"{NKVTS_ON_GOALS}\n\n{STOVNER_ON_GOALS}"),
        (
            None,
            "Økonomiske konsekvenser",
            "Tiltakene krever midler.\n\nDette spørsmålet finnes ikke i høringen.",
        ),
    ]


def test_letterhead_and_signature_are_no_comment():
    passages = split("Vi støtter rapporten.")
    assert passages == [(None, "", "Vi støtter rapporten.")]


def test_lettered_numbers_as_letters_write_them():
    questions = [QuestionRef("q1", "2.a", "Styrker"), QuestionRef("q2", "2.b", "Svakheter")]
    text = "Ad 2 a)\n\nGode styrker.\n\nSpørsmål 2b: Få svakheter."
    assert split_passages(text, questions) == [
        Passage("q1", "Ad 2 a)", "Gode styrker."),
        Passage("q2", "Spørsmål 2b", "Få svakheter."),
    ]


def test_without_questions_everything_is_general():
    assert split_passages("Til punkt 2\n\nVi er enige.", []) == [
        Passage(None, "Til punkt 2", "Vi er enige.")
    ]


def test_word_headings_and_answer_tables_are_split():
    data = docx_bytes(
        [
            "Vi takker for muligheten til å svare.",
            ("Heading 1", "Til punkt 2"),
            NKVTS_ON_GOALS,
        ],
        header="NKVTS",
        table=[["Spørsmål 3", NKVTS_ON_MEASURES], ["Spørsmål 4", NKVTS_ON_REPORT]],
    )
    passages = split_passages(extract_letter(data).text, QUESTIONS)
    assert [(p.question_code, p.text) for p in passages] == [
        (None, "Vi takker for muligheten til å svare."),
        ("2", NKVTS_ON_GOALS),
        ("3", NKVTS_ON_MEASURES),
        ("4", NKVTS_ON_REPORT),
    ]


def test_a_pdf_letter_is_split_as_it_reads():
    data = text_pdf_bytes(
        [
            ["Bydel Stovner", "Høringsuttalelse", "Til punkt 2", STOVNER_ON_GOALS],
            ["Til punkt 4", NKVTS_ON_REPORT, "Med vennlig hilsen\nPer Olsen"],
        ]
    )
    passages = split_passages(extract_letter(data).text, QUESTIONS)
    assert [(p.question_code, p.text) for p in passages] == [
        ("2", STOVNER_ON_GOALS),
        ("4", NKVTS_ON_REPORT),
    ]


def test_a_short_answer_is_no_heading_but_a_heading_over_text_is():
    body = """Til punkt 2

Ingen kommentarer

Til punkt 3

Enig

Andre innspill

Vi ønsker et møte om oppfølgingen."""
    assert split(body) == [
        ("2", "Til punkt 2", "Ingen kommentarer"),
        ("3", "Til punkt 3", "Enig"),
        (None, "Andre innspill", "Vi ønsker et møte om oppfølgingen."),
    ]


def test_a_word_of_one_letter_after_the_number_is_no_sub_question():
    questions = [QuestionRef("2", "2", "Mål"), QuestionRef("2i", "2.i", "Indikatorer")]
    text = "Til punkt 2 i rapporten\n\nVi er enige i målene.\n\nSpørsmål 2.i\n\nGode indikatorer."
    assert [p.question_code for p in split_passages(text, questions)] == ["2", "2i"]


def test_text_after_the_signature_is_kept_when_a_heading_opens_it():
    body = """Til punkt 2

Vi støtter målene.

Med vennlig hilsen
Kari Nordmann

Vedlegg: høringssvar

Til punkt 4

Hilsen fra oss alle i styret: rapporten er god og bør følges opp raskt."""
    passages = split(body)
    assert [(code, text) for code, _, text in passages] == [
        ("2", "Vi støtter målene."),
        ("4", "Hilsen fra oss alle i styret: rapporten er god og bør følges opp raskt."),
    ]
