"""Norwegian count words as compiled hearing documents write them.

"Sju", "Ti", "Tolv"; digits from 13.

Shared by the importer (which reads them) and the writers (which print them) so both agree.
"""

from __future__ import annotations

NUMBER_WORDS_NB: tuple[str, ...] = (
    "Null",
    "En",
    "To",
    "Tre",
    "Fire",
    "Fem",
    "Seks",
    "Sju",
    "Åtte",
    "Ni",
    "Ti",
    "Elleve",
    "Tolv",
)
# Spellings seen in the wild that mean the same count (nynorsk, older bokmål, gendered forms).
_ALTERNATIVES: dict[str, int] = {"ein": 1, "ett": 1, "eitt": 1, "syv": 7, "sjau": 7, "tolv": 12}


def count_word(count: int) -> str:
    """The count as the document writes it at the start of a sentence."""
    if 0 <= count < len(NUMBER_WORDS_NB):
        return NUMBER_WORDS_NB[count]
    return str(count)


def parse_count(word: str) -> int | None:
    """Read a count written as a word or in digits; None when it is neither."""
    cleaned = word.strip().strip(".,:;").casefold()
    if cleaned.isdigit():
        return int(cleaned)
    for value, known in enumerate(NUMBER_WORDS_NB):
        if known.casefold() == cleaned:
            return value
    return _ALTERNATIVES.get(cleaned)


def not_answered_line(count: int) -> str:
    """The closing line of each question in a compiled document."""
    return (
        f"{count_word(count)} andre instanser som har svart på dette notatet "
        "har ikke svart på dette spørsmålet."
    )
