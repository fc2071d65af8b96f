"""Stored synthesis runs: executors, the worker, failures, `hearing synthesize`, analyst pages."""

from __future__ import annotations

import re
import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hearing.demo import load_demo
from hearing.extensions import db
from hearing.models import AuditEvent, Consultation, RunStatus, Source, SynthesisRun, ThemeEdit
from hearing.services import synthesis_runs
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Sector,
)
from synthesis.theme_edits import RenameTheme
from tests.conftest import PASSWORD, make_app

SLUG = "skolehelse"
TOPIC_TEXTS = (
    "Helsesykepleiere i skolen må få flere stillinger og mer tid til elevene.",
    "Skolehelsetjenesten trenger flere helsesykepleiere og faste kontordager på skolen.",
    "Barnevernet og skolen bør samarbeide tettere om utsatte barn og familier.",
    "Samarbeid mellom barnevernet, skolen og helsestasjonen må bli bedre og mer forpliktende.",
)


def _small_snapshot() -> ConsultationSnapshot:
    """Sixteen respondents writing on two topics, so themes are quick to find."""
    respondents = tuple(
        Respondent(
            key=f"k{n}",
            name=f"Kommune {n}",
            category="Kommune (Offentlig)" if n % 2 else "Organisasjon (Privat)",
            answers={
                "1": Answer("1", value=n % 5),
                "2": Answer("2", text=f"{TOPIC_TEXTS[n % 4]} Vi har erfaring nummer {n}."),
            },
        )
        for n in range(16)
    )
    return ConsultationSnapshot(
        slug=SLUG,
        title="Skolehelsetjenesten",
        categories=(Category("Kommune", Sector.PUBLIC), Category("Organisasjon", Sector.PRIVATE)),
        questions=(
            Question("1", "Er du enig?", QuestionKind.SCALE),
            Question("2", "Hva bør endres?", QuestionKind.TEXT),
        ),
        respondents=respondents,
    )


@pytest.fixture()
def small(app: Flask) -> Consultation:
    snapshot = _small_snapshot()
    consultation = create_consultation(snapshot, slug=SLUG)
    db.session.flush()
    add_respondents(consultation, snapshot.respondents, source=Source.IMPORT)
    db.session.commit()
    return consultation


def _start(client: FlaskClient, **form: str):
    return client.post(
        f"/admin/consultations/{SLUG}/synthesis/runs", data={"n_themes": "2", **form}
    )


def _runs() -> list[SynthesisRun]:
    db.session.expire_all()
    return list(db.session.scalars(select(SynthesisRun).order_by(SynthesisRun.id)))


@pytest.fixture()
def inline(app: Flask) -> None:
    app.config["SYNTHESIS_EXECUTOR"] = "inline"


def test_analyst_runs_synthesis_edits_a_theme_and_the_edit_survives_a_rerun(
    app, small, analyst_client, inline
):
    response = _start(analyst_client)
    assert response.status_code == 302
    [run] = _runs()
    assert run.status == RunStatus.DONE and run.progress == 100
    assert set(run.timings) == {"tabulation", "duplicates", "themes", "opinion_groups"}
    page = analyst_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ferdig" in page and "run-progress" not in page

    positions = analyst_client.get(f"/admin/consultations/{SLUG}/synthesis/positions")
    assert positions.status_code == 200
    html = positions.get_data(as_text=True)
    assert "Kommune (Offentlig)" in html and "<svg" in html and "Netto enighet" in html

    themes_url = f"/admin/consultations/{SLUG}/synthesis/themes/2"
    assert analyst_client.get(themes_url).status_code == 200
    [question] = synthesis_runs.latest_result(small).result.themes
    theme = question.themes[0]
    edited = analyst_client.post(
        f"{themes_url}/edits",
        data={"kind": "rename", "theme": theme.theme_id, "label": "Flere helsesykepleiere"},
    )
    assert edited.status_code == 302
    assert "Flere helsesykepleiere" in analyst_client.get(themes_url).get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "synthesis.theme_edit")
        )
        == 1
    )

    _start(analyst_client, force="1")
    runs = _runs()
    assert [r.status for r in runs] == [RunStatus.DONE, RunStatus.DONE]
    assert synthesis_runs.latest_result(small).run.id == runs[-1].id
    assert "Flere helsesykepleiere" in analyst_client.get(themes_url).get_data(as_text=True)
    assert db.session.scalar(select(func.count(ThemeEdit.id))) == 1


def test_every_theme_edit_kind_is_applied(app, small, analyst_client, inline):
    _start(analyst_client)
    themes_url = f"/admin/consultations/{SLUG}/synthesis/themes/2"

    def themes():
        return synthesis_runs.latest_result(small).result.themes[0].themes

    first, second = themes()[:2]
    analyst_client.post(f"{themes_url}/edits", data={"kind": "reviewed", "theme": first.theme_id})
    assert any(t.reviewed for t in themes())
    first, second = themes()[:2]
    passage = second.passage_hashes[0]
    analyst_client.post(
        f"{themes_url}/edits",
        data={
            "kind": "move",
            "theme": second.theme_id,
            "passage": passage,
            "target": first.theme_id,
        },
    )
    holder = next(t for t in themes() if passage in t.passage_hashes)
    assert set(first.passage_hashes) <= set(holder.passage_hashes)
    biggest = max(themes(), key=lambda t: len(t.passage_hashes))
    analyst_client.post(
        f"{themes_url}/edits",
        data={
            "kind": "split",
            "theme": biggest.theme_id,
            "passage": list(biggest.passage_hashes[:2]),
            "label": "Utskilt",
        },
    )
    assert any(t.label == "Utskilt" for t in themes())
    count = len(themes())
    a, b = themes()[:2]
    analyst_client.post(
        f"{themes_url}/edits", data={"kind": "merge", "theme": a.theme_id, "other": b.theme_id}
    )
    assert len(themes()) == count - 1
    refused = analyst_client.post(
        f"{themes_url}/edits", data={"kind": "rename", "theme": "t-gone", "label": "X"}
    )
    assert refused.status_code == 302
    assert db.session.scalar(select(func.count(ThemeEdit.id))) == 4

    synthesis_runs.add_theme_edit(small, "2", RenameTheme(("gone",), "Borte"), created_by_id=None)
    db.session.commit()
    page = analyst_client.get(themes_url).get_data(as_text=True)
    assert "Endringer som ikke lenger passer" in page and "Borte" in page


def test_a_rerun_with_the_same_input_is_skipped_unless_forced(app, small, analyst_client, inline):
    _start(analyst_client)
    response = _start(analyst_client)
    assert len(_runs()) == 1
    page = analyst_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "samme resultat" in page
    _start(analyst_client, force="1")
    assert len(_runs()) == 2


def test_worker_once_claims_and_executes_a_queued_run(app, small, analyst_client, runner):
    app.config["SYNTHESIS_EXECUTOR"] = "worker"
    _start(analyst_client)
    [run] = _runs()
    assert run.status == RunStatus.QUEUED
    status = analyst_client.get(
        f"/admin/consultations/{SLUG}/synthesis/runs/{run.id}/status.json"
    ).get_json()
    assert status["status"] == "queued" and status["active"] is True
    page = analyst_client.get(f"/admin/consultations/{SLUG}/synthesis/runs/{run.id}").get_data(
        as_text=True
    )
    assert "synthesis.js" in page and "Oppdater siden" in page

    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    [run] = _runs()
    assert run.status == RunStatus.DONE
    assert synthesis_runs.claim(run.id) is False  # a second worker finds nothing to claim
    assert runner.invoke(args=["worker", "--once"]).output == ""


def test_a_failing_stage_marks_the_run_failed(app, small, analyst_client, inline, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("tabulation exploded")

    monkeypatch.setattr("synthesis.pipeline.tabulate", broken)
    response = _start(analyst_client)
    [run] = _runs()
    assert run.status == RunStatus.FAILED
    assert run.error == "RuntimeError: tabulation exploded" and run.finished_at is not None
    assert "tabulation exploded" in analyst_client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert synthesis_runs.latest_result(small) is None


def test_the_thread_executor_runs_off_the_request(app, small, analyst_client):
    app.config["SYNTHESIS_EXECUTOR"] = "thread"
    response = _start(analyst_client)
    assert response.status_code == 302
    [run] = _runs()
    workers = [t for t in threading.enumerate() if t.name == f"synthesis-run-{run.id}"]
    for worker in workers:
        worker.join(timeout=300)
    [run] = _runs()
    assert run.status == RunStatus.DONE
    assert run.result is not None


def test_latest_inputs_give_the_exports_a_summary_input(app, small, analyst_client, inline):
    assert synthesis_runs.latest_inputs(small) is None
    _start(analyst_client, campaigns_once="1")
    inputs = synthesis_runs.latest_inputs(small)
    [run] = _runs()
    assert inputs.run_id == str(run.id)
    assert inputs.parameters["count_campaigns_once"] is True
    assert inputs.parameters["input_hash"] == run.input_hash
    assert [t.question_code for t in inputs.tabulations] == ["1"]
    assert [q.question_code for q in inputs.themes] == ["2"]


def test_anonymous_is_refused(app, small, client):
    base = f"/admin/consultations/{SLUG}/synthesis"
    assert client.get(base).status_code == 302
    assert client.post(f"{base}/runs", data={"n_themes": "2"}).status_code == 302
    assert client.get(f"{base}/positions").status_code == 302
    assert _runs() == []


def test_analyst_is_allowed_and_finds_the_pages_from_the_consultation(app, small, analyst_client):
    base = f"/admin/consultations/{SLUG}/synthesis"
    assert analyst_client.get(base).status_code == 200
    assert analyst_client.get(f"{base}/positions").status_code == 302  # no run yet: to start
    consultation_page = analyst_client.get(f"/admin/consultations/{SLUG}").get_data(as_text=True)
    assert f'href="{base}"' in consultation_page


def test_starting_a_run_needs_the_csrf_token(migrated, small, analyst):
    csrf_app = make_app(migrated, WTF_CSRF_ENABLED=True, SYNTHESIS_EXECUTOR="worker")
    client = csrf_app.test_client()
    with csrf_app.app_context():
        login_page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
        signed_in = client.post(
            "/auth/login", data={"email": analyst.email, "password": PASSWORD, "csrf_token": token}
        )
        assert signed_in.status_code == 302
        url = f"/admin/consultations/{SLUG}/synthesis/runs"
        assert client.post(url).status_code == 400
        assert client.post(url, data={"csrf_token": token}).status_code == 302
        db.session.remove()
        db.engine.dispose()
    assert [run.status for run in _runs()] == [RunStatus.QUEUED]


def test_invalid_number_of_themes_is_refused(app, small, analyst_client, inline):
    response = _start(analyst_client, n_themes="1")
    assert response.status_code == 302
    assert _runs() == []


def test_cli_synthesize_demo_stores_a_done_run_and_prints_the_summary(app, runner, analyst_client):
    load_demo()
    db.session.commit()
    slug = "ledelse-kunnskapsbasert-praksis"
    result = runner.invoke(args=["synthesize", slug, "--themes", "2"])
    assert result.exit_code == 0, result.output
    output = result.output
    assert "Helt enig 8, Delvis enig 13, Hverken eller 3, Delvis uenig 2, Helt uenig 0" in output
    assert "Tid per steg" in output and "Stavanger kommune" in output
    [run] = _runs()
    assert run.status == RunStatus.DONE and run.parameters["n_themes"] == 2

    again = runner.invoke(args=["synthesize", slug, "--themes", "2"])
    assert again.exit_code == 0 and "ingenting å gjøre" in again.output
    assert len(_runs()) == 1

    duplicates = analyst_client.get(f"/admin/consultations/{slug}/synthesis/duplicates").get_data(
        as_text=True
    )
    assert duplicates.count("Stavanger kommune") >= 2
    assert "/submissions/" in duplicates  # names link to the secretariat's submission page
    opinions = analyst_client.get(f"/admin/consultations/{slug}/synthesis/opinions")
    assert opinions.status_code == 200
    assert "Gruppe 1" in opinions.get_data(as_text=True)
    assert runner.invoke(args=["synthesize", "finnes-ikke"]).exit_code != 0
