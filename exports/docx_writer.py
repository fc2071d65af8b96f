"""The compiled summary as a Word report: the chapter "Høringsinstansenes syn" of a proposal.

A ministry pastes this chapter into its proposal, so it is built from real Word structure: the
consultation's title, a table of contents field, the chapter as Heading 1, each question as
Heading 2 with its parts as Heading 3 (the navigation pane lists them), numbered tables and
figures, and page numbers in the footer. Per question:

1. the tallies by category as a table (everyone first) and the chart as a picture, painted on
   the server from the same rows as the web page's SVG (`chart_png`);
2. the themes the synthesis found, with their size, how their members answered the scale, and
   two quotes each;
3. identical answers and campaigns;
4. the listing, as seed 004 has it: per category a table of respondent | answer, with notes
   under an answer that is a duplicate ("Identisk med svaret fra …") or only points elsewhere
   ("Se kommentarer under punkt 4" is followed by the words pointed to and a link to them);
   and the closing line "N andre instanser … har ikke svart på dette spørsmålet."

Word tables are built cell by cell, so this format suits consultations of human size (hundreds
or a few thousand responses); the workbook and CSV writers stream for the large ones.
"""

from __future__ import annotations

import io
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import BinaryIO, TypeVar

from docx import Document
from docx.document import Document as DocumentType
from docx.shared import Cm, Pt
from docx.table import _Cell

from exports.chart_layout import category_rows
from exports.chart_png import diverging_chart_png
from exports.docx_fields import (
    add_bookmark,
    add_internal_link,
    add_page_number_footer,
    add_table_of_contents,
    set_language,
    update_fields_on_open,
)
from exports.docx_tables import TEXT_WIDTH, count_table, listing_table, tally_table
from exports.labels import duplicate_kind_label, name_list, quoted
from exports.local_time import in_oslo
from exports.report_notes import Note, ReportNotes, answer_anchor, distinct_quotes
from exports.safe_cell import strip_control_characters as _clean
from exports.summary import CompiledSummary, QuestionSummary, SummaryRow
from exports.synthesis_view import DuplicateSummary, ThemeSummary
from synthesis.snapshot import DONT_KNOW_LABEL

_Item = TypeVar("_Item", ThemeSummary, DuplicateSummary)
QUOTES_PER_THEME = 2
QUOTE_WORDS = 80
LANGUAGES = {"nb": "nb-NO", "en": "en-GB"}


def write_docx(summary: CompiledSummary, stream: BinaryIO) -> None:
    """Write the Word report of `summary` to a binary `stream`."""
    _Report(summary).write(stream)


def docx_bytes(summary: CompiledSummary) -> bytes:
    """The Word document as bytes, for a download response."""
    buffer = io.BytesIO()
    write_docx(summary, buffer)
    return buffer.getvalue()


class _Report:
    """One report being written: the document, its numbering of tables, figures, bookmarks."""

    def __init__(self, summary: CompiledSummary) -> None:
        self.summary = summary
        self.labels = summary.labels
        self.document: DocumentType = Document()
        self.notes = ReportNotes(summary)
        self.tables = itertools.count(1)
        self.figures = itertools.count(1)
        self.bookmarks = itertools.count(1)
        self.tabulations = {t.question_code: t for t in summary.tabulations}
        self.themes: Mapping[str | None, list[ThemeSummary]] = _by_question(summary.themes)
        self.duplicates: Mapping[str | None, list[DuplicateSummary]] = _by_question(
            summary.duplicates
        )

    def write(self, stream: BinaryIO) -> None:
        document, labels, overview = self.document, self.labels, self.summary.overview
        self._set_up()
        document.add_heading(_clean(overview.title), level=0)
        document.add_paragraph(labels["contents"], style="TOC Heading")
        add_table_of_contents(
            document,
            [
                (1, labels["report_chapter"], "kapittel"),
                (2, labels["respondents_heading"], "instansene"),
                *((2, _clean(q.heading), _question_anchor(q)) for q in self.summary.questions),
            ],
        )
        self._heading(labels["report_chapter"], 1, "kapittel")
        self._introduction()
        for question in self.summary.questions:
            self._question(question)
        document.save(stream)

    def _set_up(self) -> None:
        normal = self.document.styles["Normal"].font
        normal.name, normal.size = "Calibri", Pt(11)
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.2)
        add_page_number_footer(section, self.labels["page_of"])
        update_fields_on_open(self.document)
        set_language(self.document, LANGUAGES.get(self.summary.locale, "nb-NO"))
        properties = self.document.core_properties
        properties.title = _clean(self.summary.overview.title)
        properties.language = LANGUAGES.get(self.summary.locale, "nb-NO")

    def _introduction(self) -> None:
        """Edition, counts and deadline, then the respondents by category."""
        labels, overview = self.labels, self.summary.overview
        self.document.add_paragraph().add_run(overview.edition_note).italic = True
        facts = [f"{labels['respondents']}: {overview.respondent_count}."]
        if overview.unpublished_count:
            facts.append(f"{labels['unpublished']}: {overview.unpublished_count}.")
        if overview.refused_positions_counted:
            facts.append(
                f"{labels['refused_positions_counted']}: {overview.refused_positions_counted}."
            )
        if overview.closes_at is not None:
            deadline = _oslo_time(overview.closes_at, self.summary.locale)
            facts.append(f"{labels['closes_at']}: {deadline}.")
        self.document.add_paragraph(" ".join(facts))
        self._heading(labels["respondents_heading"], 2, "instansene")
        rows = [(info.display_label, count) for info, count in overview.by_category]
        rows.append((labels["total"], overview.respondent_count))
        self._caption(labels["respondents_caption"].format(number=next(self.tables)))
        count_table(self.document, rows, (labels["category"], labels["count"]))

    def _question(self, question: QuestionSummary) -> None:
        self._heading(_clean(question.heading), 2, _question_anchor(question))
        tabulation = self.tabulations.get(question.code)
        if question.kind.tabulated and tabulation is not None and tabulation.overall.total:
            self._positions(question)
        elif question.groups:
            self._answers_by_category(question)
        if self.themes.get(question.code):
            self._themes(self.themes[question.code])
        groups = [*self.duplicates.get(question.code, ()), *self.duplicates.get(None, ())]
        if groups:
            self._duplicates(groups)
        if question.groups:
            self._heading(self.labels["listing_heading"], 3)
            for group in question.groups:
                self._listing(question, group.category.display_label, group.rows)
        if question.not_answered_line:
            self.document.add_paragraph().add_run(question.not_answered_line).italic = True

    def _positions(self, question: QuestionSummary) -> None:
        labels, summary = self.labels, self.summary
        tabulation = self.tabulations[question.code]
        categories = [(info.label, info.display_label) for info in summary.categories]
        rows = category_rows(tabulation, categories, total_label=labels["all_respondents"])
        offered = tabulation.ordinal and bool(summary.scale.dont_know)
        show_dont_know = offered or tabulation.overall.dont_know > 0
        self._heading(labels["positions_heading"], 3)
        number = next(self.tables)
        self._caption(labels["positions_caption"].format(number=number, code=question.code))
        tally_table(
            self.document,
            rows,
            tabulation.labels,
            category_word=labels["category"],
            dont_know_label=(summary.scale.dont_know or DONT_KNOW_LABEL)
            if show_dont_know
            else None,
            positioned_word=labels["positioned"],
            locale=summary.locale,
        )
        if not tabulation.ordinal:  # a diverging chart is for scale points
            return
        picture = diverging_chart_png(
            rows, tabulation.labels, empty_label=labels["no_positions"], locale=summary.locale
        )
        self.document.add_picture(io.BytesIO(picture), width=TEXT_WIDTH)
        self.document.paragraphs[-1].paragraph_format.space_before = Pt(8)  # apart from the table
        figure = next(self.figures)
        self._caption(
            labels["figure_caption"].format(number=figure, code=question.code), table=False
        )

    def _answers_by_category(self, question: QuestionSummary) -> None:
        labels = self.labels
        self._heading(labels["answers_by_category"], 3)
        number = next(self.tables)
        self._caption(labels["answers_caption"].format(number=number, code=question.code))
        rows = [(group.category.display_label, len(group.rows)) for group in question.groups]
        rows.append((labels["total"], question.answered))
        count_table(self.document, rows, (labels["category"], labels["answered"]))

    def _themes(self, themes: list[ThemeSummary]) -> None:
        labels, locale = self.labels, self.summary.locale
        self._heading(labels["themes_heading"], 3)
        for theme in themes:
            paragraph = self.document.add_paragraph(style="List Bullet")
            paragraph.add_run(_clean(theme.label)).bold = True
            size_key = "theme_size_one" if theme.size == 1 else "theme_size_many"
            paragraph.add_run(f" ({labels[size_key].format(count=theme.size)})")
            stance = self.notes.stance(theme)
            if stance:
                paragraph.add_run().add_break()
                paragraph.add_run(stance)
            for who, text in distinct_quotes(theme.quotes, QUOTES_PER_THEME):
                quote = self.document.add_paragraph(style="Quote")
                quote.add_run(quoted(_clean(_shortened(text)), locale))
                quote.add_run(f" – {_clean(who.display_name)}")

    def _duplicates(self, groups: list[DuplicateSummary]) -> None:
        labels, locale = self.labels, self.summary.locale
        self._heading(labels["duplicates_heading"], 3)
        for group in groups:
            names = name_list([_clean(m.display_name) for m in group.members], locale, limit=8)
            text = labels["duplicate_group"].format(
                kind=duplicate_kind_label(group.kind, locale),
                count=len(group.members),
                names=names,
            )
            self.document.add_paragraph(text, style="List Bullet")
            if group.kind != "exact" and group.template:
                quote = self.document.add_paragraph(style="Quote")
                quote.add_run(f"{labels['template']}: ")
                quote.add_run(quoted(_clean(_shortened(group.template)), locale))

    def _listing(
        self, question: QuestionSummary, category: str, rows: tuple[SummaryRow, ...]
    ) -> None:
        targets = self.notes.link_targets
        listing_table(
            self.document,
            category,
            self.labels["answer"],
            [
                (
                    _respondent_text(row),
                    row.label,
                    row.comment,
                    self.notes.for_answer(question, row),
                    anchor if (anchor := answer_anchor(question, row)) in targets else None,
                )
                for row in rows
            ],
            _write_link,
            lambda: next(self.bookmarks),
        )
        self.document.add_paragraph()

    def _heading(self, text: str, level: int, bookmark: str | None = None) -> None:
        paragraph = self.document.add_heading(text, level=level)
        if bookmark is not None:
            add_bookmark(paragraph, bookmark, next(self.bookmarks))

    def _caption(self, text: str, table: bool = True) -> None:
        """A numbered caption: above a table, below a figure (Word's own convention)."""
        paragraph = self.document.add_paragraph(text, style="Caption")
        paragraph.paragraph_format.keep_with_next = table


def _write_link(cell: _Cell, note: Note) -> None:
    add_internal_link(cell.add_paragraph(), _clean(note.text), note.anchor or "", italic=True)


def _respondent_text(row: SummaryRow) -> str:
    respondent = row.respondent
    if respondent.on_behalf_of:
        return f"{respondent.display_name} ({respondent.on_behalf_of})"
    return respondent.display_name


def _question_anchor(question: QuestionSummary) -> str:
    return f"sporsmal_{question.number}"


def _by_question(items: Iterable[_Item]) -> dict[str | None, list[_Item]]:
    grouped: dict[str | None, list[_Item]] = defaultdict(list)
    for item in items:
        grouped[item.question_code].append(item)
    return grouped


def _shortened(text: str) -> str:
    words = " ".join(text.split()).split(" ")
    return text.strip() if len(words) <= QUOTE_WORDS else " ".join(words[:QUOTE_WORDS]) + " …"


def _oslo_time(value: datetime, locale: str) -> str:
    """ "14.02.2025 kl. 23:59" or "14 February 2025, 23:59", in Norwegian time."""
    local = in_oslo(value)
    if locale == "en":
        return f"{local.day} {_MONTHS_EN[local.month - 1]} {local.year}, {local:%H:%M}"
    return f"{local:%d.%m.%Y} kl. {local:%H:%M}"


_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
