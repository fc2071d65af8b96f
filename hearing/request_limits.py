"""How much one request may carry: `MAX_CONTENT_LENGTH` for what is typed, and on the pages
that take files an allowance for them on top.

Flask lets a view raise its own request's limit, but the form is read before any view runs
(the CSRF check and the NUL-byte guard read it first), so a page's allowance is known to the
request itself: pages register theirs with `allow_files`, and `LimitedRequest` adds it to a
multipart request (the only kind that carries files). What is typed stays bounded there too:
each field of a multipart form by `MAX_FORM_MEMORY_SIZE`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Request, current_app

Allowance = Callable[[Mapping[str, Any]], int]  # the app's config → bytes the files may add
_ALLOWANCES: dict[str, Allowance] = {}


def allow_files(allowance: Allowance, *endpoints: str) -> None:
    """Let requests to `endpoints` carry `allowance(config)` bytes of files besides the form."""
    for endpoint in endpoints:
        _ALLOWANCES[endpoint] = allowance


class LimitedRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        limit = super().max_content_length
        allowance = _ALLOWANCES.get(self.endpoint or "")
        if limit is None or allowance is None or self._max_content_length is not None:
            return limit
        if self.mimetype != "multipart/form-data":  # no files: what is typed, no more
            return limit
        return limit + allowance(current_app.config)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
