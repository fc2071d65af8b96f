"""Browsing consultations: open ones first, then closed and published ones, marked as such."""

from __future__ import annotations

from datetime import datetime

from babel import dates
from flask import abort, render_template
from flask_babel import format_time, get_locale, to_user_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import bindparam, case, select
from sqlalchemy.orm import defer

from hearing.caching import BoundedCache, app_cache
from hearing.extensions import db
from hearing.markdown import render_markdown
from hearing.models import Consultation, Status
from hearing.models.types import utcnow
from hearing.public import public_blueprint as bp
from hearing.services.consultations import status_label
from hearing.services.form_shapes import form_shape
from synthesis.snapshot import Sector

VISIBLE = (Status.OPEN, Status.CLOSED, Status.PUBLISHED)
SECTOR_LABELS = {
    Sector.PUBLIC: _l("Offentlig"),
    Sector.PRIVATE: _l("Privat"),
    Sector.INDIVIDUAL: _l("Enkeltperson"),
}


# Built once: every public request runs it. The document can be long (tens of kB) and only the
# consultation's own page shows it, so it is loaded there.
VISIBLE_BY_SLUG = (
    select(Consultation)
    .options(defer(Consultation.document))
    .where(Consultation.slug == bindparam("slug"), Consultation.status.in_(VISIBLE))
)


def visible_consultation_or_404(slug: str) -> Consultation:
    found = db.session.scalar(VISIBLE_BY_SLUG, {"slug": slug})
    if found is None:
        abort(404)
    return found


def category_choices(consultation: Consultation) -> list[tuple[int, str]]:
    """(id, "Name (Sector)") in the consultation's order, the sector in the reader's language."""
    shape = form_shape(consultation)
    return shape.per_locale(
        ("category_choices", str(get_locale())),
        lambda: [
            (category.id, f"{category.name} ({SECTOR_LABELS[category.sector]})")
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
    order = case({Status.OPEN: 0, Status.CLOSED: 1, Status.PUBLISHED: 2}, value=Consultation.status)
    consultations = db.session.scalars(
        select(Consultation)
        .where(Consultation.status.in_(VISIBLE))
        .order_by(order, Consultation.closes_at.desc(), Consultation.id.desc())
    ).all()
    now = utcnow()
    return render_template(
        "public/index.html",
        consultations=consultations,
        accepting={c.id for c in consultations if c.is_accepting_responses(now)},
        status_label=status_label,
        now=now,
    )


@bp.route("/h/<slug>")
def consultation(slug: str) -> str:
    found = visible_consultation_or_404(slug)
    now = utcnow()
    return render_template(
        "public/consultation.html",
        consultation=found,
        document=_document_html(found),
        status_label=status_label,
        accepting=found.is_accepting_responses(now),
        not_yet_open=bool(found.status == Status.OPEN and found.opens_at and now < found.opens_at),
    )
