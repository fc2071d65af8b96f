"""The høringsliste's pieces: organisation numbers, reading the file, and who has answered."""

from __future__ import annotations

import codecs
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import select

from hearing.extensions import db
from hearing.imports.format_error import LongFormatError
from hearing.imports.invitee_file import read_invitee_file
from hearing.imports.limits import ImportLimits, LimitExceeded
from hearing.models import Invitee, MatchStatus, SubmissionOrgNumber
from hearing.services import invitees
from synthesis import org_number
from tests.respond_support import SLUG, full_answer, make_consultation, token_from

VALID = ("974760673", "923609016", "971526920", "983887457")


# Organisation numbers -------------------------------------------------------------------------


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers_pass_and_every_changed_digit_fails(number: str) -> None:
    assert org_number.is_valid(number)
    for position in range(9):
        for digit in "0123456789":
            if digit != number[position]:
                changed = number[:position] + digit + number[position + 1 :]
                # Weights 3,2,7,6,5,4,3,2 (and 1 for the check digit) are all prime to 11.
                assert not org_number.is_valid(changed), changed


def test_numbers_are_read_as_people_write_them() -> None:
    for written in ("974 760 673", "NO 974 760 673 MVA", "no974760673mva", "974.760.673"):
        assert org_number.normalise(written) == "974760673"
    for wrong in ("97476067", "9747606730", "97476067x", "٩٧٤٧٦٠٦٧٣", ""):
        assert not org_number.is_valid(org_number.normalise(wrong))


def test_a_remainder_that_would_need_check_digit_10_is_never_valid() -> None:
    first_eight = next(
        f"{n:08d}"
        for n in range(10_000_000, 10_100_000)
        if org_number.check_digit(f"{n:08d}") is None
    )
    assert not any(org_number.is_valid(first_eight + digit) for digit in "0123456789")


# Reading the file -----------------------------------------------------------------------------


def test_a_norwegian_excel_csv_in_windows_1252() -> None:
    text = (
        "Navn;Organisasjonsnummer;E-post;Kategori\r\n"
        "Barneombudet;974 760 673;post@barneombudet.no;Offentlig etat\r\n"
        "Forening for søsken;;Post@Sosken.no;Organisasjon\r\n"
        "\r\n"
    )
    read = read_invitee_file(text.encode("cp1252"))
    assert read.problems == []
    assert [(r.row, r.name, r.org_number, r.email, r.category) for r in read.rows] == [
        (2, "Barneombudet", "974760673", "post@barneombudet.no", "Offentlig etat"),
        (3, "Forening for søsken", None, "post@sosken.no", "Organisasjon"),
    ]
    utf16 = codecs.BOM_UTF16_LE + text.replace(";", "\t").encode("utf-16-le")
    assert read_invitee_file(utf16).rows == read.rows


def test_an_xlsx_with_numbers_stored_as_numbers() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Org. nr.", "Email", "Category"])
    sheet.append(["Barneombudet", 974760673, "post@barneombudet.no", "Etat"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    (row,) = read_invitee_file(buffer.getvalue()).rows
    assert (row.name, row.org_number) == ("Barneombudet", "974760673")


def test_each_bad_row_is_named_with_its_problem() -> None:
    text = (
        "navn,orgnr,epost\n"
        "A,974760673,a@example.no\n"
        ",923609016,\n"
        "B,974760672,\n"
        "C,974 760 673,\n"
        "D,,ikke-epost\n"
        "E,,e@example.no\n"
    )
    read = read_invitee_file(text.encode())
    assert [r.name for r in read.rows] == ["A", "E"]
    assert [(p.row, p.code) for p in read.problems] == [
        (3, "missing_name"),
        (4, "bad_org_number"),
        (5, "duplicate_org_number"),
        (6, "bad_email"),
    ]
    assert read.problems[2].params == {"value": "974 760 673", "first": 2}


def test_files_that_are_no_list_are_refused() -> None:
    with pytest.raises(LongFormatError) as missing:
        read_invitee_file(b"orgnr,epost\n974760673,a@example.no\n")
    assert missing.value.code == "missing_columns"
    with pytest.raises(LongFormatError) as empty:
        read_invitee_file(b"navn\n\n")
    assert empty.value.code == "no_rows"
    many = "navn\n" + "".join(f"Instans {i}\n" for i in range(11))
    with pytest.raises(LimitExceeded) as limit:
        read_invitee_file(many.encode(), ImportLimits(max_rows=10))
    assert limit.value.code == "too_many_rows"


# Who has answered -----------------------------------------------------------------------------


def _rows(text: str):
    return read_invitee_file(text.encode()).rows


LIST = (
    "navn,orgnr,epost,kategori\n"
    "Barneombudet,974760673,post@barneombudet.no,Etat\n"
    "Bergen kommune,,post@bergen.kommune.no,Kommune\n"
    "Oslo kommune,,,Kommune\n"
    "Kari Nordmann,,kari@example.no,Privatperson\n"
)


def _respond(client: FlaskClient, consultation, key: str, **overrides: str) -> str:
    data = full_answer(consultation, idempotency_key=key * 32, **overrides)
    response = client.post(f"/h/{SLUG}/svar", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return token_from(response.headers["Location"])


def _by_name(consultation) -> dict[str, invitees.InviteeStatus]:
    return {s.invitee.name: s for s in invitees.statuses(consultation)}


def test_importing_again_updates_instead_of_doubling(app: Flask) -> None:
    consultation = make_consultation()
    first = invitees.import_rows(consultation, _rows(LIST))
    again = invitees.import_rows(
        consultation, _rows(LIST.replace("post@barneombudet.no", "ny@barneombudet.no"))
    )
    db.session.commit()
    assert (first.added, first.updated, again.added, again.updated) == (4, 0, 0, 4)
    listed = {i.name: i for i in invitees.invitees_of(consultation)}
    assert listed["Barneombudet"].email == "ny@barneombudet.no"
    assert listed["Kari Nordmann"].private_person
    assert not listed["Bergen kommune"].private_person


def test_answers_found_by_org_number_proposed_by_name_and_confirmed_or_rejected(
    app: Flask, client: FlaskClient
) -> None:
    consultation = make_consultation()
    invitees.import_rows(consultation, _rows(LIST))
    db.session.commit()
    _respond(client, consultation, "a", respondent_name="BO", org_number="974 760 673")
    _respond(client, consultation, "b", respondent_name="Bergen kommune, Etat for barn")
    _respond(client, consultation, "c", respondent_name="KS", on_behalf_of="Oslo kommune og Asker")
    assert db.session.scalar(select(SubmissionOrgNumber.org_number)) == "974760673"
    found = _by_name(consultation)
    assert found["Barneombudet"].status == MatchStatus.CONFIRMED
    assert found["Barneombudet"].method == "org_number"
    assert found["Bergen kommune"].status == MatchStatus.PROPOSED
    assert found["Oslo kommune"].status == MatchStatus.PROPOSED  # on behalf of
    assert found["Kari Nordmann"].status == MatchStatus.NONE

    bergen, oslo = found["Bergen kommune"], found["Oslo kommune"]
    invitees.confirm(bergen.invitee, bergen.respondent.submission_id, "name")
    invitees.reject(oslo.invitee, oslo.respondent.submission_id)
    db.session.commit()
    found = _by_name(consultation)
    assert found["Bergen kommune"].answered
    assert found["Oslo kommune"].status == MatchStatus.NONE  # never proposed again


def test_a_withdrawn_response_is_no_answer(app: Flask, client: FlaskClient) -> None:
    consultation = make_consultation()
    invitees.import_rows(consultation, _rows(LIST))
    db.session.commit()
    token = _respond(client, consultation, "a", org_number="974760673")
    assert _by_name(consultation)["Barneombudet"].answered
    assert client.post(f"/h/{SLUG}/svar/{token}/trekk").status_code == 302
    assert not _by_name(consultation)["Barneombudet"].may_have_answered


def test_the_public_list_names_organisations_that_have_not_answered(
    app: Flask, client: FlaskClient
) -> None:
    consultation = make_consultation()
    invitees.import_rows(consultation, _rows(LIST))
    db.session.commit()
    _respond(client, consultation, "a", org_number="974760673")
    _respond(client, consultation, "b", respondent_name="Bergen kommune")
    assert invitees.public_not_answered(consultation) == ()  # not chosen
    invitees.settings_of(consultation).list_not_answered = True
    db.session.commit()
    # Answered (Barneombudet) and maybe answered (Bergen: to confirm) are left out, and so is
    # the private person whatever the list says.
    assert invitees.public_not_answered(consultation) == ("Oslo kommune",)
    kari = db.session.scalar(select(Invitee).where(Invitee.name == "Kari Nordmann"))
    kari.private_person = False  # a list mistake: a person filed as an organisation …
    kari.category = "Organisasjon"
    db.session.commit()
    assert "Kari Nordmann" in invitees.public_not_answered(consultation)  # … shows; hence:
    assert invitees.is_private_category(consultation, "Privatperson")
    assert invitees.is_private_category(consultation, "Privatperson (Enkeltperson)")
