"""Public reference numbers and secret resume tokens for submissions."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O or 1/I/L: references are read aloud on the phone and typed from paper.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 10
RESUME_TOKEN_BYTES = 24  # 192 bits of randomness
_REFERENCE_SPACE = len(REFERENCE_ALPHABET) ** REFERENCE_LENGTH


def new_reference() -> str:
    """ "H-XXXXX-XXXXX": ten characters of the alphabet, uniformly at random.

    One random number below 31**10, written in base 31, rather than a draw per character:
    an import of thousands of responses spent most of its time drawing them.
    """
    number = secrets.randbelow(_REFERENCE_SPACE)
    characters = []
    for _ in range(REFERENCE_LENGTH):
        number, digit = divmod(number, len(REFERENCE_ALPHABET))
        characters.append(REFERENCE_ALPHABET[digit])
    body = "".join(characters)
    return f"H-{body[:5]}-{body[5:]}"


def hash_token(token: str) -> str:
    """Only this hash is stored; a database leak does not reveal working resume links."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
