"""The compiled summary: a consultation's responses shaped for publication, before any file format.

This is the first of three export layers (rows → bytes → HTTP response, as in indico's survey
exports). `build_summary` decides *who* is shown and *how* they are named; the writers in this
package only lay the result out, so every format (xlsx, csv, json, docx) tells the same story.

Who is in the summary:

- Hidden respondents (moderated away by the secretariat) are never exported, in either audience;
  the synthesis tabulation leaves them out too, so the counts agree.
- Audience "public" holds only what `synthesis.publishable` allows: respondents who gave consent
  NONE are left out; private persons (category sector INDIVIDUAL) without consent NAMED, and any
  respondent with consent ANONYMOUS, appear as "Privatperson 1, 2, …" numbered in respondent
  order, without their "on behalf of". E-mail addresses and respondent keys are never part of a
  public summary. Redacted spans read "[sladdet]", and a respondent whose name was redacted is
  anonymous. The synthesis results it is given must be computed from the publishable
  answers alone (the web app's public runs are); references to anyone else are dropped anyway.
- Audience "internal" shows names and e-mail addresses and says so on the overview.

Counting choice: every count (answered, not answered, respondents by category, the position
tables) is taken over the respondents *in the summary*. A public document is thereby
self-consistent: its rows plus its "N andre instanser … har ikke svart" line add up to its own
respondent total. How many responses were left out is stated once, on the overview
(`Overview.unpublished_count`), instead of being hidden inside per-question counts. The one
exception is the secretariat's choice `count_refused_positions`: the position tables then also
count the scale answers of respondents who refused publication (never their names or text), and
the overview says how many (`Overview.refused_positions_counted`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from exports.exported_respondent import ExportedRespondent
from exports.labels import labels_for, not_answered_sentence, sector_label
from exports.synthesis_view import (
    DuplicateSummary,
    OpinionGroupSummary,
    SynthesisInputs,
    ThemeSummary,
    summarise_synthesis,
)
from synthesis.publishable import is_shown_anonymously, publishable, refused_positions
from synthesis.snapshot import (
    Answer,
    ConsultationSnapshot,
    Options,
    Question,
    QuestionKind,
    Respondent,
    Scale,
    Sector,
)
from synthesis.tabulation import QuestionTabulation, tabulate

Audience = Literal["public", "internal"]


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One respondent's answer to one question, its value written out by the question's kind.

    `label` is what the page and the report print ("Helt enig", "Vet ikke"); `cell` what a
    spreadsheet cell and the long format's `value` column hold, which an import reads back.
    Both are "" for an answer of text only.
    """

    respondent: ExportedRespondent
    answer: Answer
    label: str
    cell: str

    @property
    def comment(self) -> str:
        return (self.answer.text or "").strip()


@dataclass(frozen=True)
class CategoryInfo:
    """A category as printed: `display_label` is localised ("Forvaltning (Public)" in English)."""

    label: str
    name: str
    sector: Sector | None
    display_label: str


@dataclass(frozen=True)
class CategoryGroup:
    category: CategoryInfo
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True)
class QuestionSummary:
    number: int  # 1-based position in the consultation
    code: str
    text: str
    kind: QuestionKind
    heading: str  # "Spørsmål 1.a: Har du forslag …", numbered once (by the code)
    groups: tuple[CategoryGroup, ...]
    answered: int
    not_answered: int
    not_answered_line: str
    options: Options = field(default_factory=Options)  # of a choice question

    @property
    def rows(self) -> tuple[SummaryRow, ...]:
        return tuple(row for group in self.groups for row in group.rows)


@dataclass(frozen=True)
class Provenance:
    run_id: str | None
    parameters: Mapping[str, object]
    software_version: str
    exported_at: datetime


@dataclass(frozen=True)
class Overview:
    title: str
    slug: str
    summary: str
    opens_at: datetime | None
    closes_at: datetime | None
    audience: Audience
    edition_note: str
    respondent_count: int
    unpublished_count: int
    refused_positions_counted: int
    by_category: tuple[tuple[CategoryInfo, int], ...]
    by_sector: tuple[tuple[Sector, int], ...]
    answers_per_question: tuple[tuple[str, int, int], ...]  # (code, answered, not answered)
    provenance: Provenance


@dataclass(frozen=True)
class PublishedLetter:
    """A letter response's document on its public page: its text with every redaction applied,
    and whether the original file may be offered (approved by the secretariat, no redaction)."""

    page_id: str  # the respondent's (`ExportedRespondent.page_id`)
    filename: str
    kind: str  # "pdf", "docx" or "odt"
    text: str
    original: bool


@dataclass(frozen=True)
class CompiledSummary:
    audience: Audience
    locale: str
    scale: Scale
    overview: Overview
    categories: tuple[CategoryInfo, ...]
    questions: tuple[QuestionSummary, ...]
    respondents: tuple[ExportedRespondent, ...]
    tabulations: tuple[QuestionTabulation, ...]
    themes: tuple[ThemeSummary, ...] = ()
    duplicates: tuple[DuplicateSummary, ...] = ()
    opinion_groups: tuple[OpinionGroupSummary, ...] = ()
    # Of a published edition: the letters its per-response pages show (no download holds them).
    letters: tuple[PublishedLetter, ...] = ()

    @property
    def labels(self) -> Mapping[str, str]:
        return labels_for(self.locale)

    def category_info(self, label: str) -> CategoryInfo | None:
        return next((c for c in self.categories if c.label == label), None)


def build_summary(
    snapshot: ConsultationSnapshot,
    *,
    audience: Audience,
    locale: str = "nb",
    synthesis: SynthesisInputs | None = None,
    exported_at: datetime,
    software_version: str,
    count_refused_positions: bool = False,
    page_ids: Mapping[str, str] | None = None,
) -> CompiledSummary:
    """Shape `snapshot` (and optional synthesis results) into the summary for `audience`.

    `count_refused_positions` (public audience only): the position tables also count the scale
    answers of respondents who refused publication. `page_ids` (public audience only): the id
    of each published respondent's own page, by respondent key."""
    if audience not in ("public", "internal"):
        raise ValueError(f"unknown audience {audience!r}")
    synthesis = synthesis or SynthesisInputs()
    included = _included(snapshot, audience)
    categories = _categories(snapshot, included, locale)
    exported = _export_respondents(
        snapshot, included, audience, locale, page_ids if audience == "public" else None
    )
    questions = _questions(snapshot, list(zip(included, exported, strict=True)), categories, locale)
    counted = (
        refused_positions(snapshot) if audience == "public" and count_refused_positions else ()
    )
    published = dataclasses.replace(snapshot, respondents=(*included, *counted))
    tabulations = (
        synthesis.tabulations
        if audience == "internal" and synthesis.tabulations
        else tuple(tabulate(published))
    )
    by_key = {respondent.key: row for respondent, row in zip(included, exported, strict=True)}
    themes, duplicates, opinion_groups = summarise_synthesis(synthesis, by_key)
    overview = _overview(
        snapshot,
        audience,
        locale,
        exported,
        categories,
        questions,
        Provenance(synthesis.run_id, dict(synthesis.parameters), software_version, exported_at),
        refused_positions_counted=len(counted),
    )
    return CompiledSummary(
        audience=audience,
        locale=locale,
        scale=snapshot.scale,
        overview=overview,
        categories=categories,
        questions=questions,
        respondents=exported,
        tabulations=tabulations,
        themes=themes,
        duplicates=duplicates,
        opinion_groups=opinion_groups,
    )


def _included(snapshot: ConsultationSnapshot, audience: Audience) -> list[Respondent]:
    """The respondents in the summary: the public one holds the publishable respondents,
    redacted (`synthesis.publishable`), the internal one every visible respondent as written."""
    if audience == "public":
        return list(publishable(snapshot).respondents)
    return [r for r in snapshot.respondents if not r.hidden]


def _categories(
    snapshot: ConsultationSnapshot, respondents: list[Respondent], locale: str
) -> tuple[CategoryInfo, ...]:
    """The consultation's categories in its order, then labels only respondents mention."""
    infos = [
        CategoryInfo(c.label, c.name, c.sector, f"{c.name} ({sector_label(c.sector, locale)})")
        for c in snapshot.categories
    ]
    known = {info.label for info in infos}
    for respondent in respondents:
        if respondent.category not in known:
            known.add(respondent.category)
            label = respondent.category or labels_for(locale)["uncategorised"]
            infos.append(CategoryInfo(respondent.category, label, None, label))
    return tuple(infos)


def _export_respondents(
    snapshot: ConsultationSnapshot,
    respondents: list[Respondent],
    audience: Audience,
    locale: str,
    page_ids: Mapping[str, str] | None,
) -> tuple[ExportedRespondent, ...]:
    private_person = labels_for(locale)["private_person"]
    sector_of = {category.label: category.sector for category in snapshot.categories}
    anonymous_number = 0
    exported = []
    for position, respondent in enumerate(respondents, start=1):
        sector = sector_of.get(respondent.category)
        anonymised = audience == "public" and is_shown_anonymously(respondent, sector)
        if anonymised:
            anonymous_number += 1
        exported.append(
            ExportedRespondent(
                export_id=f"r{position}",
                key=respondent.key if audience == "internal" else "",
                display_name=(
                    f"{private_person} {anonymous_number}" if anonymised else respondent.name
                ),
                on_behalf_of="" if anonymised else respondent.on_behalf_of,
                category=respondent.category,
                sector=sector,
                email=respondent.email if audience == "internal" else "",
                submitted_at=respondent.submitted_at,
                consent=respondent.consent,
                anonymised=anonymised,
                page_id=(page_ids or {}).get(respondent.key, ""),
            )
        )
    return tuple(exported)


def _questions(
    snapshot: ConsultationSnapshot,
    pairs: list[tuple[Respondent, ExportedRespondent]],
    categories: tuple[CategoryInfo, ...],
    locale: str,
) -> tuple[QuestionSummary, ...]:
    """Per question, the answering respondents grouped by category in the consultation's order."""
    question_word = labels_for(locale)["question"]
    summaries = []
    for number, question in enumerate(snapshot.questions, start=1):
        by_category: dict[str, list[SummaryRow]] = {}
        for respondent, row in pairs:
            answer = respondent.answer(question.code)
            if answer is not None:
                by_category.setdefault(row.category, []).append(
                    _summary_row(row, answer, question, snapshot.scale)
                )
        groups = tuple(
            CategoryGroup(info, tuple(by_category[info.label]))
            for info in categories
            if info.label in by_category
        )
        answered = sum(len(group.rows) for group in groups)
        summaries.append(
            QuestionSummary(
                number=number,
                code=question.code,
                text=question.text,
                kind=question.kind,
                heading=question_heading(
                    question_word, question.code or str(number), question.text
                ),
                groups=groups,
                answered=answered,
                not_answered=len(pairs) - answered,
                not_answered_line=not_answered_sentence(len(pairs) - answered, locale),
                options=question.options,
            )
        )
    return tuple(summaries)


def question_heading(question_word: str, code: str, text: str) -> str:
    """ "Spørsmål 1.a: Har du forslag …": the code once, even when the text repeats it.

    Imported questions often carry their code in the text ("1.Beskrivelse og vurdering"); a
    heading that printed both the position and the code ("1. Spørsmål: 1. …") numbered the
    question twice.
    """
    text = " ".join(text.split())
    return (
        f"{question_word} {code}: {_without_code(text, code)}"
        if text
        else f"{question_word} {code}"
    )


def _without_code(text: str, code: str) -> str:
    """`text` without a leading `code` and its punctuation; "1.a. Har" and "1.5 mill." stay
    whole for code 1."""
    match = re.match(rf"{re.escape(code)}(?![\w])[.):]?\s*", text)
    if match is None or re.match(r"[a-zæøå][.)]\s|\d", text[match.end() :]):
        return text
    return text[match.end() :] or text


def _summary_row(
    row: ExportedRespondent, answer: Answer, question: Question, scale: Scale
) -> SummaryRow:
    kind = question.kind
    return SummaryRow(
        respondent=row,
        answer=answer,
        label=kind.label(answer, question, scale),
        cell=kind.cell(answer, question, scale),
    )


def _overview(
    snapshot: ConsultationSnapshot,
    audience: Audience,
    locale: str,
    exported: tuple[ExportedRespondent, ...],
    categories: tuple[CategoryInfo, ...],
    questions: tuple[QuestionSummary, ...],
    provenance: Provenance,
    *,
    refused_positions_counted: int,
) -> Overview:
    per_category = Counter(row.category for row in exported)
    per_sector = Counter(row.sector for row in exported if row.sector is not None)
    return Overview(
        title=snapshot.title,
        slug=snapshot.slug,
        summary=snapshot.summary,
        opens_at=snapshot.opens_at,
        closes_at=snapshot.closes_at,
        audience=audience,
        edition_note=labels_for(locale)[f"audience_{audience}"],
        respondent_count=len(exported),
        unpublished_count=len(snapshot.respondents) - len(exported),
        refused_positions_counted=refused_positions_counted,
        by_category=tuple(
            (info, per_category[info.label]) for info in categories if per_category[info.label]
        ),
        by_sector=tuple((sector, per_sector[sector]) for sector in Sector if per_sector[sector]),
        answers_per_question=tuple((q.code, q.answered, q.not_answered) for q in questions),
        provenance=provenance,
    )
