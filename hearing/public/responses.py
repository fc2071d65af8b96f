"""The published responses one by one: a list like regjeringen.no's "Høringssvar", and a page
per response.

Everything here is read from the current edition (`exports.response_pages` over the frozen
summary), never from the live data, so a page shows no more and nothing newer than the
summary: the responses the edition published, redacted, named or anonymised as it shows them.
A page's address holds a random id (`hearing.models.response_page`), not the reference or the
private link. When the summary is withdrawn, the list and every page say so (410); a response
hidden or erased since is gone from the edition republished without it (404).
"""

from __future__ import annotations

from io import BytesIO
from math import ceil

from flask import abort, render_template, request, send_file
from flask_babel import get_locale
from sqlalchemy import select
from werkzeug.wrappers import Response

from exports.response_pages import PublishedResponse, published_responses
from hearing.caching import app_cache
from hearing.extensions import db
from hearing.models import Attachment, Consultation, Publication
from hearing.public import public_blueprint as bp
from hearing.public.page_cache import shared_page
from hearing.public.summary import publication_or_404, withdrawn_page
from hearing.published_files import published_version
from hearing.services import response_pages
from hearing.services.attachments import MEDIA_TYPES
from hearing.services.publication import current_publication, published_summary

INDEX_KEY = "hearing_published_responses"
INDEX_MAX = 16
PAGE_SIZE = 100


def responses_of(publication: Publication, locale: str) -> dict[str, PublishedResponse]:
    """The edition's responses by page id, indexed once per process and language."""
    index = app_cache(INDEX_KEY, INDEX_MAX)
    found: dict[str, PublishedResponse] = index.get_or_make(
        (publication.id, locale),
        lambda: published_responses(published_summary(publication, locale)),
    )
    return found


@bp.app_template_global()
def published_responses_of(consultation: Consultation) -> list[PublishedResponse]:
    """The published responses, for the consultation's own page (none before publication)."""
    publication = current_publication(consultation)
    if publication is None:
        return []
    return list(responses_of(publication, str(get_locale())).values())


@bp.route("/h/<slug>/horingssvar")
def response_list(slug: str) -> str | tuple[str, int]:
    withdrawn = withdrawn_page(slug)
    if withdrawn is not None:
        return withdrawn
    consultation, publication = publication_or_404(slug)
    locale = str(get_locale())
    listed = list(responses_of(publication, locale).values())
    pages = max(1, ceil(len(listed) / PAGE_SIZE))
    page = min(max(request.args.get("side", 1, type=int) or 1, 1), pages)

    def render() -> str:
        return render_template(
            "public/responses.html",
            consultation=consultation,
            responses=listed[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
            total=len(listed),
            page=page,
            pages=pages,
        )

    return shared_page(("responses", published_version(publication, locale), page), render)


@bp.route("/h/<slug>/horingssvar/<page_id>")
def response_page(slug: str, page_id: str) -> str | tuple[str, int]:
    withdrawn = withdrawn_page(slug)
    if withdrawn is not None:
        return withdrawn
    consultation, publication = publication_or_404(slug)
    locale = str(get_locale())
    found = responses_of(publication, locale).get(page_id)
    if found is None:
        abort(404)

    def render() -> str:
        return render_template("public/response.html", consultation=consultation, response=found)

    return shared_page(("response", published_version(publication, locale), page_id), render)


@bp.route("/h/<slug>/horingssvar/<page_id>/original")
def response_original(slug: str, page_id: str) -> Response:
    """The original letter, where the edition offers it and that still holds (approved by the
    secretariat, no redaction since)."""
    consultation, publication = publication_or_404(slug)
    found = responses_of(publication, str(get_locale())).get(page_id)
    if found is None or found.letter is None or not found.letter.original:
        abort(404)
    original = response_pages.original_for(consultation, page_id)
    if original is None:
        abort(404)
    data = db.session.scalar(select(Attachment.data).where(Attachment.id == original.id))
    return send_file(
        BytesIO(data or b""),
        mimetype=MEDIA_TYPES.get(original.kind, "application/octet-stream"),
        as_attachment=True,
        download_name=original.filename,
        max_age=0,
    )
