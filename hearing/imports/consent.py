"""Publication consent of imported respondents when the file does not state it.

Høringssvar are public, but a private person's name is not ours to publish unless they said so.
A web respondent chooses their consent on the form; a response that arrives in a file or a
compiled document often has no consent at all. Without a stated consent an import therefore
publishes private persons (category sector "individual") anonymously and organisations (public
and private sector) by name, as ministries do. The secretariat may choose one consent for the
whole file instead (`--consent`, or the choice on the upload page); that choice applies to the
respondents without a stated consent only. A consent the file states is the respondent's own
word and is never overridden silently: it is kept, and the preview says how many kept theirs.

No Flask here: the validators and the compiled reader use this, and the CLI and the upload page
word the summary with `consent_lines`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from hearing.imports.messages import message
from synthesis.snapshot import Consent, ConsultationSnapshot, Sector

# The choice of the upload page and of `--consent`; "" keeps the file's consent and the default.
CONSENT_CHOICES: tuple[str, ...] = tuple(consent.value for consent in Consent)


class ConsentSource(StrEnum):
    """Why some respondents have no stated consent: the wording of the preview depends on it."""

    NO_COLUMN = "no_column"  # a long-format file without a consent column
    BLANK_CELLS = "blank_cells"  # a consent column, but blank for some respondents
    DOCUMENT = "document"  # a compiled document, which never states consent


def default_consent(sector: Sector | None, chosen: Consent | None = None) -> Consent:
    """The consent of a respondent whose file states none: the whole-file choice if made, else
    anonymous for a private person and named for an organisation. A category of unknown sector
    counts as a private person: publishing a name by mistake cannot be undone."""
    if chosen is not None:
        return chosen
    return Consent.NAMED if sector in (Sector.PUBLIC, Sector.PRIVATE) else Consent.ANONYMOUS


def parse_choice(value: str | None) -> Consent | None:
    """ "named" / "anonymous" / "none" → the consent; "" or None → no whole-file choice."""
    return Consent(value) if value else None


@dataclass
class ConsentTally:
    """Decides each imported respondent's consent and counts how it was decided."""

    source: ConsentSource
    chosen: Consent | None = None
    stated: int = 0
    private_defaulted: int = 0
    organisations_defaulted: int = 0
    outcome: Counter[Consent] = field(default_factory=Counter)

    def decide(self, sector: Sector | None, stated: Consent | None) -> Consent:
        """The stated consent if there is one (kept whatever the choice), else the default."""
        if stated is not None:
            self.stated += 1
            consent = stated
        else:
            consent = default_consent(sector, self.chosen)
            if sector in (Sector.PUBLIC, Sector.PRIVATE):
                self.organisations_defaulted += 1
            else:
                self.private_defaulted += 1
        self.outcome[consent] += 1
        return consent

    @property
    def defaulted(self) -> int:
        return self.private_defaulted + self.organisations_defaulted


def _count(count: int, noun: str, locale: str) -> str:
    """ "1 privatperson", "3 privatpersoner": the noun agrees with its number."""
    return message(f"{noun}_{'one' if count == 1 else 'many'}", locale, {"count": count})


def consent_lines(tally: ConsentTally, locale: str) -> list[str]:
    """What the preview says about consent, in plain words: who gets which consent and why,
    and what that comes to for publication."""
    lines: list[str] = []
    if tally.defaulted:
        params = {
            "private": _count(tally.private_defaulted, "private", locale),
            "organisations": _count(tally.organisations_defaulted, "organisation", locale),
            "respondents": _count(tally.defaulted, "respondent", locale),
        }
        if tally.chosen is None:
            lines.append(message(f"consent_default_{tally.source.value}", locale, params))
        else:
            params["how"] = message(f"consent_how_{tally.chosen.value}", locale)
            lines.append(message("consent_chosen", locale, params))
    if tally.stated:
        code = "consent_stated_kept" if tally.chosen is not None else "consent_stated"
        lines.append(
            message(code, locale, {"respondents": _count(tally.stated, "respondent", locale)})
        )
    lines.append(
        message(
            "consent_outcome",
            locale,
            {consent.value: tally.outcome[consent] for consent in Consent},
        )
    )
    return lines


def document_tally(snapshot: ConsultationSnapshot) -> ConsentTally:
    """How a compiled document's respondents were given their consent (none is stated)."""
    tally = ConsentTally(ConsentSource.DOCUMENT)
    sectors = {category.label: category.sector for category in snapshot.categories}
    for respondent in snapshot.respondents:
        tally.decide(sectors.get(respondent.category), None)
    return tally
