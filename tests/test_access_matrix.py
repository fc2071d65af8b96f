"""Who may open what: every route of the app × four principals, with the outcome each must get.

Principals: an anonymous visitor; a respondent holding the private resume link of the response
they submitted through the real form (the link is their only credential: their session is as
anonymous as anyone's); an analyst; an admin. `ROUTES` names every endpoint of `app.url_map`
with the request that exercises it and the expected outcome per principal, so a route added
later without an entry fails `test_every_route_has_an_expectation`, naming the route.

Outcomes: an HTTP status, or `LOGIN` (302 to the sign-in page). A refused POST must change
nothing: the whole database is fingerprinted before and after it. Roles are checked before any
lookup (`roles_required` wraps the view), so a refusal never depends on whether the object
exists and never reveals it.

Destructive admin actions (erase, delete, move, toggle, status) act on a scratch consultation,
a spare user and a victim submission kept for that purpose, so the shared world stays the same
for the other cases whatever order they run in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from hearing.demo import DEMO_SLUG, load_demo
from hearing.extensions import db
from hearing.models import (
    Consultation,
    ResponsePage,
    Role,
    Status,
    Submission,
    SubmissionStatus,
    SynthesisRun,
)
from hearing.models.types import utcnow
from hearing.services import references, responses, synthesis_runs
from hearing.services.consultations import change_status
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Scale,
    Sector,
)
from tests.conftest import create_user, make_app, sign_in
from tests.publish_support import publish_now
from tests.respond_support import full_answer, make_consultation, token_from

PRINCIPALS = ("anonymous", "respondent", "analyst", "admin")
LOGIN = "login"  # a 302 to the sign-in page
PUBLISHED_SLUG = "publisert"
SCRATCH_SLUG = "kladd"
FORGED_TOKEN = "A" * 32
A_TEXT = "Respondent A sitt svar."
B_DRAFT_TEXT = "Respondent B sitt hemmelige utkast."


@dataclass
class World:
    """Real values for every URL parameter, and the sessions of the signed-in principals."""

    app: Flask
    token: str  # respondent A's private link (submitted)
    draft_token: str  # respondent B's private link (a draft)
    submission_id: int  # A's submission
    draft_id: int  # B's draft
    question_id: int  # a demo question
    run_id: int  # a done synthesis run of the demo
    theme_code: str  # a question code with themes in that run
    scratch_question_ids: dict[str, int] = field(default_factory=dict)
    scratch_category_ids: dict[str, int] = field(default_factory=dict)
    victim_id: int = 0  # an imported submission in the scratch consultation, for erasure
    spare_user_id: int = 0
    page_id: str = ""  # a published response's own page
    sessions: dict[str, str] = field(default_factory=dict)  # principal → session cookie


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def _scratch_consultation() -> tuple[dict[str, int], dict[str, int], int]:
    snapshot = ConsultationSnapshot(
        slug=SCRATCH_SLUG,
        title="Kladd",
        scale=Scale(),
        categories=(
            Category("Brukt", Sector.PUBLIC),
            Category("Flytt", Sector.PUBLIC),
            Category("Slett", Sector.PRIVATE),
        ),
        questions=(
            Question("1", "Brukt", QuestionKind.TEXT),
            Question("2", "Flytt", QuestionKind.TEXT),
            Question("3", "Slett", QuestionKind.TEXT),
        ),
    )
    consultation = create_consultation(snapshot, slug=SCRATCH_SLUG, status=Status.DRAFT)
    victim = Respondent("v", "Offer", "Brukt (Offentlig)", answers={"1": Answer("1", text="Ja")})
    (submission,) = add_respondents(consultation, [victim], external_prefix="scratch:")
    db.session.flush()
    questions = {q.text: q.id for q in consultation.questions}
    categories = {c.name: c.id for c in consultation.categories}
    return questions, categories, submission.id


def demo_answer(demo, text: str, **overrides: str) -> dict[str, Any]:
    """A complete response to the demo through its real form (its scale has no "Vet ikke")."""
    by_code = {q.code: q.id for q in demo.questions}
    return full_answer(
        demo, **{f"q{by_code['2']}_value": "1", f"q{by_code['1.a']}_text": text}, **overrides
    )


def _post_response(app: Flask, slug: str, data: dict[str, Any]) -> str:
    """Answer through the real form, as a browser would; the private link's token."""
    response = app.test_client().post(f"/h/{slug}/svar", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return token_from(response.headers["Location"])


def _demo_run(demo) -> tuple[int, str]:
    requested = synthesis_runs.request_run(demo, synthesis_runs.run_parameters())
    db.session.commit()
    synthesis_runs.dispatch(requested.run.id)
    latest = synthesis_runs.latest_result(demo)
    assert latest is not None, db.session.get(SynthesisRun, requested.run.id).error
    code = next(q.question_code for q in latest.result.themes if q.themes)
    return latest.run.id, code


@pytest.fixture(scope="module")
def world(migrated: str) -> Iterator[World]:
    """Requests run outside any pushed app context, as in production: each gets its own `g`, so
    one client's sign-in can never be seen by another client's request."""
    app = make_app(migrated, SYNTHESIS_EXECUTOR="inline")
    with app.app_context():
        _empty_tables()
        demo, _, _ = load_demo()
        published = make_consultation(slug=PUBLISHED_SLUG)
        db.session.commit()
        answer_a = demo_answer(demo, A_TEXT)
        draft_b = demo_answer(demo, B_DRAFT_TEXT, idempotency_key="d" * 32, action="draft")
        published_answers = [full_answer(published, idempotency_key=f"{i}" * 32) for i in (1, 2)]
    token = _post_response(app, DEMO_SLUG, answer_a)
    draft_token = _post_response(app, DEMO_SLUG, draft_b)
    for data in published_answers:
        _post_response(app, PUBLISHED_SLUG, data)
    with app.app_context():
        published = db.session.scalar(
            select(Consultation).where(Consultation.slug == PUBLISHED_SLUG)
        )
        change_status(published, Status.CLOSED)
        publish_now(published)
        demo = db.session.scalar(select(Consultation).where(Consultation.slug == DEMO_SLUG))
        run_id, theme_code = _demo_run(demo)
        questions, categories, victim_id = _scratch_consultation()
        create_user("admin@example.no", Role.ADMIN)
        create_user("analyst@example.no", Role.ANALYST)
        spare = create_user("spare@example.no", Role.ANALYST)
        built = World(
            app=app,
            token=token,
            draft_token=draft_token,
            submission_id=responses.find_by_token(demo, token).id,
            draft_id=responses.find_by_token(demo, draft_token).id,
            question_id=demo.questions[0].id,
            run_id=run_id,
            theme_code=theme_code,
            scratch_question_ids=questions,
            scratch_category_ids=categories,
            victim_id=victim_id,
            spare_user_id=spare.id,
            page_id=db.session.scalars(select(ResponsePage.page_id)).first() or "",
        )
        db.session.commit()
    for principal in ("analyst", "admin"):
        built.sessions[principal] = _signed_in_cookie(app, principal)
    yield built
    with app.app_context():
        _empty_tables()
        db.engine.dispose()


def _signed_in_cookie(app: Flask, principal: str) -> str:
    client = app.test_client()
    sign_in(client, f"{principal}@example.no")
    return client.get_cookie("session").value


def client_of(world: World, principal: str, *, own_session: bool = False) -> FlaskClient:
    """A fresh client per request, so a language choice never leaks into the next.

    Staff share one session each; a case that ends its session signs in anew (`own_session`).
    """
    client = world.app.test_client()
    if principal in world.sessions:
        if own_session:
            sign_in(client, f"{principal}@example.no")
        else:
            client.set_cookie("session", world.sessions[principal], domain="localhost")
    return client


def fingerprint(app: Flask) -> str:
    """A digest of every row of every table: equal before and after means nothing changed."""
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(table.select().order_by(*table.primary_key.columns)).all()
            digest.update(repr((table.name, [tuple(row) for row in rows])).encode())
    return digest.hexdigest()


# The matrix ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    method: str
    url: Callable[[World, str], str]  # (world, principal) → path
    expect: dict[str, int | str]
    data: dict[str, Any] = field(default_factory=dict)
    own_session: bool = False  # the request ends the session it is made in


def everyone(status: int) -> dict[str, int | str]:
    return dict.fromkeys(PRINCIPALS, status)


def staff(*, analyst: int, admin: int) -> dict[str, int | str]:
    return {"anonymous": LOGIN, "respondent": LOGIN, "analyst": analyst, "admin": admin}


ADMIN_ONLY = staff(analyst=403, admin=200)
READERS = staff(analyst=200, admin=200)
ADMIN_ACTION = staff(analyst=403, admin=302)
READER_ACTION = staff(analyst=302, admin=302)
TOKEN_HOLDER = {"anonymous": 404, "respondent": 200, "analyst": 404, "admin": 404}


def path(template: str) -> Callable[[World, str], str]:
    """A URL template filled from the world: {demo}, {token} (the principal's own), {run} …"""

    def build(world: World, principal: str) -> str:
        return template.format(
            demo=DEMO_SLUG,
            published=PUBLISHED_SLUG,
            scratch=SCRATCH_SLUG,
            token=world.token if principal == "respondent" else FORGED_TOKEN,
            submission=world.submission_id,
            question=world.question_id,
            run=world.run_id,
            code=world.theme_code,
            victim=world.victim_id,
            move_question=world.scratch_question_ids["Flytt"],
            delete_question=world.scratch_question_ids["Slett"],
            move_category=world.scratch_category_ids["Flytt"],
            delete_category=world.scratch_category_ids["Slett"],
            spare_user=world.spare_user_id,
            page=world.page_id,
        )

    return build


D = "/admin/consultations/{demo}"
K = "/admin/consultations/{scratch}"
ROUTES: dict[str, Case] = {
    # Public pages and the respondent's journey.
    "public.index": Case("GET", path("/"), everyone(200)),
    "public.consultation": Case("GET", path("/h/{demo}"), everyone(200)),
    "public.respond": Case("GET", path("/h/{demo}/svar"), everyone(200)),
    "public.resume": Case("GET", path("/h/{demo}/svar/{token}"), TOKEN_HOLDER),
    "public.receipt": Case("GET", path("/h/{demo}/svar/{token}/kvittering"), TOKEN_HOLDER),
    "public.withdraw": Case("GET", path("/h/{demo}/svar/{token}/trekk"), TOKEN_HOLDER),
    "public.summary_page": Case("GET", path("/h/{published}/oppsummering"), everyone(200)),
    "public.mail_links": Case("GET", path("/h/{demo}/lenke"), everyone(200)),
    "public.summary_download": Case("GET", path("/h/{published}/oppsummering.csv"), everyone(200)),
    "public.response_list": Case("GET", path("/h/{published}/horingssvar"), everyone(200)),
    "public.response_page": Case("GET", path("/h/{published}/horingssvar/{page}"), everyone(200)),
    # The published responses came through the web form: there is no letter to download.
    "public.response_original": Case(
        "GET", path("/h/{published}/horingssvar/{page}/original"), everyone(404)
    ),
    "set_language": Case("GET", path("/language/en"), everyone(302)),
    "static": Case("GET", path("/static/style.css"), everyone(200)),
    "health.healthz": Case("GET", path("/healthz"), everyone(200)),
    "auth.login": Case("GET", path("/auth/login"), everyone(200)),
    "auth.logout": Case(
        "POST", path("/auth/logout"), staff(analyst=302, admin=302), own_session=True
    ),
    # The secretariat: reading.
    "admin.consultations": Case("GET", path("/admin/"), READERS),
    "admin.consultation": Case("GET", path(D), READERS),
    "admin.submissions": Case("GET", path(D + "/submissions"), READERS),
    "admin.submission": Case("GET", path(D + "/submissions/{submission}"), READERS),
    "admin.exports": Case("GET", path(D + "/exports"), READERS),
    "admin.export_download": Case("GET", path(D + "/export.xlsx"), READERS),
    "admin.synthesis": Case("GET", path(D + "/synthesis"), READERS),
    "admin.synthesis_run": Case("GET", path(D + "/synthesis/runs/{run}"), READERS),
    "admin.synthesis_run_status": Case(
        "GET", path(D + "/synthesis/runs/{run}/status.json"), READERS
    ),
    "admin.synthesis_positions": Case("GET", path(D + "/synthesis/positions"), READERS),
    "admin.synthesis_duplicates": Case("GET", path(D + "/synthesis/duplicates"), READERS),
    "admin.synthesis_opinions": Case("GET", path(D + "/synthesis/opinions"), READERS),
    "admin.synthesis_themes": Case("GET", path(D + "/synthesis/themes/{code}"), READERS),
    "admin.publication": Case("GET", path(D + "/publication"), READERS),
    "admin.publication_run": Case("POST", path(D + "/publication/run"), READER_ACTION),
    "admin.publish": Case("POST", path(D + "/publication/publish"), ADMIN_ACTION),
    "admin.withdraw_publication": Case(
        "POST", path(D + "/publication/withdraw"), staff(analyst=403, admin=422)
    ),
    # The secretariat: admin-only pages (forms are opened with GET).
    "admin.new_consultation": Case("GET", path("/admin/consultations/new"), ADMIN_ONLY),
    "admin.edit_consultation": Case("GET", path(D + "/edit"), ADMIN_ONLY),
    "admin.new_question": Case("GET", path(D + "/questions/new"), ADMIN_ONLY),
    "admin.edit_question": Case("GET", path(D + "/questions/{question}/edit"), ADMIN_ONLY),
    "admin.new_category": Case("GET", path(D + "/categories/new"), ADMIN_ONLY),
    "admin.edit_category": Case("GET", path(K + "/categories/{move_category}/edit"), ADMIN_ONLY),
    "admin.new_submission": Case("GET", path(D + "/submissions/new"), ADMIN_ONLY),
    # A's response came through the web form: the respondent's to edit, not the secretariat's.
    "admin.correct_submission": Case(
        "GET", path(D + "/submissions/{submission}/edit"), staff(analyst=403, admin=404)
    ),
    "admin.submission_data": Case(
        "GET", path(D + "/submissions/{submission}/data.json"), ADMIN_ONLY
    ),
    "admin.import_compiled": Case("GET", path("/admin/import/compiled"), ADMIN_ONLY),
    "admin.import_responses": Case("GET", path("/admin/import/responses"), ADMIN_ONLY),
    # No upload is pending in any session here, so the admin gets a 404, not a file.
    "admin.import_responses_rejected": Case(
        "GET",
        path("/admin/import/responses/rejected?token=" + "0" * 32),
        staff(analyst=403, admin=404),
    ),
    # No upload is pending either: the admin is sent back to the upload page.
    "admin.import_responses_consent": Case(
        "POST", path("/admin/import/responses/consent"), ADMIN_ACTION
    ),
    "admin.users": Case("GET", path("/admin/users"), ADMIN_ONLY),
    "admin.audit_log": Case("GET", path("/admin/audit"), ADMIN_ONLY),
    "admin.outbox_page": Case("GET", path("/admin/outbox"), ADMIN_ONLY),
    "admin.mail_settings": Case("GET", path("/admin/mail-settings"), READERS),
    "admin.invitees_page": Case("GET", path(D + "/invitees"), READERS),
    # State-changing POSTs. The data would make a real change if the principal were allowed.
    "admin.set_status": Case("POST", path(K + "/status"), ADMIN_ACTION, {"status": "open"}),
    "admin.add_category_preset": Case("POST", path(K + "/categories/preset"), ADMIN_ACTION),
    "admin.move_category": Case(
        "POST", path(K + "/categories/{move_category}/move"), ADMIN_ACTION, {"direction": "up"}
    ),
    "admin.remove_category": Case(
        "POST", path(K + "/categories/{delete_category}/delete"), ADMIN_ACTION
    ),
    "admin.move_question": Case(
        "POST", path(K + "/questions/{move_question}/move"), ADMIN_ACTION, {"direction": "up"}
    ),
    "admin.remove_question": Case(
        "POST", path(K + "/questions/{delete_question}/delete"), ADMIN_ACTION
    ),
    "admin.erase_submission": Case("POST", path(K + "/submissions/{victim}/erase"), ADMIN_ACTION),
    # Hiding needs a reason: the admin's empty form is refused with 422 (access granted).
    "admin.hide_submission": Case(
        "POST", path(D + "/submissions/{submission}/hide"), staff(analyst=403, admin=422)
    ),
    "admin.unhide_submission": Case(
        "POST", path(D + "/submissions/{submission}/unhide"), ADMIN_ACTION
    ),
    # Redaction is the admin's: question 0 and redaction 0 do not exist (404 after the role
    # check); a name redaction without a reason is refused with a message (302, no change).
    "admin.redact": Case(
        "POST",
        path(D + "/submissions/{submission}/redactions"),
        staff(analyst=403, admin=404),
        {"target": "q0", "words": "svar", "reason": "name"},
    ),
    "admin.redact_name": Case(
        "POST", path(D + "/submissions/{submission}/redactions/name"), ADMIN_ACTION
    ),
    "admin.remove_redaction": Case(
        "POST",
        path(D + "/submissions/{submission}/redactions/0/delete"),
        staff(analyst=403, admin=404),
    ),
    "admin.toggle_user": Case("POST", path("/admin/users/{spare_user}/toggle"), ADMIN_ACTION),
    # The høringsliste of the scratch consultation: an upload without a file is refused with
    # 422; invitations to a draft are refused with a message (302); invitee 0 does not exist.
    "admin.invitees_upload": Case(
        "POST", path(K + "/invitees/upload"), staff(analyst=403, admin=422)
    ),
    "admin.invitees_add": Case(
        "POST", path(K + "/invitees/new"), ADMIN_ACTION, {"name": "Barneombudet"}
    ),
    "admin.invitee_delete": Case(
        "POST", path(K + "/invitees/0/delete"), staff(analyst=403, admin=404)
    ),
    "admin.invitee_match": Case(
        "POST", path(K + "/invitees/0/match"), staff(analyst=403, admin=404)
    ),
    "admin.invitees_invite": Case("POST", path(K + "/invitees/invite"), ADMIN_ACTION),
    "admin.invitees_settings": Case(
        "POST", path(K + "/invitees/settings"), ADMIN_ACTION, {"list_not_answered": "y"}
    ),
    # No message 0 exists: the admin gets 404 after the role check.
    "admin.resend_message": Case(
        "POST", path("/admin/outbox/0/resend"), staff(analyst=403, admin=404)
    ),
    "admin.confirm_import_compiled": Case(
        "POST", path("/admin/import/compiled/confirm"), ADMIN_ACTION, {"token": "0" * 32}
    ),
    "admin.confirm_import_responses": Case(
        "POST", path("/admin/import/responses/confirm"), ADMIN_ACTION, {"token": "0" * 32}
    ),
    # Analysts run the synthesis and correct themes too. The same input reuses the stored run;
    # an edit naming no theme is refused with a message.
    "admin.start_synthesis": Case("POST", path(D + "/synthesis/runs"), READER_ACTION),
    # The demo's run is done: cancelling it changes nothing and redirects to its page.
    "admin.cancel_synthesis_run": Case(
        "POST", path(D + "/synthesis/runs/{run}/cancel"), READER_ACTION
    ),
    "admin.edit_theme": Case(
        "POST", path(D + "/synthesis/themes/{code}/edits"), READER_ACTION, {"kind": "rename"}
    ),
    # Coding: analysts and admins alike. A new code goes into the scratch consultation (the
    # second principal's is refused as a duplicate, still 302). Codes, answers, tags and notes
    # are named by ids that do not exist here: staff get 404, which shows the role check passed
    # (tests/test_coding_pages.py codes real answers as both roles).
    "admin.coding": Case("GET", path(D + "/coding"), READERS),
    "admin.coding_question": Case("GET", path(D + "/coding/questions/{code}"), READERS),
    "admin.coding_summary": Case("GET", path(D + "/coding/summary"), READERS),
    "admin.coding_download": Case("GET", path(D + "/coding/koder.csv"), READERS),
    "admin.coding_add_code": Case(
        "POST", path(K + "/coding/codes"), READER_ACTION, {"name": "Tema"}
    ),
    "admin.coding_update_code": Case(
        "POST", path(K + "/coding/codes/0"), staff(analyst=404, admin=404)
    ),
    "admin.coding_move_code": Case(
        "POST", path(K + "/coding/codes/0/move"), staff(analyst=404, admin=404)
    ),
    "admin.coding_delete_code": Case(
        "POST", path(K + "/coding/codes/0/delete"), staff(analyst=404, admin=404)
    ),
    "admin.coding_tag": Case(
        "POST", path(K + "/coding/answers/0/tags"), staff(analyst=404, admin=404)
    ),
    "admin.coding_untag": Case(
        "POST", path(K + "/coding/tags/0/delete"), staff(analyst=404, admin=404)
    ),
    "admin.coding_add_note": Case(
        "POST", path(K + "/coding/answers/0/notes"), staff(analyst=404, admin=404)
    ),
    "admin.coding_delete_note": Case(
        "POST", path(K + "/coding/notes/0/delete"), staff(analyst=404, admin=404)
    ),
    "admin.coding_review": Case(
        "POST", path(K + "/coding/answers/0/review"), staff(analyst=404, admin=404)
    ),
    # Letters: registering and reviewing are the admin's. A's web response is no letter and
    # has no file 0, so the admin gets 404 after the role check; analysts read files too.
    "admin.letters_page": Case("GET", path(D + "/letters"), ADMIN_ONLY),
    "admin.letters_settings": Case(
        "POST", path(K + "/letters/settings"), ADMIN_ACTION, {"letters_alone": "y"}
    ),
    "admin.letters_general_question": Case(
        "POST", path(K + "/letters/general-question"), ADMIN_ACTION
    ),
    "admin.letter_review": Case(
        "GET", path(D + "/letters/{submission}"), staff(analyst=403, admin=404)
    ),
    "admin.letter_read_again": Case(
        "POST", path(D + "/letters/{submission}/read-again"), staff(analyst=403, admin=404)
    ),
    "admin.attachment_file": Case(
        "GET", path(D + "/submissions/{submission}/files/0"), staff(analyst=404, admin=404)
    ),
    # A file of one's own response is removed with the private link; there is no file 0.
    "public.remove_attachment": Case(
        "POST", path("/h/{demo}/svar/{token}/vedlegg/0/slett"), everyone(404)
    ),
}


def test_every_route_has_an_expectation(world: World) -> None:
    rules = {rule.endpoint: rule for rule in world.app.url_map.iter_rules()}
    missing = sorted(set(rules) - set(ROUTES))
    assert not missing, "Routes without an access expectation in tests/test_access_matrix.py: " + (
        ", ".join(f"{name} ({rules[name].rule} {sorted(rules[name].methods)})" for name in missing)
    )
    gone = sorted(set(ROUTES) - set(rules))
    assert not gone, f"Expectations for routes that no longer exist: {', '.join(gone)}"
    for name, case in ROUTES.items():
        assert case.method in rules[name].methods, f"{name} does not take {case.method}"
        assert set(case.expect) == set(PRINCIPALS), name


def _outcome(response) -> int | str:
    if response.status_code == 302 and "/auth/login" in response.headers.get("Location", ""):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_access(world: World, endpoint: str, principal: str) -> None:
    case = ROUTES[endpoint]
    url = case.url(world, principal)
    client = client_of(world, principal, own_session=case.own_session)
    expected = case.expect[principal]
    refused = case.method == "POST" and expected in (LOGIN, 403, 404)
    before = fingerprint(world.app) if refused else None
    response = client.open(url, method=case.method, data=case.data)
    assert _outcome(response) == expected, (
        f"{principal} {case.method} {url}: got {response.status_code} "
        f"{response.headers.get('Location', '')}, expected {expected}"
    )
    if refused:
        assert fingerprint(world.app) == before, (
            f"{principal} was refused {url} yet something changed"
        )
    if case.own_session and principal in world.sessions:
        # Signing out ends every session of the user, the shared one too: sign that in again.
        world.sessions[principal] = _signed_in_cookie(world.app, principal)


@pytest.mark.parametrize("principal", ["anonymous", "admin"])
def test_other_methods_are_not_allowed(world: World, principal: str) -> None:
    """A GET-only route answers POST with 405 and a POST-only route answers GET with 405."""
    client = client_of(world, principal)
    before = fingerprint(world.app)
    for endpoint, case in ROUTES.items():
        rule = next(r for r in world.app.url_map.iter_rules() if r.endpoint == endpoint)
        other = "GET" if "GET" not in rule.methods else "POST" if "POST" not in rule.methods else ""
        if other:
            response = client.open(case.url(world, principal), method=other)
            assert response.status_code == 405, f"{other} {endpoint}: {response.status_code}"
    assert fingerprint(world.app) == before


# A resume link opens its own response and nothing else -----------------------------------------


def _variants(token: str) -> list[str]:
    return [
        token[:-1],
        token + "A",
        token.swapcase(),
        token[1:] + token[0],
        token + "%00",
    ]


def test_resume_link_opens_only_its_own_response(world: World) -> None:
    client = client_of(world, "respondent")
    own = client.get(f"/h/{DEMO_SLUG}/svar/{world.token}")
    assert own.status_code == 200
    assert A_TEXT in own.get_data(as_text=True)
    assert B_DRAFT_TEXT not in own.get_data(as_text=True)
    # The same token under another consultation's address opens nothing.
    for slug in (PUBLISHED_SLUG, SCRATCH_SLUG, "finnes-ikke"):
        for suffix in ("", "/kvittering", "/trekk"):
            assert client.get(f"/h/{slug}/svar/{world.token}{suffix}").status_code == 404
    # Near misses of the token open nothing either (no prefix or case-insensitive matching).
    for variant in _variants(world.token):
        response = client.get(f"/h/{DEMO_SLUG}/svar/{variant}/kvittering")
        # A NUL character is refused as a bad request before any lookup; the rest are unknown.
        expected = 400 if "%00" in variant else 404
        assert response.status_code == expected, variant
        assert A_TEXT not in response.get_data(as_text=True)


def test_another_respondents_draft_stays_private(world: World) -> None:
    """B's draft opens only with B's link: not with A's link, not for the secretariat (drafts are
    the respondent's own until submitted), and its text reaches no page or download."""
    respondent = client_of(world, "respondent")
    draft = respondent.get(f"/h/{DEMO_SLUG}/svar/{world.draft_token}")
    assert B_DRAFT_TEXT in draft.get_data(as_text=True)  # only because this client has B's link
    for suffix in ("", "/kvittering", "/trekk"):
        page = respondent.get(f"/h/{DEMO_SLUG}/svar/{world.token}{suffix}")
        assert B_DRAFT_TEXT not in page.get_data(as_text=True)
    for principal in ("analyst", "admin"):
        staff_client = client_of(world, principal)
        detail = staff_client.get(f"/admin/consultations/{DEMO_SLUG}/submissions/{world.draft_id}")
        assert detail.status_code == 404
        for url in (
            f"/admin/consultations/{DEMO_SLUG}/submissions?status=all",
            f"/admin/consultations/{DEMO_SLUG}/export.csv",
            f"/admin/consultations/{DEMO_SLUG}/export.json",
        ):
            assert B_DRAFT_TEXT not in staff_client.get(url).get_data(as_text=True), url


def test_a_new_post_never_lands_in_someone_elses_draft(world: World) -> None:
    """Without B's private form key a POST makes a new submission, so nobody can overwrite (or
    read back) B's draft by answering the same consultation."""
    data = {"respondent_name": "Inntrenger", "action": "draft", "idempotency_key": "e" * 32}
    response = client_of(world, "respondent").post(f"/h/{DEMO_SLUG}/svar", data=data)
    assert response.status_code == 302
    assert token_from(response.headers["Location"]) not in (world.token, world.draft_token)
    with world.app.app_context():
        draft = db.session.get(Submission, world.draft_id)
        assert draft.status == SubmissionStatus.DRAFT and draft.respondent_name != "Inntrenger"
        assert any(answer.text == B_DRAFT_TEXT for answer in draft.answers)


# Resume tokens are compared without a timing side channel --------------------------------------


def test_resume_tokens_are_compared_by_hash(world: World) -> None:
    """Why a token check leaks nothing through its timing.

    `find_by_token` never compares the secret token itself: it computes SHA-256 of the presented
    token and looks that digest up in the unique (indexed) `resume_token_hash` column. Any
    timing difference of the index lookup depends on how the *digest* of the guess relates to
    stored digests; because SHA-256 is preimage resistant, learning a digest's prefix tells an
    attacker nothing about which token produces it, so timing cannot be used to approach a
    valid token byte by byte. The raw token is never sent to the database either (it is not in
    any SQL parameter), so it is not in query logs.
    """
    demo_token = world.token
    seen: list[Any] = []

    def remember(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(parameters)

    with world.app.app_context():
        consultation = db.session.get(Submission, world.submission_id).consultation
        event.listen(db.engine, "before_cursor_execute", remember)
        try:
            found = responses.find_by_token(consultation, demo_token)
        finally:
            event.remove(db.engine, "before_cursor_execute", remember)
        assert found is not None and found.id == world.submission_id
        assert found.resume_token_hash == references.hash_token(demo_token)
    flat = repr(seen)
    assert demo_token not in flat
    assert references.hash_token(demo_token) in flat
    column = Submission.__table__.c.resume_token_hash
    assert column.unique, "the hash column must be unique (and therefore indexed)"


def _set_deadline(world: World, closes_at) -> None:
    """Move the demo's deadline; the status is set open again, as a request after a passed
    deadline stores it closed (hearing.services.consultations.settle_statuses)."""
    with world.app.app_context():
        demo = db.session.scalar(select(Consultation).where(Consultation.slug == DEMO_SLUG))
        demo.closes_at = closes_at
        demo.status = Status.OPEN
        db.session.commit()


def test_after_the_deadline_a_link_still_opens_only_its_own_response(world: World) -> None:
    with world.app.app_context():
        closes_at = db.session.get(Submission, world.submission_id).consultation.closes_at
    _set_deadline(world, utcnow() - timedelta(minutes=1))
    try:
        client = client_of(world, "respondent")
        own = client.get(f"/h/{DEMO_SLUG}/svar/{world.token}")
        assert own.status_code == 200 and A_TEXT in own.get_data(as_text=True)
        assert B_DRAFT_TEXT not in own.get_data(as_text=True)
        assert client.get(f"/h/{DEMO_SLUG}/svar/{FORGED_TOKEN}").status_code == 404
    finally:
        _set_deadline(world, closes_at)
