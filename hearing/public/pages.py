"""Browsing consultations: open ones first, then scheduled, closed and published ones, marked
as such; and the secretariat's preview of a consultation before it opens."""

from __future__ import annotations

from datetime import datetime

from babel import dates
from flask import abort, make_response, render_template, request
from flask_babel import format_time, get_locale, to_user_timezone
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import bindparam, select
from sqlalchemy.orm import defer
from werkzeug.wrappers import Response

from hearing.auth import signed_in_user
from hearing.caching import BoundedCache, app_cache
from hearing.extensions import db
from hearing.i18n import sector_name
from hearing.markdown import render_markdown
from hearing.models import Consultation, Role, Status
from hearing.models.types import utcnow
from hearing.public import public_blueprint as bp
from hearing.services.consultations import settle_statuses, status_label
from hearing.services.form_shapes import form_shape

# Stored statuses the public may see; a released consultation before its opening time is
# shown too ("Planlagt"), so people can read the document before they can answer.
VISIBLE = (Status.OPEN, Status.CLOSED, Status.PUBLISHED)
# What the secretariat may preview as respondents will see it, before anyone else can answer.
PREVIEWABLE = (Status.DRAFT, Status.SCHEDULED)
# The blueprints whose pages show or act on a consultation's status.
SHOWS_STATUSES = ("public", "admin")
# Open ones first, then those about to open, then closed and published ones.
LIST_ORDER = {Status.OPEN: 0, Status.SCHEDULED: 1, Status.CLOSED: 2, Status.PUBLISHED: 3}


# Built once: every public request runs it. The document can be long (tens of kB) and only the
# consultation's own page shows it, so it is loaded there.
VISIBLE_BY_SLUG = (
    select(Consultation)
    .options(defer(Consultation.document))
    .where(Consultation.slug == bindparam("slug"), Consultation.status.in_(VISIBLE))
)
ANY_BY_SLUG = (
    select(Consultation)
    .options(defer(Consultation.document))
    .where(Consultation.slug == bindparam("slug"))
)


@bp.before_app_request
def _settle_statuses() -> None:
    """Let the stored status follow the deadline before a page that shows statuses reads it
    (see settle_statuses: one cheap read when nothing is due). Static files, sign-in and the
    health probe (which must not touch the database) need no status."""
    if request.blueprint not in SHOWS_STATUSES:
        return
    if settle_statuses(utcnow()):
        db.session.commit()


def visible_consultation_or_404(slug: str) -> Consultation:
    found = db.session.scalar(VISIBLE_BY_SLUG, {"slug": slug})
    if found is None:
        abort(404)
    return found


def is_secretariat() -> bool:
    user = signed_in_user()
    return user is not None and user.has_role(Role.ADMIN, Role.ANALYST)


def readable_consultation_or_404(slug: str) -> tuple[Consultation, bool]:
    """The consultation and whether this is a preview: a signed-in secretariat user sees a draft
    or scheduled consultation as respondents will once it opens; to anyone else a draft does
    not exist (404), and a scheduled one is the public's ordinary page."""
    if not is_secretariat():
        return visible_consultation_or_404(slug), False
    found = db.session.scalar(ANY_BY_SLUG, {"slug": slug})
    if found is None:
        abort(404)
    return found, found.status_at(utcnow()) in PREVIEWABLE


def preview_response(page: str) -> Response:
    """A preview holds unreleased text: no cache may keep it, and no search engine index it."""
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def category_choices(consultation: Consultation) -> list[tuple[int, str]]:
    """(id, "Name (Sector)") in the consultation's order, the sector in the reader's language."""
    shape = form_shape(consultation)
    return shape.per_locale(
        ("category_choices", str(get_locale())),
        lambda: [
            (category.id, f"{category.name} ({sector_name(category.sector)})")
            for category in shape.categories
        ],
    )


def _document_html(consultation: Consultation) -> Markup:
    """The consultation document as HTML, rendered once per version (it can run to tens of kB,
    and on the last day everyone who answers reads this page first)."""
    documents: BoundedCache[Markup] = app_cache("hearing_documents", 64)
    return documents.get_or_make(
        (consultation.id, consultation.updated_at), lambda: render_markdown(consultation.document)
    )


# English readers here are in Europe: "22 November 2026", not the US "November 22, 2026".
DATE_LOCALES = {"en": "en_GB"}


@bp.app_template_filter("oslo_time")
def oslo_time(value: datetime | None) -> str:
    """A deadline as people say it, in Norwegian time: "1. mars 2025 kl. 12:00"."""
    if value is None:
        return ""
    locale = str(get_locale())
    return _(
        "%(date)s kl. %(time)s",
        date=dates.format_date(
            to_user_timezone(value), "long", locale=DATE_LOCALES.get(locale, locale)
        ),
        time=format_time(value, "HH:mm"),
    )


@bp.route("/")
def index() -> str:
    now = utcnow()
    found = db.session.scalars(
        select(Consultation)
        .options(defer(Consultation.document))
        .where(Consultation.status.in_(VISIBLE))
    ).all()
    statuses = {c.id: c.status_at(now) for c in found}
    consultations = sorted(
        found,
        key=lambda c: (
            LIST_ORDER[statuses[c.id]],
            c.closes_at is None,
            -(c.closes_at.timestamp() if c.closes_at else 0),
            -c.id,
        ),
    )
    return render_template(
        "public/index.html",
        consultations=consultations,
        statuses=statuses,
        status_label=status_label,
    )


@bp.route("/h/<slug>")
def consultation(slug: str) -> str | Response:
    found, preview = readable_consultation_or_404(slug)
    now = utcnow()
    page = render_template(
        "public/consultation.html",
        consultation=found,
        document=_document_html(found),
        status=found.status_at(now),
        status_label=status_label,
        accepting=found.is_accepting_responses(now),
        opens_later=bool(found.opens_at and now < found.opens_at),
        preview=preview,
    )
    return preview_response(page) if preview else page
