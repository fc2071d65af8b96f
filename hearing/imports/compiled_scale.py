"""Recognise scale labels in a compiled document and rebuild the scale they come from.

A compiled document prints only the labels respondents chose, never the scale itself. Known
Norwegian scale families give the order (most positive first); the family whose labels the
document uses wins. "Vet ikke" is kept outside the scale, as `Scale.dont_know`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from synthesis.snapshot import NORWEGIAN_AGREEMENT_SCALE, Scale

SCALE_FAMILIES: tuple[tuple[str, ...], ...] = (
    NORWEGIAN_AGREEMENT_SCALE,
    ("Heilt einig", "Delvis einig", "Verken einig eller ueinig", "Delvis ueinig", "Heilt ueinig"),
    ("Meget nyttig", "Nyttig", "Noe nyttig", "Lite nyttig", "Ikke nyttig"),
    ("Svært viktig", "Viktig", "Noe viktig", "Lite viktig", "Ikke viktig"),
    ("Svært fornøyd", "Fornøyd", "Verken fornøyd eller misfornøyd", "Misfornøyd", "Lite fornøyd"),
)
DONT_KNOW_LABELS: tuple[str, ...] = ("Vet ikke", "Veit ikkje")
# Other spellings of a point, mapped to the family's own label.
_ALIASES: dict[str, str] = {
    "verken eller": "Hverken eller",
    "hverken enig eller uenig": "Hverken eller",
    "verken enig eller uenig": "Hverken eller",
    "korkje eller": "Verken einig eller ueinig",
    "svært nyttig": "Meget nyttig",
}


def _key(label: str) -> str:
    return " ".join(label.split()).casefold()


_CANONICAL: dict[str, str] = {_key(p): p for family in SCALE_FAMILIES for p in family}
_CANONICAL.update({_key(k): v for k, v in _ALIASES.items()})
_CANONICAL.update({_key(label): label for label in DONT_KNOW_LABELS})
# Longest first, so "Verken einig eller ueinig" wins over a shorter label it contains.
_ENDINGS = sorted(_CANONICAL, key=len, reverse=True)
_WORD_BOUNDARY = re.compile(r"\s")


def canonical_label(text: str) -> str | None:
    """The family label a whole line stands for, ignoring case and spacing; None otherwise."""
    return _CANONICAL.get(_key(text))


def split_label_suffix(text: str) -> tuple[str, str] | None:
    """Split "Bydel Stovner Delvis enig" into ("Bydel Stovner", "Delvis enig").

    The label must follow a space and start with a capital letter as it does in the documents,
    so running text that happens to end in "helt enig" is left alone.
    """
    folded = _key(text)
    for ending in _ENDINGS:
        if folded.endswith(" " + ending):
            cut = len(text) - len(ending)
            label_text = text[cut:]
            if label_text[:1].isupper() and _WORD_BOUNDARY.match(text[cut - 1]):
                return text[:cut].strip(), _CANONICAL[ending]
    return None


def all_labels() -> list[str]:
    """Every label and spelling this module recognises."""
    return [*_CANONICAL, *_CANONICAL.values()]


def is_dont_know(label: str) -> bool:
    return label in DONT_KNOW_LABELS


def scale_from_labels(used: Iterable[str]) -> Scale:
    """The scale of the family most labels belong to, with "Vet ikke" if it was used."""
    counts = Counter(label for label in used)
    dont_know = next((label for label in DONT_KNOW_LABELS if counts[label]), None)
    best = max(SCALE_FAMILIES, key=lambda family: sum(counts[p] for p in family))
    if not any(counts[p] for p in best):
        best = NORWEGIAN_AGREEMENT_SCALE
    return Scale(points=best, dont_know=dont_know)
