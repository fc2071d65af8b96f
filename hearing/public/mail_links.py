""" "Send me my link again": a respondent gives an address and gets the private links of the
responses given with it, by e-mail.

The page never tells whether an address is known. Every valid request does the same work in the
request (one outbox row, one commit, one task) and gets the same page; whether any response has
the address is decided later, by the worker composing the message, which sends nothing for an
unknown address (the row is marked skipped). Requests are rate limited per client and per
address asked for, so the page can neither flood someone's inbox nor be used to probe quickly.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from forms.mail import LinkRequestForm
from hearing.extensions import db, limiter
from hearing.models import MessageKind
from hearing.public import public_blueprint as bp
from hearing.public.pages import visible_consultation_or_404
from hearing.services import outbox
from hearing.services.mail_compose import base_url


def _client_limit() -> str:
    return current_app.config["RATELIMIT_MAIL_LINKS"]


def _address_limit() -> str:
    return current_app.config["RATELIMIT_MAIL_LINKS_ADDRESS"]


def _asked_address() -> str:
    return "mail-links:" + (request.form.get("email") or "").strip().lower()


@bp.route("/h/<slug>/lenke", methods=["GET", "POST"])
@limiter.limit(_client_limit, methods=["POST"])
@limiter.limit(_address_limit, methods=["POST"], key_func=_asked_address)
def mail_links(slug: str) -> str | Response | tuple[str, int]:
    consultation = visible_consultation_or_404(slug)
    form = LinkRequestForm()
    if form.validate_on_submit():
        message = outbox.enqueue(
            MessageKind.LINKS,
            form.email.data.strip().lower(),
            language=str(get_locale()),
            params={"base_url": base_url()},
            consultation_id=consultation.id,
        )
        db.session.commit()
        outbox.dispatch([message.id] if message is not None else [])
        flash(
            _(
                "Takk. Finnes det svar fra denne adressen i høringen, sender vi lenkene til "
                "adressen nå. Kommer det ingen e-post, kan du ha brukt en annen adresse, eller "
                "den kan ha havnet i søppelposten."
            ),
            "success",
        )
        return redirect(url_for("public.mail_links", slug=slug))
    status = 422 if form.errors else 200
    return render_template("public/mail_links.html", consultation=consultation, form=form), status
