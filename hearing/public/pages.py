"""Browsing consultations: open ones first, then closed and published ones, marked as such."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import case, select

from hearing.extensions import db
from hearing.markdown import render_markdown
from hearing.models import Consultation, Status
from hearing.models.types import utcnow
from hearing.public import public_blueprint as bp
from hearing.services.consultations import status_label

VISIBLE = (Status.OPEN, Status.CLOSED, Status.PUBLISHED)


def visible_consultation_or_404(slug: str) -> Consultation:
    found = db.session.scalar(
        select(Consultation).where(Consultation.slug == slug, Consultation.status.in_(VISIBLE))
    )
    if found is None:
        abort(404)
    return found


@bp.route("/")
def index() -> str:
    order = case({Status.OPEN: 0, Status.CLOSED: 1, Status.PUBLISHED: 2}, value=Consultation.status)
    consultations = db.session.scalars(
        select(Consultation)
        .where(Consultation.status.in_(VISIBLE))
        .order_by(order, Consultation.closes_at.desc(), Consultation.id.desc())
    ).all()
    return render_template(
        "public/index.html", consultations=consultations, status_label=status_label, now=utcnow()
    )


@bp.route("/h/<slug>")
def consultation(slug: str) -> str:
    found = visible_consultation_or_404(slug)
    return render_template(
        "public/consultation.html",
        consultation=found,
        document=render_markdown(found.document),
        status_label=status_label,
        accepting=found.is_accepting_responses(utcnow()),
    )
