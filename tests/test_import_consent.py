"""Imported private persons are not published by name unless someone said they may be.

A long-format file without a consent column, a row with a blank consent cell and a compiled
document (which never states consent) give private persons (sector "individual") the consent
"anonymous" and organisations "named"; a consent the file states is kept, also when the
secretariat chooses one for the whole file (`--consent`, or the choice on the upload page),
which applies to the others. The CLI and the preview say all this in plain words.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from exports.csv_writer import csv_bytes as export_csv
from exports.summary import build_summary
from hearing.extensions import db
from hearing.imports.compiled import parse_compiled
from hearing.imports.consent import ConsentSource, ConsentTally, consent_lines, default_consent
from hearing.models import Consultation, Status
from hearing.services.snapshots import create_consultation, snapshot_of
from synthesis.snapshot import Consent, Sector
from tests.test_import_long_format import CONSULTATION, ROWS, csv_bytes, validate

SEED = Path(str(resources.files("hearing").joinpath("demo_data", "compiled_responses.txt")))
CONSENT_HEADER = ["Respondent", "Kategori", "Sektor", "Spørsmål", "Verdi", "Tekst", "Samtykke"]
# Kari states "navngitt"; Ola and Foreningen X leave the cell blank.
ROWS_WITH_CONSENT = [
    ["Kari Nordmann", "Privatperson", "Enkeltperson", "1", "Helt enig", "", "navngitt"],
    ["Ola Nordmann", "Privatperson", "Enkeltperson", "1", "Delvis enig", "", ""],
    ["Foreningen X", "Annet", "Privat", "1", "Vet ikke", "", ""],
]


def _consents(slug: str) -> dict[str, Consent]:
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    return {r.name: r.consent for r in snapshot_of(consultation).respondents}


def _public_csv(slug: str) -> str:
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    summary = build_summary(
        snapshot_of(consultation),
        audience="public",
        exported_at=datetime(2025, 1, 1, tzinfo=UTC),
        software_version="test",
    )
    return export_csv(summary).decode("utf-8-sig")


@pytest.fixture()
def hearing_h(app) -> Consultation:
    consultation = create_consultation(CONSULTATION, slug="h", status=Status.OPEN)
    db.session.commit()
    return consultation


def _import(runner: FlaskCliRunner, tmp_path: Path, data: bytes, *options: str):
    path = tmp_path / "svar.csv"
    path.write_bytes(data)
    return runner.invoke(args=["import-responses", str(path), "--slug", "h", *options])


# The rule ------------------------------------------------------------------------------------


def test_default_consent_is_anonymous_for_private_persons_only() -> None:
    assert default_consent(Sector.INDIVIDUAL) is Consent.ANONYMOUS
    assert default_consent(Sector.PUBLIC) is Consent.NAMED
    assert default_consent(Sector.PRIVATE) is Consent.NAMED
    assert default_consent(None) is Consent.ANONYMOUS  # unknown sector: the safe side
    assert default_consent(Sector.INDIVIDUAL, Consent.NAMED) is Consent.NAMED


def test_a_file_without_consent_column_gives_private_persons_anonymity() -> None:
    result = validate(csv_bytes(ROWS))
    assert {r.name: r.consent for r in result.respondents} == {
        "Bærum kommune": Consent.NAMED,
        "Foreningen X": Consent.NAMED,
        "Kari Nordmann": Consent.ANONYMOUS,
    }
    assert consent_lines(result.consent, "nb")[0] == (
        "Filen har ingen samtykke-kolonne: 1 privatperson importeres anonymt, "
        "2 organisasjoner med navn."
    )
    assert consent_lines(result.consent, "en")[0] == (
        "The file has no consent column, so 1 private person will be imported anonymously "
        "and 2 organisations with their names."
    )


def test_blank_consent_cells_get_the_default_and_stated_ones_are_kept() -> None:
    result = validate(csv_bytes(ROWS_WITH_CONSENT, header=CONSENT_HEADER))
    assert {r.name: r.consent for r in result.respondents} == {
        "Kari Nordmann": Consent.NAMED,
        "Ola Nordmann": Consent.ANONYMOUS,
        "Foreningen X": Consent.NAMED,
    }
    assert consent_lines(result.consent, "nb") == [
        "2 respondenter har ikke oppgitt samtykke i filen: 1 privatperson importeres anonymt, "
        "1 organisasjon med navn.",
        "1 respondent har oppgitt samtykke i filen, og det brukes.",
        "Til publisering: 2 med navn, 1 anonymt, 0 skal ikke publiseres.",
    ]


def test_the_tally_words_a_whole_file_choice() -> None:
    tally = ConsentTally(ConsentSource.NO_COLUMN, Consent.NONE)
    assert tally.decide(Sector.INDIVIDUAL, None) is Consent.NONE
    assert tally.decide(Sector.PUBLIC, Consent.NAMED) is Consent.NAMED
    assert consent_lines(tally, "en") == [
        "Chosen for the whole file: 1 respondent without a consent in the file "
        "(1 private person, 0 organisations) will be imported without being published.",
        "The file states a consent for 1 respondent; it is kept, as the choice for the whole "
        "file applies only to those without one.",
        "For publication: 1 with names, 0 anonymously, 1 not to be published.",
    ]


# The command line ----------------------------------------------------------------------------


def test_cli_imports_private_persons_anonymously_and_says_so(
    runner: FlaskCliRunner, hearing_h: Consultation, tmp_path: Path
) -> None:
    result = _import(runner, tmp_path, csv_bytes(ROWS))
    assert result.exit_code == 0, result.output
    assert (
        "Filen har ingen samtykke-kolonne: 1 privatperson importeres anonymt, "
        "2 organisasjoner med navn." in result.output
    )
    assert "--consent named|anonymous|none" in result.output
    assert _consents("h") == {
        "Bærum kommune": Consent.NAMED,
        "Foreningen X": Consent.NAMED,
        "Kari Nordmann": Consent.ANONYMOUS,
    }
    public = _public_csv("h")
    assert "Kari Nordmann" not in public
    assert "Bærum kommune" in public


def test_cli_consent_choice_applies_to_the_whole_file(
    runner: FlaskCliRunner, hearing_h: Consultation, tmp_path: Path
) -> None:
    result = _import(runner, tmp_path, csv_bytes(ROWS), "--consent", "named")
    assert result.exit_code == 0, result.output
    assert "Valgt for hele filen: 3 respondenter uten samtykke" in result.output
    assert set(_consents("h").values()) == {Consent.NAMED}


def test_cli_consent_choice_keeps_a_stated_consent(
    runner: FlaskCliRunner, hearing_h: Consultation, tmp_path: Path
) -> None:
    data = csv_bytes(ROWS_WITH_CONSENT, header=CONSENT_HEADER)
    result = _import(runner, tmp_path, data, "--consent", "none")
    assert result.exit_code == 0, result.output
    assert "1 respondent har oppgitt samtykke i filen; det beholdes" in result.output
    assert _consents("h") == {
        "Kari Nordmann": Consent.NAMED,
        "Ola Nordmann": Consent.NONE,
        "Foreningen X": Consent.NONE,
    }


def test_cli_refuses_an_unknown_consent_choice(
    runner: FlaskCliRunner, hearing_h: Consultation, tmp_path: Path
) -> None:
    result = _import(runner, tmp_path, csv_bytes(ROWS), "--consent", "maybe")
    assert result.exit_code != 0
    assert _consents("h") == {}


# The upload page -----------------------------------------------------------------------------


def _upload(client: FlaskClient, data: bytes, **fields: str):
    form = {"file": (io.BytesIO(data), "svar.csv"), "consultation": "h", **fields}
    return client.post("/admin/import/responses", data=form, content_type="multipart/form-data")


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]*)"', html)[1]


def test_upload_preview_says_who_is_anonymous(
    admin_client: FlaskClient, hearing_h: Consultation
) -> None:
    html = _upload(admin_client, csv_bytes(ROWS)).get_data(as_text=True)
    assert (
        "Filen har ingen samtykke-kolonne: 1 privatperson importeres anonymt, "
        "2 organisasjoner med navn." in html
    )
    admin_client.post("/admin/import/responses/confirm", data={"token": _hidden(html, "token")})
    assert _consents("h")["Kari Nordmann"] is Consent.ANONYMOUS


def test_upload_page_offers_the_whole_file_choice(
    admin_client: FlaskClient, hearing_h: Consultation
) -> None:
    page = admin_client.get("/admin/import/responses?slug=h").get_data(as_text=True)
    assert "Som i filen / standard" in page and 'value="anonymous"' in page
    html = _upload(admin_client, csv_bytes(ROWS), consent="none").get_data(as_text=True)
    assert "importeres uten å bli publisert" in html
    admin_client.post("/admin/import/responses/confirm", data={"token": _hidden(html, "token")})
    assert set(_consents("h").values()) == {Consent.NONE}


def test_the_preview_can_change_the_choice_without_a_new_upload(
    admin_client: FlaskClient, hearing_h: Consultation
) -> None:
    html = _upload(admin_client, csv_bytes(ROWS)).get_data(as_text=True)
    token = _hidden(html, "token")
    changed = admin_client.post(
        "/admin/import/responses/consent",
        data={
            "consent-token": _hidden(html, "consent-token"),
            "consent-consent": "named",
        },
    ).get_data(as_text=True)
    assert "Valgt for hele filen: 3 respondenter uten samtykke" in changed
    assert _hidden(changed, "token") == token
    admin_client.post("/admin/import/responses/confirm", data={"token": token})
    assert set(_consents("h").values()) == {Consent.NAMED}


def test_upload_preview_in_english(admin_client: FlaskClient, hearing_h: Consultation) -> None:
    admin_client.get("/language/en")
    html = _upload(admin_client, csv_bytes(ROWS)).get_data(as_text=True)
    assert "The file has no consent column, so 1 private person will be imported" in html
    assert "As in the file / default" in html


# Compiled documents ---------------------------------------------------------------------------


def test_compiled_private_persons_are_anonymous() -> None:
    snapshot = parse_compiled(SEED.read_text(encoding="utf-8")).snapshot
    sectors = {c.label: c.sector for c in snapshot.categories}
    private = [r for r in snapshot.respondents if sectors[r.category] is Sector.INDIVIDUAL]
    others = [r for r in snapshot.respondents if sectors[r.category] is not Sector.INDIVIDUAL]
    assert private and others
    assert {r.consent for r in private} == {Consent.ANONYMOUS}
    assert {r.consent for r in others} == {Consent.NAMED}


def test_import_compiled_says_so_and_publishes_no_private_name(
    runner: FlaskCliRunner, app, tmp_path: Path
) -> None:
    result = runner.invoke(args=["import-compiled", str(SEED), "--slug", "seed"])
    assert result.exit_code == 0, result.output
    assert re.search(
        r"Dokumentet oppgir ikke samtykke: \d+ privatpersoner importeres anonymt", result.output
    )
    stored = _consents("seed")
    assert stored["Hanne Kristine Stabursvik"] is Consent.ANONYMOUS
    public = _public_csv("seed")
    assert "Stabursvik" not in public


def test_compiled_upload_preview_says_so(admin_client: FlaskClient) -> None:
    form = {"file": (io.BytesIO(SEED.read_bytes()), "svar.txt"), "slug": "seed"}
    html = admin_client.post(
        "/admin/import/compiled", data=form, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "Dokumentet oppgir ikke samtykke:" in html
    assert "privatpersoner importeres anonymt" in html
