"""`hearing import-responses`: long-format files into the database through the CLI."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from exports.csv_writer import csv_bytes as export_csv
from exports.long_format import long_rows
from exports.summary import build_summary
from exports.xlsx_writer import xlsx_bytes as export_xlsx
from hearing.extensions import db
from hearing.models import Answer, AuditEvent, Consultation, Status, Submission
from hearing.services.snapshots import create_consultation, snapshot_of
from synthesis import snapshot as snap
from tests.test_import_long_format import CONSULTATION, ROWS, csv_bytes, xlsx_bytes

SEED = Path(str(resources.files("hearing").joinpath("demo_data", "compiled_responses.txt")))


def _consultation(slug: str) -> Consultation | None:
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


@pytest.fixture()
def hearing_h(app) -> Consultation:
    consultation = create_consultation(CONSULTATION, slug="h", status=Status.OPEN)
    db.session.commit()
    return consultation


def _write(tmp_path: Path, data: bytes, name: str = "svar.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_import_into_existing_consultation(
    runner: FlaskCliRunner, hearing_h: Consultation, tmp_path: Path
) -> None:
    path = _write(tmp_path, csv_bytes(ROWS))
    result = runner.invoke(args=["import-responses", str(path), "--slug", "h"])
    assert result.exit_code == 0, result.output
    assert "Importerte 3 svar med 6 enkeltsvar" in result.output
    snapshot = snapshot_of(hearing_h)
    assert [(r.name, r.category) for r in snapshot.respondents] == [
        ("Bærum kommune", "Forvaltning (Offentlig)"),
        ("Foreningen X", "Annet (Privat)"),
        ("Kari Nordmann", "Privatperson (Enkeltperson)"),
    ]
    assert snapshot.respondents[0].answers["2"] == snap.Answer(
        "2", value=3, text="Mer å gjøre – også for æøå"
    )
    assert _count(AuditEvent) == 1


def test_reimport_does_not_duplicate(
    runner: FlaskCliRunner, hearing_h: Consultation, tmp_path: Path
) -> None:
    path = _write(tmp_path, csv_bytes(ROWS))
    assert runner.invoke(args=["import-responses", str(path), "--slug", "h"]).exit_code == 0
    again = runner.invoke(args=["import-responses", str(path), "--slug", "h"])
    assert again.exit_code == 0, again.output
    assert "Importerte 0 svar" in again.output and "3 fantes fra før" in again.output
    assert (_count(Submission), _count(Answer)) == (3, 6)


def test_row_errors_import_nothing(
    runner: FlaskCliRunner, hearing_h: Consultation, tmp_path: Path
) -> None:
    rows = [*ROWS, ["Z", "Forvaltning", "Offentlig", "7", "Helt enig", ""]]
    path = _write(tmp_path, csv_bytes(rows))
    result = runner.invoke(args=["import-responses", str(path), "--slug", "h"])
    assert result.exit_code == 1
    assert "Rad 8, kolonne «Spørsmål»: Høringen har ikke spørsmål «7»." in result.output
    assert "ingenting er importert" in result.output
    assert _count(Submission) == 0


def test_row_errors_in_english_when_the_app_speaks_english(
    runner: FlaskCliRunner, hearing_h: Consultation, tmp_path: Path, app
) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    path = _write(tmp_path, csv_bytes([["Z", "Forvaltning", "", "7", "", "x"]]))
    result = runner.invoke(args=["import-responses", str(path), "--slug", "h"])
    assert "Row 2, column “Spørsmål”: The consultation has no question “7”." in result.output


def test_skip_invalid_writes_rejected_rows(
    runner: FlaskCliRunner, hearing_h: Consultation, tmp_path: Path
) -> None:
    rows = [*ROWS, ["Z", "Forvaltning", "Offentlig", "1", "Kanskje", ""]]
    path = _write(tmp_path, csv_bytes(rows))
    rejected = tmp_path / "avvist.csv"
    args = ["import-responses", str(path), "--slug", "h", "--skip-invalid"]
    result = runner.invoke(args=[*args, "--rejected", str(rejected)])
    assert result.exit_code == 0, result.output
    assert _count(Submission) == 3
    lines = rejected.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Respondent;Kategori;Sektor;Spørsmål;Verdi;Tekst;årsak"
    assert lines[1].startswith("Z;Forvaltning;Offentlig;1;Kanskje;;«Kanskje» er verken")
    # Default place: next to the input.
    runner.invoke(args=args)
    assert (tmp_path / "svar.rejected.csv").exists()


@pytest.mark.parametrize("create", [False, True])
def test_header_only_file_imports_nothing(
    runner: FlaskCliRunner, hearing_h: Consultation, tmp_path: Path, create: bool
) -> None:
    path = _write(tmp_path, csv_bytes([]))
    slug = "ny" if create else "h"
    result = runner.invoke(
        args=["import-responses", str(path), "--slug", slug, *(["--create"] if create else [])]
    )
    assert result.exit_code == 1
    assert "Filen har bare overskriftsraden og ingen svar" in result.output
    assert _count(Submission) == 0 and _consultation("ny") is None
    assert _count(AuditEvent) == 0


def test_header_only_file_in_english(
    runner: FlaskCliRunner, hearing_h: Consultation, tmp_path: Path, app
) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    path = _write(tmp_path, csv_bytes([]))
    result = runner.invoke(args=["import-responses", str(path), "--slug", "h"])
    assert result.exit_code == 1
    assert "The file has only the header row and no responses" in result.output


def test_unknown_slug_without_create(runner: FlaskCliRunner, app, tmp_path: Path) -> None:
    path = _write(tmp_path, csv_bytes(ROWS))
    result = runner.invoke(args=["import-responses", str(path), "--slug", "nope"])
    assert result.exit_code == 1
    assert "--create" in result.output


def test_create_from_xlsx(runner: FlaskCliRunner, app, tmp_path: Path) -> None:
    header = ["RESPONDENT", "Category", "Sector", "Question", "Value", "Text"]
    rows = [[*row[:4], row[4], row[5] or None] for row in ROWS]
    path = _write(
        tmp_path, xlsx_bytes(rows, header=header, sheet="Responses (long format)"), "r.xlsx"
    )
    args = ["import-responses", str(path), "--slug", "ny", "--create", "--title", "Ny høring"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    consultation = _consultation("ny")
    assert consultation.title == "Ny høring"
    assert consultation.status == Status.CLOSED
    assert [(q.code, q.kind) for q in consultation.questions] == [
        ("1", "scale"),
        ("2", "scale_text"),
        ("3", "text"),
    ]
    assert [c.label for c in consultation.categories] == [
        "Forvaltning (Offentlig)",
        "Annet (Privat)",
        "Privatperson (Enkeltperson)",
    ]
    assert list(consultation.scale_points) == list(snap.NORWEGIAN_AGREEMENT_SCALE)
    assert len(snapshot_of(consultation).respondents) == 3


def test_create_with_given_scale(runner: FlaskCliRunner, app, tmp_path: Path) -> None:
    rows = [
        ["A", "Forvaltning", "Offentlig", "1", "Grønn", ""],
        ["B", "Annet", "Privat", "1", "2", ""],
    ]
    path = _write(tmp_path, csv_bytes(rows))
    args = ["import-responses", str(path), "--slug", "farge", "--create"]
    refused = runner.invoke(args=args)
    assert refused.exit_code == 1 and "--scale" in refused.output
    result = runner.invoke(args=[*args, "--scale", "Grønn,Gul,Rød"])
    assert result.exit_code == 0, result.output
    consultation = _consultation("farge")
    assert consultation.scale_points == ["Grønn", "Gul", "Rød"]
    values = sorted(
        a.value for r in snapshot_of(consultation).respondents for a in r.answers.values()
    )
    assert values == [0, 1]


def _seed_consultation(runner: FlaskCliRunner) -> Consultation:
    assert runner.invoke(args=["import-compiled", str(SEED), "--slug", "seed"]).exit_code == 0
    return _consultation("seed")


def _long(consultation: Consultation) -> list[tuple]:
    summary = build_summary(
        snapshot_of(consultation),
        audience="internal",
        exported_at=datetime(2025, 1, 1, tzinfo=UTC),
        software_version="test",
    )
    # Excel keeps times to the millisecond, so compare them to the second.
    return [
        tuple(v.replace(microsecond=0) if isinstance(v, datetime) else v for v in row)
        for row in long_rows(summary)
    ]


def _empty_copy(consultation: Consultation, slug: str) -> Consultation:
    skeleton = snap.ConsultationSnapshot(
        slug=slug,
        title=consultation.title,
        scale=consultation.scale,
        categories=tuple(c.as_category for c in consultation.categories),
        questions=snapshot_of(consultation).questions,
    )
    return create_consultation(skeleton, slug=slug)


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_export_import_export_round_trip(
    runner: FlaskCliRunner, app, tmp_path: Path, form: str
) -> None:
    seed = _seed_consultation(runner)
    summary = build_summary(
        snapshot_of(seed),
        audience="internal",
        exported_at=datetime(2025, 1, 1, tzinfo=UTC),
        software_version="test",
    )
    data = export_csv(summary) if form == "csv" else export_xlsx(summary)
    path = _write(tmp_path, data, f"eksport.{form}")
    copy = _empty_copy(seed, "kopi")
    db.session.commit()
    result = runner.invoke(args=["import-responses", str(path), "--slug", "kopi"])
    assert result.exit_code == 0, result.output
    assert "Importerte 33 svar" in result.output
    assert _long(copy) == _long(seed)


def test_round_trip_with_create(runner: FlaskCliRunner, app, tmp_path: Path) -> None:
    seed = _seed_consultation(runner)
    summary = build_summary(
        snapshot_of(seed),
        audience="internal",
        exported_at=datetime(2025, 1, 1, tzinfo=UTC),
        software_version="test",
    )
    path = _write(tmp_path, export_csv(summary, delimiter=","))
    result = runner.invoke(args=["import-responses", str(path), "--slug", "ny", "--create"])
    assert result.exit_code == 0, result.output
    created = _consultation("ny")
    assert [(q.code, q.kind) for q in created.questions] == [
        (q.code, q.kind) for q in seed.questions
    ]
    assert sorted(_long(created)) == sorted(_long(seed))
