"""What the Word report says beside an answer or a theme, worked out before any layout.

- Cross-references: an answer that only says "Se kommentarer under punkt 4" is resolved to the
  same respondent's answer to question 4 (`synthesis.crossref` recognises it), so the reader
  gets the words pointed to and a link, not a pointer into a document they do not have.
- Duplicate and campaign notes: a member of a group is told apart ("Identisk med svaret fra
  Forandringsfabrikken", "Del av en kampanje: 12 instanser sendte den samme teksten.").
- A theme's stance: how its members answered the scale of the same question
  (`exports.theme_stances`, which the JSON document uses too), and whether it is divided.

All of it is derived from a `CompiledSummary` alone, so a frozen, published edition gives the
same notes as a live one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from exports.labels import labels_for, name_list, quoted
from exports.summary import CompiledSummary, ExportedRespondent, QuestionSummary, SummaryRow
from exports.synthesis_view import ThemeSummary
from exports.theme_stances import ThemeStances
from synthesis.crossref import GENERAL, find_cross_reference, is_general_question

EXCERPT_WORDS = 30
SAME_QUOTE = 0.7  # word-set Jaccard index from which two quotes count as one text


@dataclass(frozen=True)
class Note:
    """A sentence under an answer; `anchor` names the bookmark it links to, if any."""

    text: str
    anchor: str | None = None


def answer_anchor(question: QuestionSummary, row: SummaryRow) -> str:
    """The bookmark of one answer in the listing ("svar_4_r12")."""
    return f"svar_{question.number}_{row.respondent.export_id}"


class ReportNotes:
    """Notes for every answer and theme of one summary, computed once."""

    def __init__(self, summary: CompiledSummary) -> None:
        self.summary = summary
        self.labels = labels_for(summary.locale)
        self._rows = {
            question.code: {row.respondent.export_id: row for row in question.rows}
            for question in summary.questions
        }
        self._by_code = {question.code: question for question in summary.questions}
        self._general = _general_question(summary.questions)
        self._duplicates = self._duplicate_notes()
        self._stances = ThemeStances(summary)
        self.link_targets: set[str] = set()  # anchors some note links to: bookmark these
        self._references = {
            (question.code, row.respondent.export_id): note
            for question in summary.questions
            for row in question.rows
            if (note := self._cross_reference(question, row)) is not None
        }

    def for_answer(self, question: QuestionSummary, row: SummaryRow) -> list[Note]:
        notes = [
            Note(text)
            for key in ((question.code, row.respondent.export_id), (None, row.respondent.export_id))
            for text in self._duplicates.get(key, ())
        ]
        reference = self._references.get((question.code, row.respondent.export_id))
        if reference is not None:
            notes.append(reference)
        return notes

    def stance(self, theme: ThemeSummary) -> str | None:
        """ "Standpunkt blant disse: Helt enig 3 · Delvis uenig 1." (and whether it is divided)."""
        stance = self._stances.of(theme)
        if stance is None:
            return None
        positions = " · ".join(f"{label} {count}" for label, count in stance.positions())
        text = self.labels["theme_stance"].format(positions=positions)
        return f"{text} {self.labels['theme_divided']}" if stance.divided else text

    def _cross_reference(self, question: QuestionSummary, row: SummaryRow) -> Note | None:
        if not row.comment:
            return None
        reference = find_cross_reference(row.comment, list(self._by_code))
        if reference is None:
            return None
        target_code = reference.target
        if target_code == GENERAL:
            if self._general is None or self._general.code == question.code:
                return Note(self.labels["refers_to_general"])
            target_code = self._general.code
        if target_code == question.code:
            return None
        target = self._rows.get(target_code, {}).get(row.respondent.export_id)
        if target is None:
            return Note(self.labels["refers_to_unanswered"].format(code=target_code))
        anchor = answer_anchor(self._by_code[target_code], target)
        self.link_targets.add(anchor)
        excerpt = _excerpt(target.comment or target.label)
        text = self.labels["refers_to"].format(
            code=target_code, quote=quoted(excerpt, self.summary.locale)
        )
        return Note(text, anchor)

    def _duplicate_notes(self) -> Mapping[tuple[str | None, str], list[str]]:
        notes: dict[tuple[str | None, str], list[str]] = defaultdict(list)
        locale = self.summary.locale
        for group in self.summary.duplicates:
            for member in group.members:
                others = [o.display_name for o in group.members if o.export_id != member.export_id]
                if group.kind == "campaign":
                    text = self.labels["campaign_member"].format(count=len(group.members))
                elif not others:
                    continue
                else:
                    template = "identical_to" if group.kind == "exact" else "near_to"
                    text = self.labels[template].format(names=name_list(others, locale))
                notes[(group.question_code, member.export_id)].append(text)
        return notes


def distinct_quotes(
    quotes: Sequence[tuple[ExportedRespondent, str]], count: int
) -> list[tuple[ExportedRespondent, str]]:
    """The first `count` quotes that differ: two copies of one text (a duplicate answer, a
    campaign) tell the reader nothing twice, so the second is skipped."""
    chosen: list[tuple[ExportedRespondent, str]] = []
    seen: list[set[str]] = []
    for who, text in quotes:
        words = set(re.findall(r"\w+", text.casefold()))
        if any(len(words & other) >= SAME_QUOTE * len(words | other) for other in seen):
            continue
        chosen.append((who, text))
        seen.append(words)
        if len(chosen) == count:
            break
    return chosen


def _general_question(questions: Sequence[QuestionSummary]) -> QuestionSummary | None:
    """The question for general comments ("Har du flere kommentarer …"), the last such one."""
    found = [question for question in questions if is_general_question(question.text)]
    return found[-1] if found else None


def _excerpt(text: str) -> str:
    words = text.split()
    if len(words) <= EXCERPT_WORDS:
        return " ".join(words)
    return " ".join(words[:EXCERPT_WORDS]) + " …"
