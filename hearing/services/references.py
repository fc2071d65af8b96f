"""Public reference numbers and secret resume tokens for submissions."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O or 1/I/L: references are read aloud on the phone and typed from paper.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 10
RESUME_TOKEN_BYTES = 24  # 192 bits of randomness


def new_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"H-{body[:5]}-{body[5:]}"


def hash_token(token: str) -> str:
    """Only this hash is stored; a database leak does not reveal working resume links."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
