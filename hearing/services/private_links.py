"""Private links kept sealed, so a respondent can have theirs sent again by e-mail.

A link's token follows from the form's idempotency key and the app's secret, and only hashes
of both are stored (hearing.services.responses), so without help the token could never be
shown again. Here it is stored XOR-ed with a key stream derived from the secret and the token's
hash (HMAC-SHA256 in counter mode): each token has its own stream, the database alone opens
nothing, and unsealing checks the result against the stored hash, so a changed secret yields
"no link" instead of a wrong one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, insert, select

from hearing.extensions import db
from hearing.models import PrivateLink, Submission
from hearing.services.references import hash_token


@dataclass(frozen=True)
class SentLink:
    """One response's private link as a message lists it."""

    reference: str
    status: str
    saved_at: datetime
    url: str


def _stream(secret: str, token_hash: str, length: int) -> bytes:
    blocks = []
    for counter in range(0, length, 32):
        label = f"private-link:{token_hash}:{counter}".encode()
        blocks.append(hmac.new(secret.encode("utf-8"), label, hashlib.sha256).digest())
    return b"".join(blocks)[:length]


def seal(token: str, secret: str) -> str:
    data = token.encode("ascii")
    stream = _stream(secret, hash_token(token), len(data))
    return base64.urlsafe_b64encode(
        bytes(a ^ b for a, b in zip(data, stream, strict=True))
    ).decode()


def unseal(sealed: str, token_hash: str, secret: str) -> str | None:
    """The token, or None when it does not match its hash (another secret, damaged data)."""
    try:
        data = base64.urlsafe_b64decode(sealed.encode("ascii"))
        stream = _stream(secret, token_hash, len(data))
        token = bytes(a ^ b for a, b in zip(data, stream, strict=True)).decode("ascii")
    except (ValueError, UnicodeError):
        return None
    return token if hmac.compare_digest(hash_token(token), token_hash) else None


# Built once: run with every new response (Core, as the submission's own INSERT: the unit of
# work would cost more than the rest of this).
NEW_LINK = insert(PrivateLink.__table__)


def remember(token: str) -> None:
    """Keep the sealed token of a response just created through the form."""
    sealed = seal(token, _secret())
    db.session.execute(NEW_LINK, {"token_hash": hash_token(token), "sealed": sealed})


def token_of(submission: Submission) -> str | None:
    if not submission.resume_token_hash:
        return None
    stored = db.session.get(PrivateLink, submission.resume_token_hash)
    if stored is None:
        return None
    return unseal(stored.sealed, submission.resume_token_hash, _secret())


def resume_url(base_url: str, slug: str, token: str) -> str:
    return external_url(base_url, "public.resume", slug=slug, token=token)


def links_for_address(consultation_id: int, address: str, base_url: str) -> list[SentLink]:
    """The private links of every web response to the consultation given with `address`."""
    found = db.session.execute(
        select(Submission, PrivateLink.sealed)
        .join(PrivateLink, PrivateLink.token_hash == Submission.resume_token_hash)
        .where(
            Submission.consultation_id == consultation_id,
            func.lower(Submission.email) == address.strip().lower(),
        )
        .order_by(Submission.created_at)
    ).all()
    links = []
    for submission, sealed in found:
        token = unseal(sealed, submission.resume_token_hash or "", _secret())
        if token is not None:
            url = resume_url(base_url, submission.consultation.slug, token)
            saved_at = submission.submitted_at or submission.updated_at
            links.append(SentLink(submission.reference, submission.status, saved_at, url))
    return links


def external_url(base_url: str, endpoint: str, **values: object) -> str:
    """An absolute URL to `endpoint` under `base_url`, outside any request (workers, cron)."""
    parts = urlsplit(base_url)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def _secret() -> str:
    secret: str = current_app.config["SECRET_KEY"]
    return secret
