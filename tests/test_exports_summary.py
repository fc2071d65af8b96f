"""The compiled summary: who is shown, how they are named, how answers are grouped and counted."""

from __future__ import annotations

from dataclasses import replace

import pytest

from exports.long_format import long_columns, long_rows
from exports.summary import question_heading
from synthesis.snapshot import Sector
from tests.exports_sample import (
    ADMINISTRATION,
    ORGANISATION,
    PRIVATE,
    SNAPSHOT,
    UNIVERSITY,
    summary_of,
)


def names(summary, code: str) -> list[str]:
    question = next(q for q in summary.questions if q.code == code)
    return [row.respondent.display_name for row in question.rows]


def test_public_leaves_out_hidden_and_unconsented_and_anonymises():
    summary = summary_of("public")

    shown = [r.display_name for r in summary.respondents]
    assert shown == [
        "NTNU",
        "Helsedirektoratet",
        "Privatperson 1",
        "Blå Kors",
        "Lise Li",
        "Privatperson 2",
    ]
    assert "Ola Hansen" not in shown and "Per Skjult" not in shown
    assert all(r.email == "" and r.key == "" for r in summary.respondents)
    anonymous = [r for r in summary.respondents if r.anonymised]
    assert [r.on_behalf_of for r in anonymous] == ["", ""]
    assert summary.overview.respondent_count == 6
    assert summary.overview.unpublished_count == 2


def test_internal_shows_names_and_emails_but_never_hidden():
    summary = summary_of("internal")

    shown = [r.display_name for r in summary.respondents]
    assert "Kari Nordmann" in shown and "Ola Hansen" in shown
    assert "Per Skjult" not in shown
    assert summary.respondents[0].email == "post@ntnu.example"
    assert summary.respondents[0].key == "k1"
    assert "Intern" in summary.overview.edition_note
    assert summary.overview.unpublished_count == 1


def test_english_numbering_and_labels():
    summary = summary_of("public", locale="en")

    assert "Private person 1" in [r.display_name for r in summary.respondents]
    assert summary.questions[0].heading == "Question 1: Beskrivelse og vurdering av nåsituasjon"
    assert summary.questions[0].not_answered_line == (
        "One other respondent to this consultation did not answer this question."
    )
    assert summary.questions[1].not_answered_line.startswith("Three other respondents")
    assert summary.category_info(PRIVATE).display_label == "Privatperson (Individual)"


def test_rows_are_grouped_by_category_in_consultation_order():
    question = summary_of("public").questions[0]

    assert [group.category.label for group in question.groups] == [
        UNIVERSITY,
        ADMINISTRATION,
        ORGANISATION,
        PRIVATE,
    ]
    assert [row.label for row in question.rows] == [
        "Hverken eller",
        "Delvis enig",
        "Vet ikke",
        "Delvis enig",
        "Delvis uenig",
    ]


def test_not_answered_counts_only_respondents_in_the_summary():
    public, internal = summary_of("public"), summary_of("internal")

    assert [(q.answered, q.not_answered) for q in public.questions] == [(5, 1), (3, 3), (2, 4)]
    assert [(q.answered, q.not_answered) for q in internal.questions] == [(6, 1), (3, 4), (2, 5)]
    assert public.questions[1].not_answered_line.startswith("Tre andre instanser")
    for summary in (public, internal):
        for question in summary.questions:
            assert question.answered + question.not_answered == len(summary.respondents)


def test_tabulation_agrees_with_the_rows():
    for audience in ("public", "internal"):
        summary = summary_of(audience)
        tabulation = {t.question_code: t for t in summary.tabulations}["1"]
        question = summary.questions[0]
        assert tabulation.answered == question.answered
        assert tabulation.not_answered == question.not_answered
        positioned = [row for row in question.rows if row.answer.value is not None]
        assert tabulation.overall.positioned == len(positioned)


def test_overview_counts_by_category_and_sector():
    overview = summary_of("public").overview

    assert {info.label: count for info, count in overview.by_category}[PRIVATE] == 2
    assert dict(overview.by_sector) == {Sector.PUBLIC: 2, Sector.PRIVATE: 2, Sector.INDIVIDUAL: 2}
    assert overview.answers_per_question == (("1", 5, 1), ("1.a", 3, 3), ("2", 2, 4))
    assert overview.provenance.run_id == "run-7"
    assert overview.provenance.software_version == "0.1.0"


def test_synthesis_references_resolve_to_published_respondents_only():
    public = summary_of("public")

    (theme,) = public.themes
    assert theme.size == 2
    assert [m.display_name for m in theme.members] == ["Helsedirektoratet", "Privatperson 1"]
    assert [(who.display_name, text) for who, text in theme.quotes] == [
        ("Privatperson 1", "Mer penger til tjenestene.")
    ]
    (group,) = public.duplicates  # the group of unpublished members is gone
    assert [(who.display_name, text) for who, text in group.additions] == [
        ("Privatperson 1", "penger")
    ]
    (opinion,) = public.opinion_groups
    assert [m.display_name for m in opinion.members] == ["NTNU", "Privatperson 1"]
    assert (opinion.size, opinion.composition) == (2, {UNIVERSITY: 1, PRIVATE: 1})
    assert opinion.distinguishing_positions[0].question_code == "1"
    internal = summary_of("internal")
    assert internal.themes[0].size == 2  # the hidden respondent is out of every edition
    assert [g.group_id for g in internal.duplicates] == ["d1", "d2"]
    assert internal.opinion_groups[0].composition == {PRIVATE: 2, UNIVERSITY: 1}


def test_long_format_rows():
    public = summary_of("public")

    assert long_columns(public) == (
        "respondent", "category", "sector", "question", "value", "text",
        "on_behalf_of", "submitted_at", "consent",
    )  # fmt: skip
    rows = list(long_rows(public))
    assert len(rows) == sum(q.answered for q in public.questions)
    assert rows[0][:6] == ("NTNU", UNIVERSITY, "public", "1", "Hverken eller", "")
    assert ("Privatperson 1", PRIVATE, "individual", "1.a", "", "Mer penger til tjenestene.") in [
        row[:6] for row in rows
    ]
    internal = summary_of("internal")
    assert "email" in long_columns(internal)
    email_at = long_columns(internal).index("email")
    assert {row[email_at] for row in long_rows(internal)} >= {"post@ntnu.example"}


def test_unknown_audience_is_refused():
    with pytest.raises(ValueError):
        summary_of("everyone")  # type: ignore[arg-type]


def test_snapshot_is_left_untouched():
    before = SNAPSHOT.respondents
    summary_of("public")
    assert SNAPSHOT.respondents is before


def test_headings_number_each_question_once():
    headings = [question.heading for question in summary_of("public").questions]
    assert headings == [
        "Spørsmål 1: Beskrivelse og vurdering av nåsituasjon",
        "Spørsmål 1.a: Har du forslag til styrker og svakheter?",
        "Spørsmål 2: Målsettinger",
    ]


@pytest.mark.parametrize(
    ("code", "text", "heading"),
    [
        ("1", "1.Beskrivelse og vurdering av nåsituasjon", "Spørsmål 1: Beskrivelse og vurdering"),
        ("1.a", "1.a. Har du forslag?", "Spørsmål 1.a: Har du forslag?"),
        ("2", "2 Målsettinger", "Spørsmål 2: Målsettinger"),
        ("1", "1.a. Har du forslag?", "Spørsmål 1: 1.a. Har du forslag?"),
        ("1", "12 punkter", "Spørsmål 1: 12 punkter"),
        ("1", "1.5 millioner barn", "Spørsmål 1: 1.5 millioner barn"),
    ],
)
def test_a_code_repeated_in_the_text_is_printed_once(code, text, heading):
    assert question_heading("Spørsmål", code, text).startswith(heading)


def test_no_not_answered_line_when_everyone_answered():
    everyone = replace(
        SNAPSHOT,
        respondents=tuple(r for r in SNAPSHOT.respondents if r.answer("1") is not None),
    )
    for locale in ("nb", "en"):
        question = summary_of("internal", snapshot=everyone, locale=locale).questions[0]
        assert question.not_answered == 0
        assert question.not_answered_line == ""


def test_one_not_answered_is_singular_in_norwegian():
    question = summary_of("public").questions[0]
    assert question.not_answered == 1
    assert question.not_answered_line == (
        "Én annen instans som har svart på dette notatet, har ikke svart på dette spørsmålet."
    )
