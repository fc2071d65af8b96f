"""The secretariat's import pages: upload, preview (nothing written), confirm; admins only."""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from hearing.extensions import db
from hearing.models import AuditEvent, Consultation, Status, Submission
from hearing.services.snapshots import create_consultation, snapshot_of
from tests.test_import_long_format import CONSULTATION, ROWS, csv_bytes, xlsx_bytes

SEED = Path(str(resources.files("hearing").joinpath("demo_data", "compiled_responses.txt")))


def _count_submissions() -> int:
    return db.session.scalar(select(func.count(Submission.id)))


def _stashed(app: Flask, token: str) -> bool:
    return (Path(app.instance_path) / "imports" / f"{token}.upload").is_file()


def _stashed_count(app: Flask) -> int:
    return len(list((Path(app.instance_path) / "imports").glob("*.upload")))


def _token(html: str) -> str:
    marker = 'name="token" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def _upload(client: FlaskClient, url: str, data: bytes, filename: str, **fields: str):
    form = {"file": (io.BytesIO(data), filename), **fields}
    return client.post(url, data=form, content_type="multipart/form-data")


def test_compiled_preview_then_confirm(admin_client: FlaskClient, app: Flask) -> None:
    page = admin_client.get("/admin/import/compiled")
    assert page.status_code == 200
    preview = _upload(
        admin_client, "/admin/import/compiled", SEED.read_bytes(), "svar.txt", slug="seed"
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html
    assert "Ingenting er lagret ennå." in html
    assert "<dd>33</dd>" in html
    assert db.session.scalar(select(func.count(Consultation.id))) == 0
    assert _stashed(app, _token(html))

    done = admin_client.post("/admin/import/compiled/confirm", data={"token": _token(html)})
    assert done.status_code == 302
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == "seed"))
    assert consultation.status == Status.CLOSED
    assert len(snapshot_of(consultation).respondents) == 33
    assert not _stashed(app, _token(html))
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "import.compiled"))
    # The token is spent: a second confirm imports nothing.
    again = admin_client.post("/admin/import/compiled/confirm", data={"token": _token(html)})
    assert again.status_code == 302 and _count_submissions() == 33


def test_compiled_upload_refuses_other_files(admin_client: FlaskClient) -> None:
    response = _upload(admin_client, "/admin/import/compiled", b"x", "svar.docx")
    assert "Last opp en .txt- eller .pdf-fil." in response.get_data(as_text=True)
    response = _upload(admin_client, "/admin/import/compiled", b"bare tekst", "svar.txt")
    assert "Fant ingen spørsmål" in response.get_data(as_text=True)


def test_responses_preview_then_confirm(admin_client: FlaskClient, app: Flask) -> None:
    create_consultation(CONSULTATION, slug="h", status=Status.OPEN)
    db.session.commit()
    assert admin_client.get("/admin/import/responses?slug=h").status_code == 200
    preview = _upload(
        admin_client, "/admin/import/responses", csv_bytes(ROWS), "svar.csv", consultation="h"
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html
    assert "3 nye, 0 fantes fra før" in html
    assert "Bærum kommune" in html
    assert _count_submissions() == 0
    assert _stashed(app, _token(html))

    done = admin_client.post("/admin/import/responses/confirm", data={"token": _token(html)})
    assert done.status_code == 302
    assert _count_submissions() == 3
    assert not _stashed(app, _token(html))
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "import.responses"))


def test_responses_preview_lists_errors_and_offers_the_valid_rows(
    admin_client: FlaskClient,
) -> None:
    create_consultation(CONSULTATION, slug="h", status=Status.OPEN)
    db.session.commit()
    rows = [*ROWS, ["Z", "Forvaltning", "Offentlig", "7", "", "x"]]
    preview = _upload(
        admin_client, "/admin/import/responses", csv_bytes(rows), "svar.csv", consultation="h"
    )
    html = preview.get_data(as_text=True)
    assert "1 rad har feil" in html  # the plural follows the count
    assert "Høringen har ikke spørsmål «7»." in html
    assert '<th scope="col">Kategori</th>' in html  # the file's columns in the page's language
    # The one button imports only the valid rows, without uploading again.
    valid = len(ROWS)
    assert f"Importer bare de {valid} gyldige radene" in html
    admin_client.post(
        "/admin/import/responses/confirm", data={"token": _token(html), "skip_invalid": "1"}
    )
    assert _count_submissions() == 3
    # Forcing the confirm step of an upload that asked to skip works as before.
    skipped = _upload(
        admin_client,
        "/admin/import/responses",
        csv_bytes(rows),
        "svar.csv",
        consultation="h",
        skip_invalid="y",
    )
    token = _token(skipped.get_data(as_text=True))
    admin_client.post("/admin/import/responses/confirm", data={"token": token})
    assert _count_submissions() == 3  # the same respondents: nothing twice


def _rejected_link(html: str) -> str:
    marker = 'href="/admin/import/responses/rejected?token='
    start = html.index(marker) + len('href="')
    return html[start : html.index('"', start)].replace("&amp;", "&")


def test_responses_rejected_rows_download_is_the_cli_file(
    admin_client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    create_consultation(CONSULTATION, slug="h", status=Status.OPEN)
    db.session.commit()
    rows = [
        *ROWS,
        ["Z", "Forvaltning", "Offentlig", "7", "", "x"],
        ["Y", "Annet", "Privat", "1", "Kanskje", ""],
    ]
    preview = _upload(
        admin_client,
        "/admin/import/responses",
        csv_bytes(rows),
        "svar.csv",
        consultation="h",
        skip_invalid="y",
    )
    html = preview.get_data(as_text=True)
    download = admin_client.get(_rejected_link(html))
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert download.headers["Content-Disposition"] == "attachment; filename=h.rejected.csv"
    assert "no-store" in download.headers["Cache-Control"]
    assert _count_submissions() == 0  # a download writes nothing

    source = tmp_path / "svar.csv"
    source.write_bytes(csv_bytes(rows))
    args = ["import-responses", str(source), "--slug", "h", "--skip-invalid"]
    assert runner.invoke(args=args).exit_code == 0
    assert download.data == (tmp_path / "svar.rejected.csv").read_bytes()
    lines = download.data.decode("utf-8-sig").splitlines()
    assert [line.split(";")[0] for line in lines] == ["Respondent", "Z", "Y"]
    # The preview can still be confirmed after the download.
    admin_client.post("/admin/import/responses/confirm", data={"token": _token(html)})
    assert _count_submissions() == 3


def test_responses_rejected_rows_download_needs_a_pending_upload(
    admin_client: FlaskClient, analyst_client: FlaskClient
) -> None:
    assert admin_client.get("/admin/import/responses/rejected?token=" + "0" * 32).status_code == 404
    assert admin_client.get("/admin/import/responses/rejected").status_code == 404
    assert analyst_client.get("/admin/import/responses/rejected?token=x").status_code == 403


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_responses_header_only_file_cannot_be_confirmed(
    admin_client: FlaskClient, app: Flask, locale: str
) -> None:
    create_consultation(CONSULTATION, slug="h", status=Status.OPEN)
    db.session.commit()
    stashed_before = _stashed_count(app)
    response = _upload(
        admin_client,
        f"/admin/import/responses?lang={locale}",
        csv_bytes([]),
        "svar.csv",
        consultation="h",
    )
    html = response.get_data(as_text=True)
    expected = {
        "nb": "Filen har bare overskriftsraden og ingen svar",
        "en": "The file has only the header row and no responses",
    }[locale]
    assert expected in html
    assert "/admin/import/responses/confirm" not in html
    assert _stashed_count(app) == stashed_before
    assert _count_submissions() == 0


def test_responses_create_new_consultation_from_xlsx(admin_client: FlaskClient) -> None:
    preview = _upload(
        admin_client,
        "/admin/import/responses",
        xlsx_bytes(ROWS, sheet="Svar (langt format)"),
        "svar.xlsx",
        consultation="__new__",
        new_slug="fra-fil",
        new_title="Fra fil",
    )
    html = preview.get_data(as_text=True)
    assert "Ny høring «Fra fil» (fra-fil)" in html
    admin_client.post("/admin/import/responses/confirm", data={"token": _token(html)})
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == "fra-fil"))
    assert [q.kind for q in consultation.questions] == ["scale", "scale_text", "text"]


def test_analyst_is_refused(analyst_client: FlaskClient) -> None:
    assert analyst_client.get("/admin/import/compiled").status_code == 403
    assert analyst_client.get("/admin/import/responses").status_code == 403
    response = analyst_client.post("/admin/import/responses/confirm", data={"token": "0" * 32})
    assert response.status_code == 403


def test_unknown_token_is_refused(admin_client: FlaskClient) -> None:
    response = admin_client.post(
        "/admin/import/responses/confirm", data={"token": "../../etc/passwd"}
    )
    assert response.status_code == 302
    assert _count_submissions() == 0


def test_import_from_a_consultation_page_targets_that_consultation(
    admin_client: FlaskClient,
) -> None:
    create_consultation(CONSULTATION, slug="h", status=Status.OPEN)
    db.session.commit()
    page = admin_client.get("/admin/consultations/h").get_data(as_text=True)
    assert 'href="/admin/import/responses?slug=h"' in page
    form = admin_client.get("/admin/import/responses?slug=h").get_data(as_text=True)
    assert '<option selected value="h">' in form
    # Without a choice nothing is preselected, and nothing is imported into a new consultation.
    blank = admin_client.get("/admin/import/responses").get_data(as_text=True)
    assert '<option selected value="">' in blank
    refused = _upload(
        admin_client, "/admin/import/responses", csv_bytes(ROWS), "svar.csv", consultation=""
    )
    assert "Velg hvilken høring svarene skal inn i" in refused.get_data(as_text=True)
    assert _count_submissions() == 0
