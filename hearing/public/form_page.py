"""The response form on the request path, behind two calls: `response_form` and
`blank_form_page`. Three caches make the form fast; changing the form needs only their rules.

On a consultation's last day hundreds of respondents a second fetch, post and read back the same
form. So (1) the form class is built once per version of the consultation
(`hearing.services.form_shapes`), (2) the empty form page is rendered once per version, language
and URL and shared by every anonymous visitor (`hearing.public.page_cache`), and (3) the two
values that differ between visitors, the CSRF token and the idempotency key, are rendered as
random slots into that shared page and filled in per request (here).

To change the form, keep to this:
- The form is built from the form shape, plain frozen copies of the consultation's questions,
  scale and categories, rebuilt when the consultation's `updated_at` moves (any change to it,
  its questions or its categories moves it). A question attribute the form needs goes into
  `QuestionShape`; an ORM object read while building the form would be a stale copy.
- The empty form page (`respond.html` with an unbound form) may show nothing that differs
  between anonymous visitors other than the two slots; a signed-in user's page or one with a
  flashed message is never shared. A new per-visitor value on the empty form needs a slot here.
- Everything else (a draft being resumed, errors after a POST, the receipt) is rendered fresh
  with `response_form(consultation)`, a new form of the cached class.
`tests/test_form_cache.py` checks that edits show on the next form and that each visitor gets
their own token and key.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask_wtf.csrf import generate_csrf

from forms.response import ResponseForm, new_idempotency_key, new_response_form
from hearing.models import Consultation
from hearing.public.page_cache import shared_page
from hearing.public.pages import category_choices
from hearing.services.form_shapes import form_shape

# Random per process: no consultation text can contain them by accident or on purpose.
CSRF_SLOT = f"csrf-slot-{secrets.token_hex(16)}"
KEY_SLOT = f"key-slot-{secrets.token_hex(16)}"


def response_form(consultation: Consultation, *, require_email: bool = True) -> ResponseForm:
    """A new form of the consultation's cached form class, bound to this request's data."""
    return new_response_form(
        form_shape(consultation).form_class,
        category_choices(consultation),
        require_email=require_email,
    )


def blank_form_page(consultation: Consultation, render: Callable[[ResponseForm], str]) -> str:
    """The empty form page for this request: `render(form)` with placeholders (kept in the cache
    when the page can be shared), then given this visitor's CSRF token and a fresh idempotency
    key."""

    def render_with_slots() -> str:
        form = response_form(consultation)
        if form.meta.csrf:
            form.csrf_token.current_token = CSRF_SLOT
        form.idempotency_key.data = KEY_SLOT
        return render(form)

    page = shared_page(("response form", form_shape(consultation).key), render_with_slots)
    if CSRF_SLOT in page:
        page = page.replace(CSRF_SLOT, generate_csrf(), 1)
    return page.replace(KEY_SLOT, new_idempotency_key(), 1)
