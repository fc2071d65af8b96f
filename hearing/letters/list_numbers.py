"""A list number as a word processor shows it: 3, c, C, iii or III."""

from __future__ import annotations

_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)
_MAX_LETTER_REPEATS = 10


def shown_number(value: int, kind: str) -> str:
    """`value` in `kind`: "letter", "LETTER", "roman", "ROMAN", anything else in digits.

    Letters go a … z, then aa … zz (the letter repeated), as both Word and LibreOffice count."""
    if kind.lower() == "letter" and 0 < value <= 26 * _MAX_LETTER_REPEATS:
        letters = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letters.upper() if kind == "LETTER" else letters
    if kind.lower() == "roman" and 0 < value < 4000:
        digits = []
        for amount, letters in _ROMAN:
            count, value = divmod(value, amount)
            digits.append(letters * count)
        roman = "".join(digits)
        return roman.upper() if kind == "ROMAN" else roman
    return str(value)
