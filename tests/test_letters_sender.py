"""Proposing a letter's sender: organisation, signatory, date, e-mail and organisation number
from where Norwegian letters say them, and nothing where the letter is unclear."""

from __future__ import annotations

from datetime import date

import pytest

from hearing.letters.extract import extract_letter
from hearing.letters.sender import SenderProposal, propose_sender
from synthesis.org_number import is_valid as is_valid_organisation_number
from tests.letters_support import (
    HELSEDIR_ON_GOALS,
    NKVTS_ON_GOALS,
    STOVNER_ON_GOALS,
    docx_bytes,
    odt_bytes,
    text_pdf_bytes,
)

UTDANNINGSFORBUNDET = f"""Utdanningsforbundet

Norges forskningsråd
Postboks 564
1327 Lysaker

Deres ref.: 25/1234
Vår ref.: 26/00123
Vår dato: 12.03.2026

Høringssvar – Ledelse for kunnskapsbasert, samordnet og brukerrettet praksis

Vi viser til høringsbrev av 1. februar 2026.

Til punkt 2

{NKVTS_ON_GOALS}

Med vennlig hilsen
Utdanningsforbundet

Kari Nordmann
leder
kari.nordmann@utdanningsforbundet.no

Utdanningsforbundet | Postboks 9191 Grønland | 0134 Oslo | Org.nr. 974 760 673"""


def test_a_formal_letter_names_its_organisation_signatory_date_email_and_number():
    assert propose_sender(UTDANNINGSFORBUNDET) == SenderProposal(
        organisation="Utdanningsforbundet",
        person="Kari Nordmann",
        written_on=date(2026, 3, 12),
        email="kari.nordmann@utdanningsforbundet.no",
        organisation_number="974760673",
    )


def test_place_and_date_line_and_two_signatories_the_first_is_proposed():
    text = f"""Helsedirektoratet

Oslo, 12. mars 2026

Høringsuttalelse om ledelse for kunnskapsbasert praksis

{HELSEDIR_ON_GOALS}

Med vennlig hilsen

Ola Hansen e.f.
avdelingsdirektør

Kari Lie
seniorrådgiver

Dokumentet er elektronisk godkjent og har derfor ingen håndskrevne signaturer.

Helsedirektoratet, Postboks 220 Skøyen, 0213 Oslo. postmottak@helsedir.no"""
    proposal = propose_sender(text)
    assert (proposal.organisation, proposal.person) == ("Helsedirektoratet", "Ola Hansen")
    assert (proposal.written_on, proposal.email) == (date(2026, 3, 12), "postmottak@helsedir.no")


def test_nynorsk_title_closing_and_iso_date():
    text = """Høyringsfråsegn frå Statped – leiing for kunnskapsbasert praksis

Dato: 2026-03-12

Statped meiner at måla bør vere konkrete.

Med venleg helsing

Signe Aasen
rådgjevar"""
    assert propose_sender(text) == SenderProposal(
        organisation="Statped",
        person="Signe Aasen",
        written_on=date(2026, 3, 12),
        email="",
        organisation_number="",
    )


def test_a_private_person_has_no_organisation():
    text = """Innspill til høringen

Jeg mener barn og unge må bli hørt.

Hilsen Tone Bakke
tone.bakke@gmail.com"""
    assert propose_sender(text) == SenderProposal(
        organisation="",
        person="Tone Bakke",
        written_on=None,
        email="tone.bakke@gmail.com",
        organisation_number="",
    )


def test_reference_table_pairs_dates_with_their_labels_and_skips_the_answered_letters_date():
    text = f"""Bydel Stovner

Deres referanse
Deres dato
Vår referanse
Vår dato
25/1234
01.02.2026
26/77
12.03.2026

Høringsuttalelse

{STOVNER_ON_GOALS}

Med vennlig hilsen
Bydel Stovner

Per Olsen
bydelsdirektør"""
    proposal = propose_sender(text)
    assert (proposal.organisation, proposal.person) == ("Bydel Stovner", "Per Olsen")
    assert proposal.written_on == date(2026, 3, 12)


def test_the_addressee_is_never_the_sender():
    text = f"""Norges forskningsråd
Postboks 564
1327 Lysaker

Deres ref.: 25/1234

Høringssvar

{NKVTS_ON_GOALS}

Med hilsen
Anne Berg"""
    proposal = propose_sender(text)
    assert (proposal.organisation, proposal.person) == ("", "Anne Berg")


def test_til_block_is_the_addressee_and_fra_label_the_sender():
    text = """Til: Forskningsrådet
Fra: Blå Kors Norge
Dato: 3. okt. 2025

Vi støtter rapporten."""
    proposal = propose_sender(text)
    assert (proposal.organisation, proposal.written_on) == ("Blå Kors Norge", date(2025, 10, 3))


def test_email_header_gives_the_person_and_the_domain_picks_the_letterhead_line():
    text = """Fra: Ola Nordmann <ola.nordmann@forandringsfabrikken.no>
Sendt: 12. mars 2026

Forandringsfabrikken
Kunnskapssenter

Vi har snakket med barn og unge om dette."""
    proposal = propose_sender(text)
    assert (proposal.person, proposal.organisation) == ("Ola Nordmann", "Forandringsfabrikken")
    assert proposal.email == "ola.nordmann@forandringsfabrikken.no"


def test_english_closing_with_title_and_organisation_on_one_line():
    text = """Comments on the report

We support the proposal.

Kind regards
Jane Smith
Director, Nordic Centre for Child Welfare"""
    proposal = propose_sender(text)
    assert (proposal.person, proposal.organisation) == (
        "Jane Smith",
        "Nordic Centre for Child Welfare",
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Org.nr. 974 760 673", "974760673"),
        ("Organisasjonsnummer: 974760673", "974760673"),
        ("org nr 974.760.673", "974760673"),
        ("NO 974 760 673 MVA", "974760673"),
        ("Org.nr. 974 760 674", ""),  # wrong check digit
        ("Kontonummer 9747 60 67312", ""),
        ("Telefon 974 760 673", ""),  # a number not labelled as the organisation's
    ],
)
def test_organisation_number_only_when_labelled_and_its_check_digit_is_right(written, expected):
    assert propose_sender(f"Bufdir\n\n{written}").organisation_number == expected


def test_mod_11_check():
    assert is_valid_organisation_number("974760673")
    assert not is_valid_organisation_number("974760672")
    assert not is_valid_organisation_number("97476067")
    assert not is_valid_organisation_number("٩٧٤٧٦٠٦٧٣")  # digits, but not ASCII ones


def test_unclear_letters_give_empty_fields_not_guesses():
    text = """Vi viser til høringen av 1. februar 2026, jf. punkt 4 i rapporten.

Vi mener tiltakene er gode, og kontakt oss gjerne på 22 33 44 55."""
    assert propose_sender(text) == SenderProposal("", "", None, "", "")


def test_docx_letterhead_and_footer_reach_the_proposal():
    data = docx_bytes(
        [
            "Oslo, 2. april 2026",
            "Høringssvar",
            NKVTS_ON_GOALS,
            "Med vennlig hilsen\nGrete Dyb\nsenterleder",
        ],
        header="NKVTS",
        footer="Nasjonalt kunnskapssenter om vold og traumatisk stress · postmottak@nkvts.no",
    )
    proposal = propose_sender(extract_letter(data).text)
    assert (proposal.organisation, proposal.person) == ("NKVTS", "Grete Dyb")
    assert (proposal.written_on, proposal.email) == (date(2026, 4, 2), "postmottak@nkvts.no")


def test_odt_and_pdf_letters_reach_the_proposal():
    odt = odt_bytes(
        [
            ("p", "Høringssvar fra KoRus-Øst"),
            ("p", NKVTS_ON_GOALS),
            ("p", "Med vennlig hilsen\nLise Berg\nfaglig leder"),
        ]
    )
    pdf = text_pdf_bytes(
        [
            ["Stine Sofies Stiftelse", "Grimstad, 5. mars 2026", NKVTS_ON_GOALS, "Vennlig hilsen"],
            ["Marte Lien\ndaglig leder"],
        ]
    )
    proposal = propose_sender(extract_letter(odt).text)
    assert (proposal.organisation, proposal.person) == ("KoRus-Øst", "Lise Berg")
    proposal = propose_sender(extract_letter(pdf).text)
    assert (proposal.organisation, proposal.person, proposal.written_on) == (
        "Stine Sofies Stiftelse",
        "Marte Lien",
        date(2026, 3, 5),
    )


def test_signature_on_behalf_of_an_organisation_and_signatories_side_by_side():
    text = """Vi støtter forslaget.

Med vennlig hilsen
for Fellesorganisasjonen - FO

Mimmi Kvisvik\tOla Hansen
leder\tnestleder"""
    proposal = propose_sender(text)
    assert (proposal.organisation, proposal.person) == (
        "Fellesorganisasjonen - FO",
        "Mimmi Kvisvik",
    )
