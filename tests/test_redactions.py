"""Redaction on the reading page, and every published response on a page of its own.

A small published consultation: an organisation that names a child's diagnosis, a private
person who may be published anonymously, one who refused publication, and a letter. The
secretariat redacts through the pages as an admin would; what the public gets is read back
through the public pages and downloads.
"""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import (
    Attachment,
    AuditEvent,
    Consultation,
    Redaction,
    ResponsePage,
    Status,
    Submission,
)
from hearing.services import publication as publishing
from hearing.services import redactions
from hearing.services.redactions import Marking
from hearing.services.snapshots import add_respondents, create_consultation
from synthesis.snapshot import (
    Answer,
    Category,
    Consent,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Sector,
)
from tests.publish_support import publish_now

SLUG = "sladding"
DIAGNOSIS = "Sønnen min Ola har epilepsi og trenger tilrettelegging i skolehverdagen."
ORGANISATION = Category("Organisasjon", Sector.PRIVATE)
PRIVATE = Category("Privatperson", Sector.INDIVIDUAL)
LETTER_TEXT = "Foreningen for Skolehelse mener at Ola og andre barn trenger helsesøster hver dag."
LETTER_BYTES = b"%PDF-1.4 the original letter"
HEALTH = Marking("health", words="epilepsi")


def _build() -> Consultation:
    snapshot = ConsultationSnapshot(
        slug=SLUG,
        title="Høring om skolehelse",
        categories=(ORGANISATION, PRIVATE),
        questions=(
            Question("1", "Hvor enig er du?", QuestionKind.SCALE_TEXT),
            Question("2", "Andre kommentarer?", QuestionKind.TEXT),
        ),
    )
    consultation = create_consultation(snapshot, slug=SLUG, status=Status.CLOSED)
    add_respondents(
        consultation,
        [
            Respondent(
                key="org",
                name="Foreningen for Skolehelse",
                category=ORGANISATION.label,
                answers={
                    "1": Answer("1", value=0, text=DIAGNOSIS),
                    "2": Answer("2", text="Ola trenger en fast helsesøster på skolen."),
                },
            ),
            Respondent(
                key="anon",
                name="Petra Privat",
                category=PRIVATE.label,
                consent=Consent.ANONYMOUS,
                answers={"1": Answer("1", value=1, text="Skolen trenger flere helsesøstre.")},
            ),
            Respondent(
                key="refused",
                name="Rolf Refusert",
                category=PRIVATE.label,
                consent=Consent.NONE,
                answers={"1": Answer("1", value=4, text="Vil ikke publiseres, hemmelig.")},
            ),
        ],
    )
    db.session.commit()
    return consultation


def _submission(name: str) -> Submission:
    return db.session.scalars(select(Submission).where(Submission.respondent_name == name)).one()


def _question_id(consultation: Consultation, code: str) -> int:
    return next(q.id for q in consultation.questions if q.code == code)


def _page_links(client: FlaskClient) -> list[str]:
    listing = client.get(f"/h/{SLUG}/horingssvar")
    assert listing.status_code == 200
    return sorted(set(re.findall(r'href="(/h/[^"]+/horingssvar/[^"/]+)"', listing.text)))


def _page_of(client: FlaskClient, name: str) -> str:
    for link in _page_links(client):
        page = client.get(link).text
        if name in page:
            return link
    raise AssertionError(f"no page for {name}")


def _public_text(client: FlaskClient) -> str:
    pages = [client.get(link).text for link in _page_links(client)]
    summary = client.get(f"/h/{SLUG}/oppsummering").text
    data = client.get(f"/h/{SLUG}/oppsummering.json").text
    csv = client.get(f"/h/{SLUG}/oppsummering.csv").text
    return "\n".join([*pages, summary, data, csv, client.get(f"/h/{SLUG}").text])


def test_a_selected_span_is_redacted_everywhere_public_at_once(app, client, admin_client):
    consultation = _build()
    first = publish_now(consultation)
    assert "epilepsi" in _public_text(client)
    org = _submission("Foreningen for Skolehelse")
    start = DIAGNOSIS.index("epilepsi")
    posted = admin_client.post(
        f"/admin/consultations/{SLUG}/submissions/{org.id}/redactions",
        data={
            "target": f"q{_question_id(consultation, '1')}",
            "start": start,
            "end": start + len("epilepsi"),
            "words": "epilepsi",
            "reason": "health",
        },
    )
    assert posted.status_code == 302
    current = publishing.current_publication(consultation)
    assert current.number == first.number + 1  # republished at once
    public = _public_text(client)
    assert "epilepsi" not in public and "Ola har [sladdet] og trenger" in public
    # The secretariat still reads the words, marked as redacted.
    reading = admin_client.get(f"/admin/consultations/{SLUG}/submissions/{org.id}").text
    assert '<mark class="redacted">epilepsi</mark>' in reading
    assert "Helseopplysninger" in reading
    # Audited: who, where, why; never the words.
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "redaction.add"))
    assert event.actor == "admin@example.no"
    assert event.details["reason"] == "health" and event.details["where"] == "1"
    assert "epilepsi" not in repr(event.details)


def test_given_words_are_redacted_wherever_they_occur_in_that_text(app, client, admin_client):
    consultation = _build()
    publish_now(consultation)
    org = _submission("Foreningen for Skolehelse")
    for code in ("1", "2"):
        admin_client.post(
            f"/admin/consultations/{SLUG}/submissions/{org.id}/redactions",
            data={
                "target": f"q{_question_id(consultation, code)}",
                "words": "Ola",
                "reason": "third_party",
            },
        )
    assert len(redactions.redactions_of(org)) == 2
    assert re.search(r"\bOla\b", _public_text(client)) is None


def test_a_redaction_is_refused_without_a_reason_or_when_the_text_changed(app, admin_client):
    consultation = _build()
    org = _submission("Foreningen for Skolehelse")
    url = f"/admin/consultations/{SLUG}/submissions/{org.id}/redactions"
    target = f"q{_question_id(consultation, '1')}"
    other = admin_client.post(url, data={"target": target, "words": "Ola", "reason": "other"})
    assert other.status_code == 302
    page = admin_client.get(other.headers["Location"]).text
    assert "Skriv hvorfor teksten sladdes." in page
    stale = admin_client.post(
        url, data={"target": target, "start": 0, "end": 6, "words": "Datter", "reason": "name"}
    )
    assert (
        "Svaret er endret siden siden ble lastet"
        in admin_client.get(stale.headers["Location"]).text
    )
    missing = admin_client.post(url, data={"target": target, "words": "Kari", "reason": "name"})
    assert "Ordene finnes ikke i teksten" in admin_client.get(missing.headers["Location"]).text
    assert db.session.scalars(select(Redaction)).all() == []


def test_a_redaction_whose_text_changed_is_flagged_and_still_hides(app, client, admin_client):
    consultation = _build()
    publish_now(consultation)
    org = _submission("Foreningen for Skolehelse")
    answer = next(a for a in org.answers if a.question.code == "1")
    redactions.redact_answer(org, answer.question, HEALTH)
    db.session.commit()
    # The letter is corrected: the words move. The span is stale; its words are still hidden.
    answer.text = "Rettet: " + DIAGNOSIS
    publish_now(consultation)
    (state,) = redactions.states_of(org)
    assert state.stale
    assert "epilepsi" not in _public_text(client)
    reading = admin_client.get(f"/admin/consultations/{SLUG}/submissions/{org.id}").text
    assert "Teksten er endret – se over" in reading
    publication_page = admin_client.get(f"/admin/consultations/{SLUG}/publication").text
    assert org.reference in publication_page
    # Rewritten without the words: the whole answer stays hidden until the secretariat looks.
    answer.text = "Sønnen min har en kronisk sykdom som skolen ikke følger opp."
    publish_now(consultation)
    assert "kronisk sykdom" not in _public_text(client)
    assert redactions.states_of(org)[0].stale


def test_removing_a_redaction_leaves_the_edition_out_of_date(app, client, admin_client):
    consultation = _build()
    publish_now(consultation)
    org = _submission("Foreningen for Skolehelse")
    answer = next(a for a in org.answers if a.question.code == "1")
    (made,) = redactions.redact_answer(org, answer.question, HEALTH)
    db.session.commit()
    current = publishing.current_publication(consultation)
    assert publishing.out_of_date_reasons(consultation, current) == []
    removed = admin_client.post(
        f"/admin/consultations/{SLUG}/submissions/{org.id}/redactions/{made.id}/delete"
    )
    assert removed.status_code == 302
    assert publishing.current_publication(consultation).number == current.number
    assert "Sladdingen av svar er endret." in publishing.out_of_date_reasons(consultation, current)
    assert "epilepsi" not in _public_text(client)  # until the secretariat republishes
    events = db.session.scalars(select(AuditEvent.action)).all()
    assert "redaction.remove" in events


def test_a_redacted_name_publishes_the_response_anonymously(app, client, admin_client):
    consultation = _build()
    publish_now(consultation)
    org = _submission("Foreningen for Skolehelse")
    posted = admin_client.post(
        f"/admin/consultations/{SLUG}/submissions/{org.id}/redactions/name",
        data={"reason": "name"},
    )
    assert posted.status_code == 302
    public = _public_text(client)
    assert "Foreningen for Skolehelse" not in public
    assert "Privatperson 2" in public  # after Petra, who is "Privatperson 1"
    again = admin_client.post(
        f"/admin/consultations/{SLUG}/submissions/{org.id}/redactions/name",
        data={"reason": "name"},
    )
    assert "Navnet er allerede sladdet." in admin_client.get(again.headers["Location"]).text


def test_each_published_response_has_a_page_listed_on_the_consultation(app, client):
    consultation = _build()
    publish_now(consultation)
    links = _page_links(client)
    assert len(links) == 2  # the refused private person is not listed
    consultation_page = client.get(f"/h/{SLUG}").text
    assert "Høringssvar" in consultation_page and all(link in consultation_page for link in links)
    org_page = client.get(_page_of(client, "Foreningen for Skolehelse")).text
    assert "Helt enig" in org_page and DIAGNOSIS in org_page
    assert "Organisasjon (Privat)" in org_page
    anonymous = client.get(_page_of(client, "Privatperson 1")).text
    assert "Petra" not in anonymous and "Skolen trenger flere helsesøstre." in anonymous
    public = _public_text(client)
    assert "Rolf" not in public and "hemmelig" not in public
    # The address names nothing: not the reference, and it stays when republished.
    references = [s.reference for s in db.session.scalars(select(Submission))]
    assert not any(reference in link for link in links for reference in references)
    publish_now(consultation)
    assert _page_links(client) == links
    assert client.get(f"/h/{SLUG}/horingssvar/finnes-ikke").status_code == 404


def test_pages_of_a_withdrawn_or_hidden_response_are_gone(app, client):
    from hearing.services import responses

    consultation = _build()
    publish_now(consultation)
    org_link = _page_of(client, "Foreningen for Skolehelse")
    responses.set_hidden(_submission("Foreningen for Skolehelse"), True, "Personvern")
    db.session.commit()
    assert client.get(org_link).status_code == 404  # republished without it
    publishing.withdraw(consultation, actor="test", reason="Feil i tallene")
    db.session.commit()
    for link in (f"/h/{SLUG}/horingssvar", _anonymous_link(consultation)):
        gone = client.get(link)
        assert gone.status_code == 410 and "trukket tilbake" in gone.text


def _anonymous_link(consultation: Consultation) -> str:
    petra = _submission("Petra Privat")
    page = db.session.get(ResponsePage, petra.id)
    return f"/h/{SLUG}/horingssvar/{page.page_id}"


def _with_letter(consultation: Consultation, *, approved: bool) -> Submission:
    org = _submission("Foreningen for Skolehelse")
    db.session.add(
        Attachment(
            submission_id=org.id,
            filename="brev.pdf",
            kind="pdf",
            size=len(LETTER_BYTES),
            sha256="0" * 64,
            data=LETTER_BYTES,
            text=LETTER_TEXT,
            is_letter=True,
            publish_original=approved,
        )
    )
    db.session.commit()
    return org


def test_a_letters_original_is_offered_only_when_approved_and_unredacted(app, client):
    consultation = _build()
    org = _with_letter(consultation, approved=True)
    publish_now(consultation)
    link = _page_of(client, "Foreningen for Skolehelse")
    page = client.get(link).text
    assert LETTER_TEXT in page and f"{link}/original" in page
    original = client.get(f"{link}/original")
    assert original.status_code == 200 and original.data == LETTER_BYTES
    # A redaction in the letter: republished, the text redacted (in its answers too), and the
    # original, which cannot be redacted, is no longer offered.
    letter = db.session.scalars(select(Attachment)).one()
    redactions.redact_letter(org, letter, Marking("third_party", words="Ola"))
    db.session.commit()
    page = client.get(link).text
    assert "Ola" not in page and "mener at [sladdet] og andre barn" in page
    assert "/original" not in page
    assert client.get(f"{link}/original").status_code == 404
    assert "Ola" not in _public_text(client)


def test_an_unapproved_or_anonymous_letter_keeps_its_original(app, client):
    consultation = _build()
    _with_letter(consultation, approved=False)
    publish_now(consultation)
    link = _page_of(client, "Foreningen for Skolehelse")
    assert "/original" not in client.get(link).text
    assert client.get(f"{link}/original").status_code == 404


def test_the_respondents_data_holds_its_redactions_and_erasure_takes_them(app, client):
    from hearing.services.privacy import erase_respondent, respondent_data

    consultation = _build()
    publish_now(consultation)
    org = _submission("Foreningen for Skolehelse")
    answer = next(a for a in org.answers if a.question.code == "1")
    redactions.redact_answer(org, answer.question, HEALTH)
    db.session.commit()
    (held,) = respondent_data(org)["redactions"]
    assert held["redacted"] == "epilepsi" and held["reason"] == "health" and held["where"] == "1"
    link = _page_of(client, "Foreningen for Skolehelse")
    erase_respondent(org)
    db.session.commit()
    assert db.session.scalars(select(Redaction)).all() == []
    assert db.session.get(ResponsePage, org.id) is None
    assert client.get(link).status_code == 404
