"""Plain, typed snapshot of a consultation: the contract between the web app and the analysis code.

`synthesis` and `exports` never touch Flask or the database. The app (or an importer, a CLI
command, a benchmark) builds a `ConsultationSnapshot` once and hands it over, so the same code
runs in a request, a worker and a test without a database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from synthesis.answers import Answer
from synthesis.question_kinds import Options, QuestionKind
from synthesis.redaction import Redaction

# The scale lives beneath the question kinds, which need it; the snapshot is where readers find it.
from synthesis.scale_points import DONT_KNOW_LABEL as DONT_KNOW_LABEL
from synthesis.scale_points import NORWEGIAN_AGREEMENT_SCALE as NORWEGIAN_AGREEMENT_SCALE
from synthesis.scale_points import Scale


class Sector(StrEnum):
    """The sector suffix seen in compiled documents: "(Offentlig)", "(Privat)", "(Enkeltperson)"."""

    PUBLIC = "public"
    PRIVATE = "private"
    INDIVIDUAL = "individual"


class Consent(StrEnum):
    """What the respondent allowed to be published."""

    NAMED = "named"
    ANONYMOUS = "anonymous"
    NONE = "none"


@dataclass(frozen=True)
class Category:
    """A respondent category such as "Forvaltning" in the public sector.

    A name can occur in two sectors (seed 004 has "Annet (Privat)" and "Annet (Offentlig)"), so a
    category is identified by its `label`, never by its name alone.
    """

    name: str
    sector: Sector

    @property
    def label(self) -> str:
        """The category as the compiled documents print it, e.g. "Forvaltning (Offentlig)"."""
        return f"{self.name} ({SECTOR_SUFFIX_NB[self.sector]})"


# The one list of the sectors' Norwegian names; English and the web pages take theirs from
# `exports.labels.sector_label`, readers of files theirs from `sector_named`.
SECTOR_SUFFIX_NB: dict[Sector, str] = {
    Sector.PUBLIC: "Offentlig",
    Sector.PRIVATE: "Privat",
    Sector.INDIVIDUAL: "Enkeltperson",
}


def sector_named(text: str) -> Sector | None:
    """The sector `text` names, by its value ("public") or its Norwegian name ("Offentlig"),
    in any case and spacing; None when it names none."""
    wanted = " ".join(text.split()).casefold()
    return next(
        (s for s in Sector if wanted in (s.value, SECTOR_SUFFIX_NB[s].casefold())),
        None,
    )


@dataclass(frozen=True)
class Question:
    """One question; `code` is what respondents see ("1", "1.a"). What its answers hold and
    mean is up to its `kind` (`synthesis.question_kinds`); choice kinds list `options`."""

    code: str
    text: str
    kind: QuestionKind
    required: bool = False
    help: str = ""
    options: Options = field(default_factory=Options)


@dataclass(frozen=True, slots=True)
class Respondent:
    """One submitted response. `key` is stable across runs (the public reference or a row id).

    `category` holds the category's `label` ("Annet (Privat)"), which is unique, not its name.
    """

    key: str
    name: str
    category: str
    on_behalf_of: str = ""
    email: str = ""
    consent: Consent = Consent.NAMED
    submitted_at: datetime | None = None
    hidden: bool = False
    answers: dict[str, Answer] = field(default_factory=dict)
    # Spans (or the name) the secretariat hid from public outputs; `synthesis.publishable`
    # applies them, so a public snapshot holds none.
    redactions: tuple[Redaction, ...] = ()

    def answer(self, code: str) -> Answer | None:
        found = self.answers.get(code)
        return None if found is None or found.is_empty else found


@dataclass(frozen=True)
class ConsultationSnapshot:
    """A consultation with everything the analysis needs, in the consultation's own order."""

    slug: str
    title: str
    scale: Scale = field(default_factory=Scale)
    categories: tuple[Category, ...] = ()
    questions: tuple[Question, ...] = ()
    respondents: tuple[Respondent, ...] = ()
    summary: str = ""
    language: str = "nb"
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    # Compiled documents state how many did not answer; kept to check consistency on import.
    stated_not_answered: dict[str, int] = field(default_factory=dict)
    # The consulted document's text: words every answer shares because the document uses them
    # ("kunnskapsbasert praksis") are its topic, not a theme of the answers (`synthesis.themes`).
    document: str = ""

    def category(self, label: str) -> Category | None:
        """The category whose `label` ("Forvaltning (Offentlig)") is given."""
        return next((c for c in self.categories if c.label == label), None)

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    def answers_to(self, code: str) -> Iterator[tuple[Respondent, Answer]]:
        """Respondents who gave a non-empty answer to `code`, in respondent order."""
        for respondent in self.respondents:
            found = respondent.answer(code)
            if found is not None:
                yield respondent, found
