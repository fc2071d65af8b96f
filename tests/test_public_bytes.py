"""Every public byte of a published consultation holds only what may be published.

One consultation with every kind of respondent state — named, anonymous, a private person
without consent to their name, refused publication, draft, withdrawn, hidden, erased, edited
(an earlier version), redacted words (in a campaign the synthesis quotes) and a redacted name —
each writing distinctive words, is synthesised and published the way a secretariat does it.
Then every public output is read as an attacker would: the summary page in both languages, the
four downloads in both languages (XLSX and DOCX unzipped, every part of them), the JSON, the
inline SVG charts, the list of responses and every response's own page. Words and names that
must not be public may appear nowhere; the words that may be public must be there (so the test
can fail).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import (
    Consultation,
    Publication,
    PublicationStatus,
    RunScope,
    Status,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    SynthesisRun,
    SynthesisRunPart,
)
from hearing.services import publication as publishing
from hearing.services import redactions, responses, synthesis_runs
from hearing.services.privacy import erase_respondent
from hearing.services.redactions import Marking
from hearing.services.run_results import decode_payload
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

SLUG = "offentlig"
ORGANISATION = Category("Organisasjon", Sector.PRIVATE)
PRIVATE = Category("Privatperson", Sector.INDIVIDUAL)
FORMATS = ("xlsx", "csv", "json", "docx")


@dataclass(frozen=True)
class State:
    """A respondent state: its name, its distinctive word, and whether it may be public."""

    name: str
    word: str
    public_name: bool
    public_word: bool


STATES = {
    "named": State("Alfa Kommune", "blåbærsyltetøy", True, True),
    "anonymous": State("Anne Anonym", "tyttebærsaft", False, True),
    "private": State("Petter Privat", "multekrem", False, True),
    "refused": State("Rolf Refusert", "zebrastripe", False, False),
    "draft": State("Dina Utkast", "kanelsnegle", False, False),
    "withdrawn": State("Trond Trukket", "trampoline", False, False),
    "hidden": State("Hilde Skjult", "krokodille", False, False),
    "erased": State("Erik Slettet", "sjiraff", False, False),
    "edited": State("Eva Endret", "bringebær", True, True),
    # Published by name, but the secretariat redacted this word in every answer.
    "redacted": State("Rita Sladdet", "epilepsimedisin", True, False),
    # Published, its words too, but the secretariat redacted the name.
    "nameless": State("Nora Navnløs", "solsikkefrø", False, True),
}
EARLIER_VERSION_WORD = "vulkanutbrudd"  # what "edited" wrote first, then replaced
EMAIL = "hemmelig@example.no"


TOPICS = {
    "blåbærsyltetøy": ("skole", "lærer", "undervisning", "klasserom"),
    "tyttebærsaft": ("sykehus", "lege", "pasient", "behandling"),
    "multekrem": ("vei", "trafikk", "buss", "kollektivtrafikk"),
    "zebrastripe": ("skog", "natur", "fjell", "villmark"),
    "kanelsnegle": ("kultur", "musikk", "teater", "kunst"),
    "trampoline": ("idrett", "fotball", "trening", "idrettshall"),
    "krokodille": ("havn", "båt", "fiske", "kyst"),
    "sjiraff": ("bolig", "husleie", "leilighet", "utleie"),
    "bringebær": ("energi", "strøm", "vindkraft", "nett"),
    EARLIER_VERSION_WORD: ("jordskjelv", "lava", "aske", "krater"),
    "epilepsimedisin": ("helsesøster", "skolehelsetjeneste", "tilrettelegging", "klassetur"),
    "solsikkefrø": ("hage", "blomst", "frø", "vanning"),
}
# The "redacted" respondents send the same long text to question 2: a campaign, whose template
# the synthesis would print with the redacted word in it.
CAMPAIGN = (
    "Vi foreldre i nærmiljøet krever at skolehelsetjenesten får nok helsesøstre til å følge opp "
    "barn som trenger epilepsimedisin i skoletiden. Tilrettelegging på klassetur og i "
    "friminuttene må være en rettighet, og kommunen må sette av penger til opplæring av lærere "
    "og assistenter slik at barn med epilepsimedisin får delta fullt ut i skolehverdagen."
)


def _text(word: str, number: int) -> str:
    """Sentences about a topic of the state's own, the word among them, so it would be a theme
    keyword or quote if the clustering saw it (each state writes its answers in other words)."""
    a, b, c, d = TOPICS[word]
    variants = (
        f"Vi mener {word} er avgjørende for {a} og {b}. Uten {word} blir {c} svakere.",
        f"Satsing på {word} gir bedre {b}, og {d} trenger mer {word} de neste årene.",
        f"Rapporten sier lite om {word}. {c.capitalize()} og {a} må få {word} prioritert.",
    )
    return variants[number % len(variants)]


def _respondents() -> list[Respondent]:
    made = []
    for state_key, state in STATES.items():
        for copy in range(3):
            consent = {
                "anonymous": Consent.ANONYMOUS,
                "private": Consent.ANONYMOUS,
                "refused": Consent.NONE,
            }.get(state_key, Consent.NAMED)
            category = PRIVATE if state_key in ("private", "anonymous") else ORGANISATION
            made.append(
                Respondent(
                    key=f"{state_key}-{copy}",
                    name=f"{state.name} {copy + 1}",
                    category=category.label,
                    on_behalf_of=f"{state.name} avdeling" if state_key == "refused" else "",
                    email=EMAIL,
                    consent=consent,
                    answers={
                        "1": Answer("1", value=copy % 5, text=_text(state.word, copy)),
                        "2": Answer(
                            "2",
                            text=CAMPAIGN
                            if state_key == "redacted"
                            else _text(state.word, copy + 3),
                        ),
                    },
                )
            )
    return made


def _build() -> Consultation:
    snapshot = ConsultationSnapshot(
        slug=SLUG,
        title="Høring om offentlighet",
        categories=(ORGANISATION, PRIVATE),
        questions=(
            Question("1", "Hvor enig er du?", QuestionKind.SCALE_TEXT),
            Question("2", "Andre kommentarer?", QuestionKind.TEXT),
        ),
    )
    consultation = create_consultation(snapshot, slug=SLUG, status=Status.CLOSED)
    submissions = add_respondents(consultation, _respondents())
    by_state: dict[str, list[Submission]] = {}
    for submission in submissions:
        state_key = next(
            k for k, s in STATES.items() if submission.respondent_name.startswith(s.name)
        )
        by_state.setdefault(state_key, []).append(submission)
    for submission in by_state["draft"]:
        submission.status = SubmissionStatus.DRAFT
    for submission in by_state["withdrawn"]:
        submission.status = SubmissionStatus.WITHDRAWN
    for number, submission in enumerate(by_state["edited"], start=1):
        submission.versions.append(
            SubmissionVersion(
                number=number,
                data={"answers": {"1": {"text": _text(EARLIER_VERSION_WORD, number)}}},
            )
        )
    db.session.commit()
    return consultation


def _submissions(consultation: Consultation, state_key: str) -> list[Submission]:
    prefix = STATES[state_key].name
    return list(
        db.session.scalars(
            select(Submission).where(
                Submission.consultation_id == consultation.id,
                Submission.respondent_name.startswith(prefix),
            )
        )
    )


def _unzipped(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
        )


def _public_bytes(client: FlaskClient) -> dict[str, str]:
    """Every public output, as text an attacker could search."""
    outputs = {}
    for language in ("nb", "en"):
        page = client.get(f"/h/{SLUG}/oppsummering?lang={language}")
        assert page.status_code == 200
        outputs[f"page-{language}"] = page.get_data(as_text=True)
        for name in FORMATS:
            response = client.get(f"/h/{SLUG}/oppsummering.{name}?lang={language}")
            assert response.status_code == 200, (name, language)
            data = response.data
            outputs[f"{name}-{language}"] = (
                _unzipped(data) if name in ("xlsx", "docx") else data.decode("utf-8")
            )
    outputs["consultation-page"] = client.get(f"/h/{SLUG}").get_data(as_text=True)
    outputs.update(_response_pages(client))
    return outputs


def _response_pages(client: FlaskClient) -> dict[str, str]:
    """The list of published responses and every page it links to, in both languages."""
    outputs = {}
    for language in ("nb", "en"):
        listing = client.get(f"/h/{SLUG}/horingssvar?lang={language}")
        assert listing.status_code == 200
        outputs[f"responses-{language}"] = listing.get_data(as_text=True)
        pages = set(
            re.findall(rf'href="(/h/{SLUG}/horingssvar/[^"/]+)"', outputs[f"responses-{language}"])
        )
        assert pages
        for page in pages:
            response = client.get(f"{page}?lang={language}")
            assert response.status_code == 200, page
            outputs[f"{page}-{language}"] = response.get_data(as_text=True)
    return outputs


def _redact_after_publication(consultation: Consultation) -> None:
    """What the secretariat does on the reading page: the word in every answer, and a name."""
    for submission in _submissions(consultation, "redacted"):
        for answer in list(submission.answers):
            redactions.redact_answer(
                submission, answer.question, Marking("health", words=STATES["redacted"].word)
            )
    for submission in _submissions(consultation, "nameless"):
        redactions.redact_name(submission, Marking("name"))


def _assert_only_publishable(outputs: dict[str, str]) -> None:
    forbidden = [EMAIL, EARLIER_VERSION_WORD]
    for state in STATES.values():
        if not state.public_word:
            forbidden.append(state.word)
        if not state.public_name:
            forbidden.append(state.name)
    for where, text in outputs.items():
        lowered = text.lower()
        for item in forbidden:
            assert item.lower() not in lowered, f"{item!r} is public in {where}"
    everything = "\n".join(outputs.values()).lower()
    for state in STATES.values():  # what may be public is: the check above can fail
        if state.public_word:
            assert state.word in everything, state.word
        if state.public_name:
            assert state.name.lower() in everything, state.name


@pytest.mark.slow
def test_every_public_byte_holds_only_publishable_words_and_names(app, client):
    consultation = _build()
    synthesis_runs.run_inline(
        consultation, synthesis_runs.run_parameters(), scope=RunScope.INTERNAL
    )
    publish_now(consultation)
    # After publication: one hidden and one erased (each republishes at once).
    for submission in _submissions(consultation, "hidden"):
        responses.set_hidden(submission, True, "Personopplysninger")
    for submission in _submissions(consultation, "erased"):
        erase_respondent(submission)
    _redact_after_publication(consultation)
    db.session.commit()
    outputs = _public_bytes(client)
    _assert_only_publishable(outputs)
    assert "Privatperson 1" in outputs["page-nb"] and "Private person 1" in outputs["page-en"]
    # The three refused answers are not published, and say so.
    assert "Svar som ikke skal publiseres" in outputs["page-nb"]
    assert "[sladdet]" in outputs["page-nb"] and "[sladdet]" in outputs["json-nb"]
    # Every published response has its page: named, anonymous, private, edited, redacted,
    # nameless; nobody refused, hidden, withdrawn, erased or a draft.
    pages = [key for key in outputs if key.startswith(f"/h/{SLUG}/horingssvar/")]
    assert len(pages) == 2 * 3 * 6


@pytest.mark.slow
def test_redacted_words_leave_the_public_synthesis_but_not_the_secretariats_pages(
    app, client, admin_client
):
    """The internal run quotes the word (in a theme or the campaign's template); once it is
    redacted, the public run that republishing made never saw it, and the public summary's
    themes, quotes and templates show the marker, while the reading page still shows it."""
    consultation = _build()
    word = STATES["redacted"].word
    internal = synthesis_runs.run_inline(
        consultation, synthesis_runs.run_parameters(), scope=RunScope.INTERNAL
    )
    found = synthesis_runs.result_of(internal, consultation).result
    templates = " ".join(group.template for group in found.duplicate_groups)
    assert word in templates  # the campaign's template would have printed it
    first = publish_now(consultation)
    assert word in repr(publishing.public_summary(consultation, "nb").duplicates)
    _redact_after_publication(consultation)
    db.session.commit()
    current = publishing.current_publication(consultation)
    assert current is not None and current.number > first.number  # republished at once
    summary = publishing.public_summary(consultation, "nb")
    assert word not in repr(summary)
    assert "[sladdet]" in " ".join(group.template for group in summary.duplicates)
    public_run = db.session.get(SynthesisRun, current.run_id)
    assert public_run.scope == RunScope.PUBLIC and word not in repr(public_run.result)
    victim = _submissions(consultation, "redacted")[0]
    page = admin_client.get(f"/admin/consultations/{SLUG}/submissions/{victim.id}")
    assert word in page.get_data(as_text=True)  # the secretariat still reads it
    assert publishing.out_of_date_reasons(consultation, current) == []


@pytest.mark.slow
def test_refused_words_never_reach_public_theme_keywords(app, client):
    """Leak 1: the internal run's themes hold "zebrastripe" (in a keyword, label or quote);
    the public run never saw it."""
    consultation = _build()
    internal = synthesis_runs.run_inline(
        consultation, synthesis_runs.run_parameters(), scope=RunScope.INTERNAL
    )
    internal_words = " ".join(
        f"{theme.label} {' '.join(theme.keywords)} {' '.join(q.text for q in theme.quotes)}"
        for found in synthesis_runs.result_of(internal, consultation).result.themes
        for theme in found.themes
    )
    assert "zebrastripe" in internal_words  # what the public themes were made from before
    publish_now(consultation)
    summary = publishing.public_summary(consultation, "nb")
    public_words = " ".join(
        f"{theme.label} {' '.join(theme.keywords)} {' '.join(q for _, q in theme.quotes)}"
        for theme in summary.themes
    )
    assert summary.themes and "zebrastripe" not in public_words


def test_publishing_refuses_a_run_that_no_longer_matches(app, client):
    """Leak 2: run, then a withdrawal and a hidden answer; publishing refuses the stale run."""
    consultation = _build()
    synthesis_runs.run_inline(consultation, synthesis_runs.run_parameters(), scope=RunScope.PUBLIC)
    assert publishing.plan(consultation).run is not None
    _submissions(consultation, "named")[0].status = SubmissionStatus.WITHDRAWN
    responses.set_hidden(_submissions(consultation, "hidden")[0], True, "Trakassering")
    db.session.flush()
    assert publishing.plan(consultation).run is None
    with pytest.raises(publishing.PublishRefused):
        publishing.publish(consultation, actor="test")
    db.session.rollback()
    assert client.get(f"/h/{SLUG}/oppsummering").status_code == 404


def _stored_parts() -> str:
    """Every stored part of every run's result, decoded."""
    return " ".join(
        repr(decode_payload(payload))
        for payload in db.session.scalars(select(SynthesisRunPart.payload))
    )


def test_erasure_leaves_no_trace_in_stored_runs_or_old_editions(app, client):
    """Leak 3: the erased respondent's key and words are in no stored result, no edition."""
    consultation = _build()
    synthesis_runs.run_inline(
        consultation, synthesis_runs.run_parameters(), scope=RunScope.INTERNAL
    )
    first = publish_now(consultation)
    victims = _submissions(consultation, "erased")
    references = [victim.reference for victim in victims]
    assert "sjiraff" in _stored_parts()  # the internal run's passages hold the words
    for victim in victims:
        erase_respondent(victim)
    db.session.commit()
    for run in db.session.scalars(select(SynthesisRun)):
        stored = repr(run.result)
        assert "sjiraff" not in stored and not any(ref in stored for ref in references)
    stored = _stored_parts()  # the results of the runs made since, in parts
    assert stored and "sjiraff" not in stored and not any(ref in stored for ref in references)
    db.session.refresh(first)
    assert first.status == PublicationStatus.SUPERSEDED and first.summaries == []
    current = publishing.current_publication(consultation)
    assert current is not None and current.number == first.number + len(victims)  # one each
    assert "sjiraff" not in client.get(f"/h/{SLUG}/oppsummering.json").get_data(as_text=True)


def test_the_edition_is_frozen_until_republished(app, client, admin_client):
    consultation = _build()
    publish_now(consultation)
    before = client.get(f"/h/{SLUG}/oppsummering.json").data
    consultation.title = "Ny tittel etter publisering"
    synthesis_runs.run_inline(consultation, synthesis_runs.run_parameters(), scope=RunScope.PUBLIC)
    db.session.commit()
    assert client.get(f"/h/{SLUG}/oppsummering.json").data == before
    page = admin_client.get(f"/admin/consultations/{SLUG}/publication").get_data(as_text=True)
    assert "Den publiserte utgaven er utdatert" in page
    form = admin_client.get(f"/admin/consultations/{SLUG}/publication")
    assert form.status_code == 200
    input_hash = publishing.plan(consultation).input_hash
    published = admin_client.post(
        f"/admin/consultations/{SLUG}/publication/publish", data={"input_hash": input_hash}
    )
    assert published.status_code == 302
    assert "Ny tittel etter publisering" in client.get(f"/h/{SLUG}/oppsummering").get_data(
        as_text=True
    )
    numbers = db.session.scalars(select(Publication.number).order_by(Publication.number)).all()
    assert numbers == [1, 2]


def test_a_withdrawn_summary_says_so(app, client, admin_client):
    consultation = _build()
    publish_now(consultation)
    refused = admin_client.post(f"/admin/consultations/{SLUG}/publication/withdraw", data={})
    assert refused.status_code == 422
    done = admin_client.post(
        f"/admin/consultations/{SLUG}/publication/withdraw",
        data={"reason": "Feil i tallene for kategori Organisasjon"},
    )
    assert done.status_code == 302
    page = client.get(f"/h/{SLUG}/oppsummering")
    assert page.status_code == 410
    assert "trukket tilbake" in page.get_data(as_text=True)
    assert "Feil i tallene" in page.get_data(as_text=True)
    assert client.get(f"/h/{SLUG}/oppsummering.json").status_code == 404
    db.session.refresh(consultation)
    assert consultation.status == Status.CLOSED


def test_refused_positions_count_only_when_the_secretariat_chooses(app):
    consultation = _build()
    publish_now(consultation)
    without = publishing.public_summary(consultation, "nb")
    publish_now(consultation, count_refused_positions=True)
    counted = publishing.public_summary(consultation, "nb")
    (first_without,) = [t for t in without.tabulations if t.question_code == "1"]
    (first_counted,) = [t for t in counted.tabulations if t.question_code == "1"]
    assert first_counted.overall.total == first_without.overall.total + 3
    assert counted.overview.refused_positions_counted == 3
    assert without.overview.refused_positions_counted == 0
    assert "Rolf" not in repr(counted)


def test_publish_from_the_terminal_shows_what_becomes_public(app, runner):
    _build()
    refused = runner.invoke(args=["publish", SLUG], input="n\n")
    assert refused.exit_code != 0
    assert "Publiseres med navn: 18" in refused.output
    assert "Utelates, respondenten ønsket ikke publisering: 3" in refused.output
    done = runner.invoke(args=["publish", SLUG, "--yes"])
    assert done.exit_code == 0, done.output
    assert "Publisert: utgave 1" in done.output
    withdrawn = runner.invoke(args=["withdraw-publication", SLUG, "--reason", "Feil"])
    assert withdrawn.exit_code == 0, withdrawn.output


def test_export_public_equals_the_published_download(app, client, runner, tmp_path):
    consultation = _build()
    publish_now(consultation)
    output = tmp_path / "offentlig.json"
    result = runner.invoke(
        args=["export", SLUG, "--format", "json", "--audience", "public", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert output.read_bytes() == client.get(f"/h/{SLUG}/oppsummering.json").data


def test_a_publication_survives_backup_and_restore(app, client):
    from hearing.services.backup import restore_backup, write_backup

    consultation = _build()
    publish_now(consultation)
    before = client.get(f"/h/{SLUG}/oppsummering.json").data
    stream = io.BytesIO()
    write_backup(stream)
    restore_backup(io.BytesIO(stream.getvalue()), replace=True)
    db.session.commit()
    assert client.get(f"/h/{SLUG}/oppsummering.json").data == before


def test_erased_words_leave_the_full_text_index(app):
    """SQLite's FTS5 keeps a deleted row's words until its segments merge: erasure merges."""
    from sqlalchemy import text

    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("the FTS5 index is SQLite's")
    consultation = _build()
    word = b"zzqsjiraffhals"
    victim = _submissions(consultation, "erased")[0]
    victim.answers[0].text = f"Vi skriver {word.decode()} her."
    db.session.commit()

    def index_bytes() -> bytes:
        blocks = db.session.execute(text("SELECT block FROM answer_search_data")).scalars()
        return b"".join(block for block in blocks if isinstance(block, bytes))

    assert word in index_bytes()
    erase_respondent(victim)
    db.session.commit()
    assert word not in index_bytes()
