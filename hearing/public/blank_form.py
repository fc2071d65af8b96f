"""The empty response form, rendered once per consultation version and language.

Every respondent who opens the form gets the same page except for two hidden values: the CSRF
token of their session and a fresh idempotency key. Rendering ~50 fields with their labels,
hints and translations took most of a form request, so the page is rendered once with two
random placeholders and each request only puts its own values in. The page of a signed-in user
(the menu differs) or one carrying a flashed message is never taken from or put in the cache.
The key holds everything else the template reads: the consultation's version (its questions,
texts and deadline, see hearing.services.form_shapes), the language and the URL (the language
switch links back to it).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask_wtf.csrf import generate_csrf

from forms.response import ResponseForm, new_idempotency_key
from hearing.public.page_cache import shared_page
from hearing.services.form_shapes import FormShape

# Random per process: no consultation text can contain them by accident or on purpose.
CSRF_SLOT = f"csrf-slot-{secrets.token_hex(16)}"
KEY_SLOT = f"key-slot-{secrets.token_hex(16)}"


def blank_form_page(
    shape: FormShape,
    new_form: Callable[[], ResponseForm],
    render: Callable[[ResponseForm], str],
) -> str:
    """The empty form page for this request: rendered with placeholders (kept in the cache when
    the page can be shared), then given this visitor's CSRF token and a fresh idempotency key."""

    def render_with_slots() -> str:
        form = new_form()
        if form.meta.csrf:
            form.csrf_token.current_token = CSRF_SLOT
        form.idempotency_key.data = KEY_SLOT
        return render(form)

    page = shared_page(("response form", shape.key), render_with_slots)
    if CSRF_SLOT in page:
        page = page.replace(CSRF_SLOT, generate_csrf(), 1)
    return page.replace(KEY_SLOT, new_idempotency_key(), 1)
