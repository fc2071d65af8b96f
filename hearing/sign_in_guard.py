"""Sign-in defences beside the per-client rate limit: equal cost for every e-mail, and a back-off
per account.

Checking a password hash costs a tenth of a second or more (scrypt) and looking up an unknown
address costs almost nothing, so a sign-in that skips the hash for unknown or inactive accounts
tells anyone which addresses have accounts. Every attempt therefore verifies one hash: the
user's, or a dummy one made the same way.

The per-client limit (RATELIMIT_LOGIN) does not stop guessing one account's password from many
addresses. After RATELIMIT_LOGIN_ACCOUNT failed attempts for one e-mail address, further
attempts for it are refused until the window ends, whatever their password. The count lives in
Flask-Limiter's storage (Redis in production), so every worker sees the same count, and under a
hash of the address, so the store holds no e-mail addresses. Unknown addresses are counted like
known ones: the back-off reveals nothing either.
"""

from __future__ import annotations

import functools
import hashlib
import math
import secrets
import time

from flask import current_app
from limits import RateLimitItem, parse
from werkzeug.security import check_password_hash, generate_password_hash

from hearing.extensions import limiter
from hearing.models import User

NAMESPACE = "login-account"


@functools.cache
def _dummy_password_hash() -> str:
    """A hash of a random password, made like real ones (same method and cost)."""
    return generate_password_hash(secrets.token_urlsafe(32))


def password_matches(user: User | None, password: str) -> bool:
    """True only for an existing user with this password; the same hash work either way."""
    stored = user.password_hash if user is not None else _dummy_password_hash()
    matches = check_password_hash(stored, password)
    return user is not None and matches


def _account_limit() -> RateLimitItem | None:
    """The per-account limit, or None when rate limits are off (RATELIMIT_ENABLED)."""
    if not (limiter.enabled and limiter.initialized):
        return None
    return parse(current_app.config["RATELIMIT_LOGIN_ACCOUNT"])


def _account_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def minutes_blocked(email: str) -> int:
    """Whole minutes until `email` may be tried again; 0 when it may be tried now."""
    limit = _account_limit()
    if limit is None or limiter.limiter.test(limit, NAMESPACE, _account_key(email)):
        return 0
    stats = limiter.limiter.get_window_stats(limit, NAMESPACE, _account_key(email))
    return max(1, math.ceil((stats.reset_time - time.time()) / 60))


def record_failure(email: str) -> None:
    limit = _account_limit()
    if limit is not None:
        limiter.limiter.hit(limit, NAMESPACE, _account_key(email))


def forget_failures(email: str) -> None:
    """A successful sign-in starts the count afresh."""
    limit = _account_limit()
    if limit is not None:
        limiter.limiter.clear(limit, NAMESPACE, _account_key(email))
