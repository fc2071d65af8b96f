"""How a redaction hides text, and where the public snapshot applies it (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

from exports.summary import build_summary
from synthesis.language import stop_words
from synthesis.publishable import is_shown_anonymously, publication_counts, publishable
from synthesis.redaction import Redaction, redact_text
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

TEXT = "Sønnen min Ola har epilepsi, og skolen følger ikke opp."
OLA = Redaction("1", TEXT.index("Ola"), TEXT.index("Ola") + 3, "Ola")
EPILEPSI = Redaction("1", TEXT.index("epilepsi"), TEXT.index("epilepsi") + 8, "epilepsi")


def test_a_span_that_holds_its_words_is_replaced_by_the_marker():
    assert redact_text(TEXT, [OLA, EPILEPSI], "nb") == (
        "Sønnen min [sladdet] har [sladdet], og skolen følger ikke opp."
    )
    assert redact_text(TEXT, [OLA], "en").startswith("Sønnen min [redacted] har")


def test_overlapping_spans_become_one_marker():
    whole = Redaction("1", TEXT.index("Ola"), TEXT.index(","), "Ola har epilepsi")
    assert redact_text(TEXT, [OLA, whole, EPILEPSI], "nb") == (
        "Sønnen min [sladdet], og skolen følger ikke opp."
    )


def test_a_stale_redaction_hides_its_words_where_they_moved_or_else_everything():
    moved = "Hei. " + TEXT + " Ola trenger hjelp."
    assert not OLA.holds(moved)
    assert redact_text(moved, [OLA], "nb") == (
        "Hei. Sønnen min [sladdet] har epilepsi, og skolen følger ikke opp. "
        "[sladdet] trenger hjelp."
    )
    rewritten = "Sønnen min har en alvorlig sykdom."
    assert redact_text(rewritten, [EPILEPSI], "nb") == "[sladdet]"


def test_the_marker_never_names_a_theme():
    assert "sladdet" in stop_words("nb") and "redacted" in stop_words("en")


def _snapshot(*respondents: Respondent) -> ConsultationSnapshot:
    return ConsultationSnapshot(
        slug="s",
        title="T",
        categories=(Category("Organisasjon", Sector.PRIVATE),),
        questions=(Question("1", "Hva mener du?", QuestionKind.TEXT),),
        respondents=respondents,
    )


def _respondent(key: str, *redactions: Redaction) -> Respondent:
    return Respondent(
        key=key,
        name="Foreningen Åpenhet",
        category="Organisasjon (Privat)",
        on_behalf_of="Styret",
        answers={"1": Answer("1", text=TEXT)},
        redactions=redactions,
    )


def test_the_public_snapshot_holds_no_redacted_word_and_no_redaction():
    snapshot = _snapshot(_respondent("a", OLA, EPILEPSI), _respondent("b"))
    public = publishable(snapshot)
    (first, second) = public.respondents
    assert "Ola" not in repr(first) and "epilepsi" not in repr(first)
    assert first.redactions == () and second.answers["1"].text == TEXT


def test_a_redacted_name_makes_the_respondent_anonymous_everywhere_public():
    name = Redaction(None, 0, len("Foreningen Åpenhet"), "Foreningen Åpenhet")
    snapshot = _snapshot(_respondent("a", name))
    assert is_shown_anonymously(snapshot.respondents[0], Sector.PRIVATE)
    assert publication_counts(snapshot).anonymised == 1
    summary = build_summary(
        snapshot,
        audience="public",
        exported_at=datetime(2026, 1, 1, tzinfo=UTC),
        software_version="test",
        page_ids={"a": "side1"},
    )
    assert "Foreningen" not in repr(summary) and "Styret" not in repr(summary)
    (shown,) = summary.respondents
    assert shown.display_name == "Privatperson 1" and shown.page_id == "side1"
    internal = build_summary(
        snapshot,
        audience="internal",
        exported_at=datetime(2026, 1, 1, tzinfo=UTC),
        software_version="test",
        page_ids={"a": "side1"},
    )
    assert internal.respondents[0].display_name == "Foreningen Åpenhet"
    assert internal.respondents[0].page_id == ""


def test_refused_respondents_stay_out_whatever_their_redactions():
    refused = Respondent(
        key="r",
        name="Nei Takk",
        category="Organisasjon (Privat)",
        consent=Consent.NONE,
        answers={"1": Answer("1", text=TEXT)},
        redactions=(OLA,),
    )
    assert publishable(_snapshot(refused)).respondents == ()
