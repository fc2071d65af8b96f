"""Norwegian organisation numbers (organisasjonsnummer): nine digits, the last a mod-11 check.

The Brønnøysund Register Centre computes the check digit from the first eight with the weights
3, 2, 7, 6, 5, 4, 3, 2: 11 minus the weighted sum modulo 11, where 11 gives 0 and 10 is never
issued. People write the number in groups ("974 760 673"), with a country prefix or a VAT
suffix ("NO 974 760 673 MVA"); those are read as the same number. Flask-free, so the form
validator, the høringsliste reader and the letter reader check a number the same way.
"""

from __future__ import annotations

import re

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
_DECORATION = re.compile(r"^\s*NO\s*|\s*MVA\s*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s.\-\u00a0]")


def check_digit(first_eight: str) -> int | None:
    """The check digit for eight digits, or None when none exists (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True)) % 11
    digit = (11 - remainder) % 11
    return None if digit == 10 else digit


def normalise(text: str) -> str:
    """The digits of a number as written, without groups, prefix or suffix ("" stays "")."""
    return _SEPARATORS.sub("", _DECORATION.sub("", text or ""))


def is_valid(number: str) -> bool:
    """Whether `number` (already normalised) is nine digits with the right check digit."""
    if len(number) != 9 or not number.isascii() or not number.isdigit():
        return False
    return check_digit(number[:8]) == int(number[8])
