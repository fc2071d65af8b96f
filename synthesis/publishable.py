"""What may be published: the one place that decides, for every public output.

Høringssvar are public documents in Norway, but not every response may be shown: a respondent
may refuse publication, the secretariat may hide an abusive answer, and a private person who did
not consent to their name is shown as "Privatperson N". Every public byte — the summary page,
its downloads, the synthesis's theme labels, keywords, quotes, campaign templates — is computed
from `publishable(snapshot)` alone, so a word written by someone who refused publication cannot
reach a keyword by way of a clustering step that saw it.

Drafts, withdrawn and erased responses never enter a snapshot at all (the database layer only
snapshots submitted responses, and erasure deletes the response), so the rules here are about
submitted responses: not hidden, and consent NAMED or ANONYMOUS.

Refused respondents' *positions* may still count in the public tallies when the secretariat says
so (`refused_positions`): those come out stripped of everything but the category and the scale
value, under keys that name nobody.

Redactions apply here too (`public_view`): a published respondent enters the public snapshot
with the spans the secretariat marked replaced by "[sladdet]" and, if their name was redacted,
as anonymous. What reads the public snapshot (the public synthesis run, the public summary, the
per-response pages) therefore never sees a redacted word.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from synthesis.redaction import marker, redact_text
from synthesis.snapshot import Answer, Consent, ConsultationSnapshot, Respondent, Sector

PUBLISHABLE_CONSENTS = frozenset({Consent.NAMED, Consent.ANONYMOUS})


def is_publishable(respondent: Respondent) -> bool:
    """Whether anything this respondent wrote may appear in a public output."""
    return not respondent.hidden and respondent.consent in PUBLISHABLE_CONSENTS


def is_shown_anonymously(respondent: Respondent, sector: Sector | None) -> bool:
    """A publishable respondent shown as "Privatperson N": consent ANONYMOUS, a private
    person (sector INDIVIDUAL) who did not explicitly consent to their name, or one whose name
    the secretariat redacted."""
    if respondent.consent is Consent.ANONYMOUS or _name_redacted(respondent):
        return True
    return sector is Sector.INDIVIDUAL and respondent.consent is not Consent.NAMED


def _name_redacted(respondent: Respondent) -> bool:
    return any(redaction.is_name for redaction in respondent.redactions)


def publishable(snapshot: ConsultationSnapshot) -> ConsultationSnapshot:
    """The snapshot with only the respondents whose words may be published, redacted."""
    kept = tuple(
        public_view(r, snapshot.language) for r in snapshot.respondents if is_publishable(r)
    )
    if len(kept) == len(snapshot.respondents) and not any(
        r.redactions for r in snapshot.respondents
    ):
        return snapshot
    return replace(snapshot, respondents=kept)


def public_view(respondent: Respondent, language: str) -> Respondent:
    """The respondent as public outputs may hold them: every redacted span of an answer's text
    replaced by the marker, and with a redacted name, anonymous (consent ANONYMOUS, the marker
    for a name, no "on behalf of"). The result holds no redaction, and so none of the words."""
    if not respondent.redactions:
        return respondent
    answers = {
        code: replace(
            answer,
            text=redact_text(
                answer.text, (r for r in respondent.redactions if r.question_code == code), language
            ),
        )
        if answer.text
        else answer
        for code, answer in respondent.answers.items()
    }
    view = replace(respondent, answers=answers, redactions=())
    if _name_redacted(respondent):
        view = replace(view, name=marker(language), on_behalf_of="", consent=Consent.ANONYMOUS)
    return view


def refused_positions(snapshot: ConsultationSnapshot) -> tuple[Respondent, ...]:
    """Respondents who refused publication, reduced to category and positions (scale points
    and options chosen).

    No name, e-mail, text or key survives: they can only be counted, never quoted or named."""
    stripped = []
    for number, respondent in enumerate(
        (r for r in snapshot.respondents if not r.hidden and r.consent is Consent.NONE), start=1
    ):
        answers = {
            code: Answer(
                code, value=answer.value, dont_know=answer.dont_know, choices=answer.choices
            )
            for code, answer in respondent.answers.items()
            if answer.value is not None or answer.dont_know or answer.choices
        }
        stripped.append(
            Respondent(
                key=f"refused-{number}", name="", category=respondent.category, answers=answers
            )
        )
    return tuple(stripped)


@dataclass(frozen=True)
class PublicationCounts:
    """What a publication would show and leave out, for the confirmation page and the audit."""

    named: int
    anonymised: int
    refused: int
    hidden: int

    @property
    def published(self) -> int:
        return self.named + self.anonymised

    @property
    def left_out(self) -> int:
        return self.refused + self.hidden


def publication_counts(snapshot: ConsultationSnapshot) -> PublicationCounts:
    """How many submitted responses are published by name, anonymised, or left out and why."""
    sector_of = {category.label: category.sector for category in snapshot.categories}
    counts: Counter[str] = Counter()
    for respondent in snapshot.respondents:
        if respondent.hidden:
            counts["hidden"] += 1
        elif not is_publishable(respondent):
            counts["refused"] += 1
        elif is_shown_anonymously(respondent, sector_of.get(respondent.category)):
            counts["anonymised"] += 1
        else:
            counts["named"] += 1
    return PublicationCounts(
        named=counts["named"],
        anonymised=counts["anonymised"],
        refused=counts["refused"],
        hidden=counts["hidden"],
    )
