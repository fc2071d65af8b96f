"""One synthesis run per consultation at a time, and a limit on runs at once in the installation."""

from __future__ import annotations

import pytest

from hearing.extensions import db
from hearing.models import RunScope, Status
from hearing.services import synthesis_runs
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis.snapshot import Answer, ConsultationSnapshot, Question, QuestionKind, Respondent
from tests.conftest import _empty_tables, make_app


def _consultation(slug: str, text: str = "Mer samarbeid mellom tjenestene."):
    snapshot = ConsultationSnapshot(
        slug=slug, title=slug, questions=(Question("1", "Kommentar?", QuestionKind.TEXT),)
    )
    consultation = create_consultation(snapshot, slug=slug, status=Status.CLOSED)
    add_respondents(consultation, [Respondent("a", "A", "", answers={"1": Answer("1", text=text)})])
    db.session.commit()
    return consultation


def test_a_second_run_of_one_consultation_waits_for_the_first(app):
    consultation = _consultation("en")
    first = synthesis_runs.request_run(consultation, synthesis_runs.run_parameters())
    db.session.commit()
    assert not first.reused
    with pytest.raises(synthesis_runs.RunRefused):
        synthesis_runs.request_run(
            consultation, synthesis_runs.run_parameters(n_themes=3), force=True
        )
    with pytest.raises(synthesis_runs.RunRefused):  # a public run waits too
        synthesis_runs.request_run(
            consultation, synthesis_runs.run_parameters(), scope=RunScope.PUBLIC
        )


def test_the_installation_runs_at_most_the_configured_number(migrated):
    limited = make_app(migrated, SYNTHESIS_MAX_ACTIVE_RUNS=2)
    with limited.app_context():
        try:
            for slug in ("a", "b"):
                synthesis_runs.request_run(_consultation(slug), synthesis_runs.run_parameters())
                db.session.commit()
            with pytest.raises(synthesis_runs.RunRefused):
                synthesis_runs.request_run(_consultation("c"), synthesis_runs.run_parameters())
        finally:
            db.session.rollback()
            _empty_tables()
            db.session.remove()
            db.engine.dispose()


def test_the_page_says_why_a_run_was_refused(app, admin_client):
    consultation = _consultation("side")
    synthesis_runs.request_run(consultation, synthesis_runs.run_parameters())
    db.session.commit()
    response = admin_client.post(
        "/admin/consultations/side/synthesis/runs", data={"force": "1"}, follow_redirects=True
    )
    assert "kjører allerede" in response.get_data(as_text=True)
