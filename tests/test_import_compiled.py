"""`hearing import-compiled`: seed 004 becomes a closed consultation with 33 respondents."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from hearing.demo import load_demo
from hearing.extensions import db
from hearing.imports.compiled import parse_compiled
from hearing.imports.compiled_report import compiled_report
from hearing.models import AuditEvent, Consultation, Source, Status, Submission
from hearing.services.snapshots import snapshot_of

SEED = Path(str(resources.files("hearing").joinpath("demo_data", "compiled_responses.txt")))
ANSWERED = {"1": 26, "1.a": 21, "1.b": 13, "2": 23, "3": 24, "4": 19}
NOT_ANSWERED = {"1": 7, "1.a": 12, "1.b": 20, "2": 10, "3": 9, "4": 14}


def _consultation(slug: str) -> Consultation:
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


def test_seed_004_imports_33_respondents(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["import-compiled", str(SEED), "--slug", "seed-004"])
    assert result.exit_code == 0, result.output
    assert "Høringsinstanser: 33" in result.output
    assert "Spørsmål 1: 26 har svart, 7 har ikke svart" in result.output
    assert "AVVIK" not in result.output

    consultation = _consultation("seed-004")
    assert consultation.status == Status.CLOSED
    snapshot = snapshot_of(consultation)
    assert len(snapshot.respondents) == 33
    answered = {q.code: sum(1 for _ in snapshot.answers_to(q.code)) for q in snapshot.questions}
    assert answered == ANSWERED
    assert snapshot.stated_not_answered == NOT_ANSWERED
    assert all(r.category for r in snapshot.respondents)
    sources = set(db.session.scalars(select(Submission.source)))
    assert sources == {Source.IMPORT}
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "import.compiled"))


def test_report_tallies_and_consistency() -> None:
    snapshot = parse_compiled(SEED.read_text(encoding="utf-8")).snapshot
    report = compiled_report(snapshot)
    assert report.respondents == 33
    assert report.consistent
    by_code = {q.code: q for q in report.questions}
    assert {c: q.not_answered for c, q in by_code.items()} == NOT_ANSWERED
    assert sum(count for _, count in by_code["1"].tallies) == 26
    assert by_code["1.a"].tallies == ()
    labels = {c.label for c in snapshot.categories}
    assert "Annet (Privat)" in labels and "Annet (Offentlig)" in labels
    assert {r.category for r in snapshot.respondents} <= labels


def test_report_names_the_question_that_does_not_add_up() -> None:
    import dataclasses

    snapshot = parse_compiled(SEED.read_text(encoding="utf-8")).snapshot
    broken = dataclasses.replace(
        snapshot, stated_not_answered={**snapshot.stated_not_answered, "2": 11}
    )
    report = compiled_report(broken)
    assert not report.consistent
    assert [q.code for q in report.questions if not q.consistent] == ["2"]


def test_reimport_same_file_is_a_no_op(runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["import-compiled", str(SEED), "--slug", "s"]).exit_code == 0
    again = runner.invoke(args=["import-compiled", str(SEED), "--slug", "s"])
    assert again.exit_code == 0
    assert "allerede importert" in again.output
    assert db.session.scalar(select(func.count(Submission.id))) == 33


def test_slug_taken_by_another_consultation_is_refused(runner: FlaskCliRunner) -> None:
    load_demo()
    db.session.commit()
    slug = _consultation("ledelse-kunnskapsbasert-praksis").slug
    result = runner.invoke(args=["import-compiled", str(SEED), "--slug", slug])
    assert result.exit_code == 1
    assert "finnes allerede" in result.output


def test_not_a_compiled_document(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("Hei, dette er et brev uten spørsmål.", encoding="utf-8")
    result = runner.invoke(args=["import-compiled", str(path), "--slug", "x"])
    assert result.exit_code == 1
    assert _consultation("x") is None


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_text_file_encodings(runner: FlaskCliRunner, tmp_path: Path, encoding: str) -> None:
    # A Windows-1252 file has real bullets, not the Symbol font's private-use glyph.
    text = SEED.read_text(encoding="utf-8").replace("\uf0b7", "•").replace("\u202f", " ")
    path = tmp_path / "compiled.txt"
    path.write_bytes(text.encode(encoding))
    result = runner.invoke(args=["import-compiled", str(path), "--slug", "enc"])
    assert result.exit_code == 0, result.output
    assert len(snapshot_of(_consultation("enc")).respondents) == 33


def test_demo_loads_the_33_responses(app) -> None:
    _, responses, created = load_demo()
    db.session.commit()
    assert created and responses == 33
