"""Downloads over HTTP and `hearing export`: every file is read back and its content checked.

Public downloads exist only for published consultations and follow the public edition's rules;
internal downloads need an admin or analyst and are audit-logged; spreadsheet payloads stay
text; seed 004 (the demo) survives the database → workbook trip and a long-format round trip
through `hearing import-responses`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from docx import Document
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import load_workbook
from sqlalchemy import select
from werkzeug.routing import AnyConverter

from exports.json_writer import load_schema
from exports.number_words import not_answered_line
from hearing import export_formats
from hearing.demo import demo_text, load_demo
from hearing.extensions import db
from hearing.imports.compiled import parse_compiled
from hearing.models import AuditEvent, Consultation, Status
from hearing.services.snapshots import create_consultation, snapshot_of
from synthesis import snapshot as snap
from tests.export_web_support import SLUG, XSS_NAME, XSS_TEXT, store_sample
from tests.exports_sample import INJECTION_PAYLOADS
from tests.xlsx_reading import read_question_sheet, words

FORMATS = ("xlsx", "csv", "json", "docx")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
PUBLISHED_NAMES = ("NTNU", "Helsedirektoratet", "Privatperson 1", "Privatperson 2", "Lise Li")
LEFT_OUT = ("Ola Hansen", "Per Skjult", "Kari Nordmann", "Stiftelsen Anonym", "Nabolaget")
SEED_NOT_ANSWERED = {"1": 7, "1.a": 12, "1.b": 20, "2": 10, "3": 9, "4": 14}


def _public(client: FlaskClient, format_name: str, slug: str = SLUG):
    return client.get(f"/h/{slug}/oppsummering.{format_name}")


def _xlsx_cells(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _all_text(format_name: str, data: bytes) -> str:
    if format_name == "xlsx":
        return "\n".join(str(cell.value) for cell in _xlsx_cells(data) if cell.value is not None)
    if format_name == "docx":
        return _docx_text(data)
    return data.decode("utf-8")


# --- public downloads -----------------------------------------------------------------------


@pytest.mark.parametrize("format_name", FORMATS)
def test_public_download_headers(client: FlaskClient, app, format_name: str) -> None:
    store_sample()
    response = _public(client, format_name)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == CONTENT_TYPES[format_name]
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename={SLUG}-oppsummering.{format_name}"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("format_name", FORMATS)
def test_public_downloads_are_anonymised(client: FlaskClient, app, format_name: str) -> None:
    store_sample()
    text = _all_text(format_name, _public(client, format_name).data)
    for name in PUBLISHED_NAMES:
        assert name in text, name
    for name in LEFT_OUT:
        assert name not in text, name
    assert "@" not in text.replace(INJECTION_PAYLOADS[3], "")  # no e-mail address anywhere
    assert "Skjult tekst." not in text  # the hidden response's comment


def test_public_json_follows_the_schema(client: FlaskClient, app) -> None:
    store_sample()
    document = json.loads(_public(client, "json").data)
    jsonschema.validate(document, load_schema())
    assert document["audience"] == "public"
    assert document["overview"]["respondent_count"] == 8
    assert all("email" not in r and "key" not in r for r in document["respondents"])
    texts = {a["text"] for a in document["answers"]}
    assert XSS_TEXT in texts and INJECTION_PAYLOADS[0] in texts


def test_injection_payloads_stay_text_in_xlsx(client: FlaskClient, app) -> None:
    store_sample()
    cells = _xlsx_cells(_public(client, "xlsx").data)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    for payload in (INJECTION_PAYLOADS[0], INJECTION_PAYLOADS[1], INJECTION_PAYLOADS[6]):
        found = [cell for cell in cells if cell.value == payload]
        assert found, payload
        assert all(cell.data_type == "s" for cell in found)


def test_injection_payloads_are_quote_prefixed_in_csv(client: FlaskClient, app) -> None:
    store_sample()
    rows = _csv_rows(_public(client, "csv").data)
    assert "email" not in rows[0]
    texts = {row["text"] for row in rows}
    assert f"'{INJECTION_PAYLOADS[0]}" in texts and f"'{INJECTION_PAYLOADS[1]}" in texts
    assert f"'{INJECTION_PAYLOADS[6]}" in {row["respondent"] for row in rows}
    assert not [value for row in rows for value in row.values() if value.startswith("=")]
    assert XSS_NAME in {row["respondent"] for row in rows}


@pytest.mark.parametrize("status", [Status.DRAFT, Status.OPEN, Status.CLOSED])
def test_public_downloads_and_page_404_unless_published(
    client: FlaskClient, app, status: Status
) -> None:
    store_sample(status)
    assert client.get(f"/h/{SLUG}/oppsummering").status_code == 404
    for format_name in FORMATS:
        assert _public(client, format_name).status_code == 404
    assert _public(client, "xlsx", slug="finnes-ikke").status_code == 404


def test_non_ascii_filename_uses_rfc_5987(client: FlaskClient, app) -> None:
    store_sample(slug="høring-ærlig")
    response = client.get("/h/høring-ærlig/oppsummering.csv")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''h%C3%B8ring-%C3%A6rlig-oppsummering.csv" in disposition
    assert disposition.encode("latin-1").isascii()


# --- internal downloads ---------------------------------------------------------------------


def test_internal_download_requires_sign_in(client: FlaskClient, app) -> None:
    store_sample(Status.CLOSED)
    for path in [f"export.{name}" for name in FORMATS] + ["exports"]:
        response = client.get(f"/admin/consultations/{SLUG}/{path}")
        assert response.status_code == 302, path
        assert "/auth/login" in response.headers["Location"]


def test_analyst_downloads_the_internal_edition_and_it_is_logged(
    analyst_client: FlaskClient, analyst, app
) -> None:
    consultation = store_sample(Status.DRAFT)
    for format_name in FORMATS:
        response = analyst_client.get(f"/admin/consultations/{SLUG}/export.{format_name}")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == CONTENT_TYPES[format_name]
        assert response.headers["Content-Disposition"] == (
            f"attachment; filename={SLUG}-oppsummering-intern.{format_name}"
        )
        assert "no-store" in response.headers["Cache-Control"]
        text = _all_text(format_name, response.data)
        for name in ("Kari Nordmann", "Ola Hansen", "Stiftelsen Anonym", "NTNU"):
            assert name in text, (format_name, name)
        assert "Per Skjult" not in text  # hidden responses stay out of every edition
        if format_name != "docx":  # the Word layout prints no e-mail addresses
            assert "post@ntnu.example" in text
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export.download").order_by(AuditEvent.id)
    ).all()
    assert [event.details["format"] for event in events] == list(FORMATS)
    assert {event.actor for event in events} == {analyst.email}
    assert {event.consultation_id for event in events} == {consultation.id}
    assert events[0].details == {
        "format": "xlsx",
        "audience": "internal",
        "locale": "nb",
        "respondents": 9,
    }


def test_admin_can_check_the_public_edition_before_publishing(
    admin_client: FlaskClient, app
) -> None:
    store_sample(Status.CLOSED)
    page = admin_client.get(f"/admin/consultations/{SLUG}/exports")
    assert page.status_code == 200
    assert f"/admin/consultations/{SLUG}/export.xlsx?audience=public" in page.text
    response = admin_client.get(f"/admin/consultations/{SLUG}/export.csv?audience=public")
    names = {row["respondent"] for row in _csv_rows(response.data)}
    assert {"Privatperson 1", "Privatperson 2"} <= names and "Kari Nordmann" not in names
    assert response.headers["Content-Disposition"].endswith("-oppsummering.csv")


def test_english_download_uses_english_labels(client: FlaskClient, app) -> None:
    store_sample()
    text = _all_text("docx", client.get(f"/h/{SLUG}/oppsummering.docx?lang=en").data)
    assert "Private person 1" in text and "Privatperson 1" not in text


# --- hearing export -------------------------------------------------------------------------


def test_cli_export_defaults_to_the_internal_edition(
    runner: FlaskCliRunner, app, tmp_path: Path
) -> None:
    consultation = store_sample(Status.CLOSED)
    output = tmp_path / "ut" / "svar.csv"
    result = runner.invoke(args=["export", SLUG, "--format", "csv", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert str(output) in result.output and "intern utgave" in result.output
    assert "9 svar" in result.output
    rows = _csv_rows(output.read_bytes())
    assert "Kari Nordmann" in {row["respondent"] for row in rows}
    assert "kari@example.no" in {row["email"] for row in rows}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.cli"))
    assert event.actor == "cli" and event.consultation_id == consultation.id
    assert event.details["audience"] == "internal" and event.details["format"] == "csv"
    assert [p.name for p in output.parent.iterdir()] == ["svar.csv"]  # no temporary left over


def test_cli_public_export_matches_the_public_download(
    runner: FlaskCliRunner, client: FlaskClient, app, tmp_path: Path
) -> None:
    store_sample()
    output = tmp_path / "svar.json"
    args = ["export", SLUG, "--format", "json", "--output", str(output), "--audience", "public"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "offentlig utgave" in result.output and "8 svar" in result.output
    from_cli = json.loads(output.read_bytes())
    from_web = json.loads(_public(client, "json").data)
    for document in (from_cli, from_web):
        del document["provenance"]["exported_at"]
    assert from_cli == from_web


def test_cli_export_of_unknown_consultation_fails(
    runner: FlaskCliRunner, app, tmp_path: Path
) -> None:
    output = tmp_path / "x.xlsx"
    result = runner.invoke(args=["export", "nei", "--format", "xlsx", "--output", str(output)])
    assert result.exit_code == 1 and "nei" in result.output
    assert not output.exists()


# --- seed 004 through the database ----------------------------------------------------------


def _question_sheets(data: bytes) -> dict[str, dict]:
    """Per question sheet: (category, name, answer, comment words) rows and the closing line."""
    workbook = load_workbook(io.BytesIO(data))
    sheets = {}
    for sheet in workbook.worksheets:
        if not sheet.title.startswith("Spørsmål "):
            continue
        read = read_question_sheet(sheet)
        rows = [
            (a.category, a.name.split("\n(")[0], a.answer or "", words(a.comment) or "")
            for a in read.answers
        ]
        sheets[sheet.title.removeprefix("Spørsmål ")] = {"rows": rows, "closing": read.closing}
    return sheets


def test_seed_004_demo_exports_the_same_answers_and_counts(
    runner: FlaskCliRunner, app, tmp_path: Path
) -> None:
    consultation, responses, _ = load_demo()
    db.session.commit()
    assert responses == 33
    output = tmp_path / "seed.xlsx"
    result = runner.invoke(
        args=["export", consultation.slug, "--format", "xlsx", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    sheets = _question_sheets(output.read_bytes())
    assert list(sheets) == list(SEED_NOT_ANSWERED)

    seed = parse_compiled(demo_text("compiled_responses.txt")).snapshot
    stored = snapshot_of(consultation)
    category_of = {r.name: r.category or "Uten kategori" for r in stored.respondents}
    for code, not_answered in SEED_NOT_ANSWERED.items():
        sheet = sheets[code]
        expected = sorted(
            (
                category_of[respondent.name],
                respondent.name,
                seed.scale.points[answer.value] if answer.value is not None else "",
                words(answer.text) or "",
            )
            for respondent, answer in seed.answers_to(code)
        )
        assert sorted(sheet["rows"]) == expected, code
        assert len(sheet["rows"]) == 33 - not_answered
        assert sheet["closing"] == not_answered_line(not_answered)


def _long_csv(runner: FlaskCliRunner, slug: str, path: Path) -> list[dict[str, str]]:
    result = runner.invoke(args=["export", slug, "--format", "csv", "--output", str(path)])
    assert result.exit_code == 0, result.output
    return _csv_rows(path.read_bytes())


def test_long_format_round_trip_through_import_responses(
    runner: FlaskCliRunner, app, tmp_path: Path
) -> None:
    """Seed 004 imported as compiled, exported long, imported into a copy, exported again."""
    seed_file = tmp_path / "seed004.txt"
    seed_file.write_text(demo_text("compiled_responses.txt"), encoding="utf-8")
    result = runner.invoke(args=["import-compiled", str(seed_file), "--slug", "seed"])
    assert result.exit_code == 0, result.output
    seed = db.session.scalar(select(Consultation).where(Consultation.slug == "seed"))
    create_consultation(
        snap.ConsultationSnapshot(
            slug="kopi",
            title=seed.title,
            scale=seed.scale,
            categories=tuple(c.as_category for c in seed.categories),
            questions=snapshot_of(seed).questions,
        ),
        slug="kopi",
    )
    db.session.commit()
    exported = _long_csv(runner, "seed", tmp_path / "seed.csv")
    result = runner.invoke(args=["import-responses", str(tmp_path / "seed.csv"), "--slug", "kopi"])
    assert result.exit_code == 0, result.output
    assert "Importerte 33 svar" in result.output
    again = _long_csv(runner, "kopi", tmp_path / "kopi.csv")
    assert len(again) == len(exported) == sum(33 - n for n in SEED_NOT_ANSWERED.values())
    assert again == exported


def test_every_download_route_offers_only_formats_of_FORMATS(app):
    """Format names and media types come from `hearing.export_formats.FORMATS` alone: a route
    that spelled out its own list could offer a format the app cannot name or announce."""
    offered = {
        rule.endpoint: converter.items
        for rule in app.url_map.iter_rules()
        if isinstance(converter := rule._converters.get("format_name"), AnyConverter)
    }
    known = set(export_formats.FORMATS)
    assert offered["public.summary_download"] == known == set(FORMATS)
    assert offered["admin.export_download"] == known
    assert offered["admin.coding_download"] <= known
