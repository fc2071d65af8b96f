"""Whole public pages rendered once and served to every anonymous visitor until they change.

A page may be shared only when it would look the same for every visitor: nobody signed in (the
menu differs) and no flashed message waiting. The caller's key must hold everything else the
page depends on: a version of its data, the language; the URL is added here because the
language switch links back to it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import request, session
from flask_babel import get_locale

from hearing.auth import signed_in_user
from hearing.caching import app_cache

PAGES_KEY = "hearing_public_pages"
MAX_PAGES = 256  # keys include the URL, so a flood of query strings only evicts older pages


def is_shareable() -> bool:
    """Whether the page would look the same for every anonymous visitor right now."""
    return signed_in_user() is None and not session.get("_flashes")


def shared_page(key: Hashable, render: Callable[[], str]) -> str:
    """`render()`'s page, from the cache when it can be shared (rendered and kept on a miss)."""
    if not is_shareable():
        return render()
    pages = app_cache(PAGES_KEY, MAX_PAGES)
    full_key = (key, str(get_locale()), request.full_path)
    page: str = pages.get_or_make(full_key, render)
    return page
