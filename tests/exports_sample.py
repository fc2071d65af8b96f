"""A small consultation exercising every export rule, shared by the tests/test_exports_*.py files.

Eight respondents: named organisations, an anonymous private person, a private person without
consent, a hidden (moderated) response, a named private person, an anonymous foundation; plus
themes, duplicate groups and an opinion group built with the real synthesis classes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from exports.summary import Audience, CompiledSummary, SynthesisInputs, build_summary
from synthesis.duplicates import DuplicateGroup
from synthesis.opinion_groups import DistinguishingPosition, OpinionGroup
from synthesis.presets import NORWEGIAN_CATEGORY_PRESET
from synthesis.snapshot import (
    Answer,
    Consent,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
)
from synthesis.themes import QuestionThemes, Quote, Theme

EXPORTED_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
UNIVERSITY = "Universitet / Høgskole (Offentlig)"
ADMINISTRATION = "Forvaltning (Offentlig)"
ORGANISATION = "Organisasjon (Privat)"
PRIVATE = "Privatperson (Enkeltperson)"
FOUNDATIONS = "Stiftelser (Privat)"

QUESTIONS = (
    Question("1", "Beskrivelse og vurdering av nåsituasjon", QuestionKind.SCALE),
    Question("1.a", "Har du forslag til styrker og svakheter?", QuestionKind.TEXT),
    Question("2", "Målsettinger", QuestionKind.SCALE_TEXT),
)


def _respondent(key: str, name: str, category: str, *answers: Answer, **extra) -> Respondent:
    return Respondent(
        key=key,
        name=name,
        category=category,
        answers={answer.question_code: answer for answer in answers},
        **extra,
    )


RESPONDENTS = (
    _respondent(
        "k1", "NTNU", UNIVERSITY,
        Answer("1", value=2), Answer("2", value=0, text="Viktig mål."),
        email="post@ntnu.example", submitted_at=datetime(2025, 1, 5, 9, 30, tzinfo=UTC),
    ),
    _respondent(
        "k2", "Helsedirektoratet", ADMINISTRATION,
        Answer("1", value=1), Answer("1.a", text="Mer samarbeid på tvers."),
        on_behalf_of="Avdeling barn og unge", email="hdir@example.no",
    ),
    _respondent(
        "k3", "Kari Nordmann", PRIVATE,
        Answer("1", value=1), Answer("1.a", text="Mer penger til tjenestene."),
        consent=Consent.ANONYMOUS, email="kari@example.no", on_behalf_of="Nabolaget",
    ),
    _respondent("k4", "Ola Hansen", PRIVATE, Answer("1", value=4), consent=Consent.NONE),
    _respondent(
        "k5", "Per Skjult", ORGANISATION,
        Answer("1", value=0), Answer("1.a", text="Skjult tekst."), hidden=True,
    ),
    _respondent(
        "k6", "Blå Kors", ORGANISATION,
        Answer("1", dont_know=True), Answer("2", text="Bare tekst."),
    ),
    _respondent("k7", "Lise Li", PRIVATE, Answer("1", value=3)),
    _respondent(
        "k8", "Stiftelsen Anonym", FOUNDATIONS,
        Answer("1.a", text="Stiftelsens innspill."), consent=Consent.ANONYMOUS,
    ),
)  # fmt: skip

SNAPSHOT = ConsultationSnapshot(
    slug="ledelse",
    title="Ledelse for kunnskapsbasert praksis",
    categories=NORWEGIAN_CATEGORY_PRESET,
    questions=QUESTIONS,
    respondents=RESPONDENTS,
    opens_at=datetime(2025, 1, 1, tzinfo=UTC),
    closes_at=datetime(2025, 2, 1, tzinfo=UTC),
)

THEME = Theme(
    theme_id="t1",
    label="samarbeid · penger",
    keywords=("samarbeid", "penger"),
    size=3,
    respondent_keys=("k2", "k3", "k5"),
    share_by_category={ADMINISTRATION: 1.0, PRIVATE: 0.5},
    share_by_sector={"public": 1.0, "individual": 0.5},
    quotes=(Quote("k3", "Mer penger til tjenestene."), Quote("k5", "Skjult tekst.")),
)
SYNTHESIS = SynthesisInputs(
    themes=(QuestionThemes("1.a", (THEME,), {}),),
    duplicate_groups=(
        DuplicateGroup("d1", "campaign", "1.a", ("k2", "k3"), "Mer", {"k3": "penger"}),
        DuplicateGroup("d2", "exact", "1", ("k4", "k5"), "Skjult", {}),
    ),
    opinion_groups=(
        OpinionGroup(
            group_id=0,
            size=3,
            member_keys=("k1", "k3", "k4"),
            composition={PRIVATE: 2, UNIVERSITY: 1},
            distinguishing=(DistinguishingPosition("1", 0.5, -0.25, 0.75),),
        ),
    ),
    run_id="run-7",
    parameters={"random_state": 0, "n_themes": None},
)


def summary_of(
    audience: Audience,
    *,
    locale: str = "nb",
    snapshot: ConsultationSnapshot = SNAPSHOT,
    synthesis: SynthesisInputs | None = SYNTHESIS,
) -> CompiledSummary:
    return build_summary(
        snapshot,
        audience=audience,
        locale=locale,
        synthesis=synthesis,
        exported_at=EXPORTED_AT,
        software_version="0.1.0",
    )


# OWASP CSV-injection payloads, as respondent names and comments.
INJECTION_PAYLOADS = (
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://x","y")',
    "#N/A",
)


def injection_snapshot() -> ConsultationSnapshot:
    respondents = tuple(
        _respondent(f"x{index}", payload, ORGANISATION, Answer("2", value=0, text=payload))
        for index, payload in enumerate(INJECTION_PAYLOADS)
    )
    return ConsultationSnapshot(
        slug="x",
        title="=Injection",
        categories=NORWEGIAN_CATEGORY_PRESET,
        questions=QUESTIONS,
        respondents=respondents,
    )
