"""Backup and restore round trips, one respondent's data, erasure and e-mail retention."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hearing.demo import load_demo
from hearing.extensions import db
from hearing.models import Answer, AuditEvent, Status, Submission, SubmissionVersion, ThemeEdit
from hearing.models.types import utcnow
from hearing.services.backup import BackupError, restore_backup, write_backup
from hearing.services.privacy import purge_expired_emails


@pytest.fixture()
def demo(app, admin):
    consultation, _, _ = load_demo()
    first = db.session.scalars(select(Submission).order_by(Submission.id)).first()
    first.email = "kontakt@example.no"
    first.versions.append(SubmissionVersion(number=1, data={"email": "gammel@example.no"}))
    db.session.add(
        ThemeEdit(
            consultation_id=consultation.id,
            question_code="4",
            edit={"kind": "rename", "theme_id": "t1", "label": "Ledelse"},
            created_by_id=admin.id,
        )
    )
    db.session.commit()
    return consultation


def _backup_bytes() -> bytes:
    stream = io.BytesIO()
    write_backup(stream)
    return stream.getvalue()


def _document(data: bytes) -> dict:
    import gzip

    return json.loads(gzip.decompress(data))


def test_backup_restore_round_trip_is_identical(demo):
    before = _backup_bytes()
    tables = _document(before)["tables"]
    assert len(tables["submissions"]) == 33 and tables["theme_edits"] and tables["users"]
    restore_backup(io.BytesIO(before), replace=True)
    db.session.commit()
    db.session.expire_all()
    assert _backup_bytes() == before
    # New rows still get fresh ids after a restore (sequences moved on PostgreSQL).
    db.session.add(AuditEvent(actor="t", action="after-restore"))
    db.session.commit()


def test_restore_refuses_non_empty_database_and_garbage(demo):
    data = _backup_bytes()
    with pytest.raises(BackupError, match="ikke tom"):
        restore_backup(io.BytesIO(data))
    with pytest.raises(BackupError):
        restore_backup(io.BytesIO(b"not a backup"), replace=True)
    assert db.session.scalar(select(func.count(Submission.id))) == 33


def test_backup_and_restore_commands(runner, demo, tmp_path):
    path = tmp_path / "hearing.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "submissions 33" in result.output
    refused = runner.invoke(args=["restore", str(path)])
    assert refused.exit_code != 0 and "ikke tom" in refused.output
    result = runner.invoke(args=["restore", str(path), "--replace"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Answer.id))) > 100


def test_respondent_data_holds_everything(runner, demo):
    submission = db.session.scalars(select(Submission).order_by(Submission.id)).first()
    result = runner.invoke(args=["respondent-data", submission.reference])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["reference"] == submission.reference
    assert document["email"] == "kontakt@example.no"
    assert document["respondent_name"] == submission.respondent_name
    assert {a["question"] for a in document["answers"]} == {
        a.question.code for a in submission.answers
    }
    assert document["versions"][0]["data"]["email"] == "gammel@example.no"


def test_respondent_data_holds_the_secretariats_tags_and_notes(runner, demo):
    from hearing.services import coding

    submission = db.session.scalars(select(Submission).order_by(Submission.id)).first()
    answer = submission.answers[0]
    code = coding.add_code(demo, "Kvalitet")
    coding.tag_answer(answer, code, user_id=None)
    coding.add_note(answer, "Ringte oss om dette i mars.", user_id=None)
    db.session.commit()
    result = runner.invoke(args=["respondent-data", submission.reference])
    document = json.loads(result.output)
    assert document["coding"]["tags"][0]["code"] == "Kvalitet"
    assert document["coding"]["notes"][0]["text"] == "Ringte oss om dette i mars."
    assert document["org_number"] is None


def test_erase_respondent_leaves_only_an_audit_entry(runner, demo):
    submission = db.session.scalars(select(Submission).order_by(Submission.id)).first()
    reference, name, submission_id = submission.reference, submission.respondent_name, submission.id
    result = runner.invoke(args=["erase-respondent", reference, "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Submission, submission_id) is None
    assert (
        db.session.scalar(
            select(func.count(Answer.id)).where(Answer.submission_id == submission_id)
        )
        == 0
    )
    assert (
        db.session.scalar(
            select(func.count(SubmissionVersion.id)).where(
                SubmissionVersion.submission_id == submission_id
            )
        )
        == 0
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "submission.erase"))
    assert event.details["reference"] == reference
    assert name not in json.dumps(event.details, ensure_ascii=False)


def test_admin_downloads_and_erases_through_the_web(admin_client, analyst, demo):
    submission = db.session.scalars(select(Submission).order_by(Submission.id)).first()
    base = f"/admin/consultations/{demo.slug}/submissions/{submission.id}"
    response = admin_client.get(f"{base}/data.json")
    assert response.status_code == 200
    assert response.get_json()["reference"] == submission.reference
    assert admin_client.post(f"{base}/erase").status_code == 302
    db.session.expire_all()
    assert db.session.get(Submission, submission.id) is None


def test_analyst_cannot_erase(analyst_client, demo):
    submission = db.session.scalars(select(Submission).order_by(Submission.id)).first()
    base = f"/admin/consultations/{demo.slug}/submissions/{submission.id}"
    assert analyst_client.get(f"{base}/data.json").status_code == 403
    assert analyst_client.post(f"{base}/erase").status_code == 403
    assert db.session.get(Submission, submission.id) is not None


def test_retention_purges_emails_only_after_the_period(runner, demo):
    demo.status = Status.PUBLISHED
    demo.published_at = utcnow() - timedelta(days=10)
    db.session.commit()
    assert purge_expired_emails(30) == 0
    result = runner.invoke(args=["purge-emails", "--days", "5"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Submission.id)).where(Submission.email != "")) == 0
    version = db.session.scalar(select(SubmissionVersion))
    assert version.data["email"] == ""
