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
from hearing.models.outbox import MessageKind, OutboxMessage
from hearing.models.types import utcnow
from hearing.services.backup import BackupError, restore_backup, write_backup
from hearing.services.privacy import purge_expired_emails, respondent_data
from hearing.services.submission_data import submission_data


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


def _mail_about(consultation, submission) -> dict[str, int]:
    """A receipt and links sent again to the respondent, a notice to the secretariat about the
    response, and mail to someone else; their ids by name."""
    messages = {
        "receipt": OutboxMessage(
            kind=MessageKind.RECEIPT,
            to_address=submission.email,
            consultation_id=consultation.id,
            submission_id=submission.id,
            subject="Kvittering",
        ),
        "links": OutboxMessage(
            kind=MessageKind.LINKS,
            to_address=submission.email.upper(),
            consultation_id=consultation.id,
        ),
        "notice": OutboxMessage(
            kind=MessageKind.NEW_RESPONSE,
            to_address="sekretariat@example.no",
            consultation_id=consultation.id,
            submission_id=submission.id,
        ),
        "other": OutboxMessage(
            kind=MessageKind.LINKS, to_address="annen@example.no", consultation_id=consultation.id
        ),
        "invitation": OutboxMessage(
            kind=MessageKind.INVITATION,
            to_address="post@kommune.example.no",
            consultation_id=consultation.id,
        ),
    }
    db.session.add_all(messages.values())
    db.session.commit()
    return {name: message.id for name, message in messages.items()}


def _left(ids: dict[str, int]) -> set[str]:
    db.session.expire_all()
    return {name for name, id_ in ids.items() if db.session.get(OutboxMessage, id_) is not None}


def test_respondent_data_holds_the_mail_sent_to_the_respondent(runner, demo):
    submission = db.session.scalars(select(Submission).order_by(Submission.id)).first()
    _mail_about(demo, submission)
    document = json.loads(runner.invoke(args=["respondent-data", submission.reference]).output)
    assert [(m["kind"], m["to"].lower()) for m in document["mail"]] == [
        ("receipt", "kontakt@example.no"),
        ("links", "kontakt@example.no"),
    ]
    assert document["mail"][0]["subject"] == "Kvittering"


def test_the_export_and_the_kept_versions_write_a_submission_alike(demo):
    submission = db.session.scalars(select(Submission).order_by(Submission.id)).first()
    document = respondent_data(submission)
    current = submission_data(submission)
    assert {key: document[key] for key in current} == current
    answer = next(a for a in document["answers"] if a["value"] is not None)
    assert answer["value_label"] in demo.scale_points


def test_erasure_deletes_the_mail_sent_to_the_respondent(runner, demo):
    submission = db.session.scalars(select(Submission).order_by(Submission.id)).first()
    ids = _mail_about(demo, submission)
    result = runner.invoke(args=["erase-respondent", submission.reference, "--yes"])
    assert result.exit_code == 0, result.output
    assert _left(ids) == {"other", "invitation"}


def test_the_email_purge_deletes_the_mail_sent_to_respondents(runner, demo):
    submission = db.session.scalars(select(Submission).order_by(Submission.id)).first()
    ids = _mail_about(demo, submission)
    demo.status = Status.PUBLISHED
    demo.published_at = utcnow() - timedelta(days=10)
    db.session.commit()
    purge_expired_emails(30)
    assert _left(ids) == set(ids)
    purge_expired_emails(5)
    db.session.commit()
    assert _left(ids) == {"notice", "invitation"}
