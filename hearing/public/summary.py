"""The published summary: a page laid out like the compiled document, and its public downloads.

Only PUBLISHED consultations have either; for any other status the addresses answer 404, so a
summary cannot be read (or its address guessed) before the secretariat publishes it, and a
withdrawn summary's page says it was withdrawn (410). Both are rendered from the current
publication's frozen public summary (`hearing.services.publication`: built from publishable
answers only, private persons numbered "Privatperson 1, 2, …", no e-mail addresses), so the
page and every file tell the same story, and nothing changes until the secretariat republishes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import abort, current_app, render_template, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.wrappers import Response

from exports.summary import CompiledSummary, QuestionSummary
from exports.svg_chart import ChartRow, category_rows, diverging_chart_svg, format_percent
from exports.synthesis_view import ThemeSummary
from hearing.export_formats import FORMAT_ROUTE, FORMATS, ExportFormat, export_filename
from hearing.extensions import db, limiter
from hearing.models import Consultation, Publication, PublicationStatus, Status
from hearing.public import public_blueprint as bp
from hearing.public.page_cache import shared_page
from hearing.published_files import published_file, published_version
from hearing.services.publication import (
    current_publication,
    latest_publication,
    published_summary,
)
from synthesis.tabulation import QuestionTabulation

QUOTES_PER_THEME = 3


@dataclass(frozen=True)
class PositionChart:
    """A question's chart and the rows of the data table that is its text alternative."""

    svg: Markup | None  # a diverging chart, for scale questions
    rows: tuple[ChartRow, ...]
    labels: tuple[str, ...]
    show_dont_know: bool


@dataclass(frozen=True)
class QuestionSection:
    question: QuestionSummary
    chart: PositionChart | None
    themes: tuple[ThemeSummary, ...]


def publication_or_404(slug: str) -> tuple[Consultation, Publication]:
    """The published consultation and its current publication; 404 for anything else."""
    found = db.session.scalar(
        select(Consultation).where(
            Consultation.slug == slug, Consultation.status == Status.PUBLISHED
        )
    )
    publication = current_publication(found) if found is not None else None
    if found is None or publication is None:
        abort(404)
    return found, publication


def withdrawn_page(slug: str) -> tuple[str, int] | None:
    """The notice for a summary that was published and then withdrawn, if that is the case."""
    found = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if found is None or found.status in (Status.DRAFT, Status.OPEN, Status.PUBLISHED):
        return None
    latest = latest_publication(found)
    if latest is None or latest.status != PublicationStatus.WITHDRAWN:
        return None
    return render_template(
        "public/summary_withdrawn.html", consultation=found, publication=latest
    ), 410


@bp.route("/h/<slug>/oppsummering")
def summary_page(slug: str) -> str | tuple[str, int]:
    """Rendered once per publication and language (see hearing.published_files)."""
    withdrawn = withdrawn_page(slug)
    if withdrawn is not None:
        return withdrawn
    consultation, publication = publication_or_404(slug)
    locale = str(get_locale())
    # Frozen with the publication, like everything else on the page.
    not_answered = tuple(publication.counts.get("invited_not_answered", ()))

    def render() -> str:
        summary = published_summary(publication, locale)
        return render_template(
            "public/summary.html",
            consultation=consultation,
            summary=summary,
            sections=_sections(summary, locale),
            formats=FORMATS.values(),
            percent=lambda share: format_percent(share, locale),
            quotes_per_theme=QUOTES_PER_THEME,
            not_answered=not_answered,
        )

    key = ("summary", published_version(publication, locale), not_answered)
    return shared_page(key, render)


def _download_limit() -> str:
    return current_app.config["RATELIMIT_DOWNLOAD"]


@bp.route(f"/h/<slug>/oppsummering.<any({FORMAT_ROUTE}):format_name>")
@limiter.limit(_download_limit)
def summary_download(slug: str, format_name: str) -> Response:
    """The file from the published-files store; a repeat download with its ETag gets a 304."""
    consultation, publication = publication_or_404(slug)
    export_format = FORMATS[format_name]
    locale = str(get_locale())
    try:
        response = _send_published(consultation, publication, export_format, locale)
    except FileNotFoundError:
        # Another worker replaced this version between finding and opening it: once more.
        response = _send_published(consultation, publication, export_format, locale)
    response.headers["Cache-Control"] = "no-cache"  # revalidate: a hidden response must vanish
    return response


def _send_published(
    consultation: Consultation, publication: Publication, export_format: ExportFormat, locale: str
) -> Response:
    return send_file(
        published_file(publication, export_format, locale),
        mimetype=export_format.mimetype,
        as_attachment=True,
        download_name=export_filename(consultation.slug, "public", export_format.name),
        conditional=True,
        etag=True,
        max_age=0,
    )


def _sections(summary: CompiledSummary, locale: str) -> list[QuestionSection]:
    tabulations = {t.question_code: t for t in summary.tabulations}
    themes: dict[str, list[ThemeSummary]] = defaultdict(list)
    for theme in summary.themes:
        themes[theme.question_code].append(theme)
    categories = [(info.label, info.display_label) for info in summary.categories]
    sections = []
    for question in summary.questions:
        tabulation = tabulations.get(question.code)
        chart = None
        if tabulation is not None and tabulation.overall.total > 0:
            rows = category_rows(tabulation, categories, total_label=_("Alle som svarte"))
            chart = PositionChart(
                svg=_chart_svg(question, tabulation, rows, locale) if tabulation.ordinal else None,
                rows=tuple(rows),
                labels=tuple(tabulation.labels),
                show_dont_know=(tabulation.ordinal and bool(summary.scale.dont_know))
                or any(row.counts.dont_know for row in rows),
            )
        sections.append(QuestionSection(question, chart, tuple(themes[question.code])))
    return sections


def _chart_svg(
    question: QuestionSummary, tabulation: QuestionTabulation, rows: list[ChartRow], locale: str
) -> Markup:
    svg = diverging_chart_svg(
        rows,
        tabulation.labels,
        title=_("Standpunkter til spørsmål %(code)s etter kategori", code=question.code),
        description=_(
            "Stolpediagram: uenighet til venstre for midtlinjen, enighet til høyre. "
            "Tallene står i tabellen under diagrammet."
        ),
        chart_id=f"chart-{question.number}",
        empty_label=_("ingen standpunkter"),
        locale=locale,
    )
    return Markup(svg)  # every text in it is escaped by svg_chart
