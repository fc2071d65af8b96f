"""What the lines and words of a Norwegian letter are: headings, closings, letterhead lines,
and the content words two titles are compared by."""

from __future__ import annotations

import re

# Words that say nothing about what a heading or title is about (bokmål, nynorsk, English).
_STOPWORDS = """
    og i å på til av for med om som er det den de en et at har du dere vi kan skal vil
    bør ikke eller fra ved hva hvordan hvilke hvilken noen andre flere mer mest også
    seg sin sitt sine være blir blitt eg ikkje kva korleis dykk me frå
    the of and to in on for a an is are be what which how any other more do you your
    ny nye nytt denne dette disse
"""
STOPWORDS = frozenset(_STOPWORDS.split())
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
CLOSING = re.compile(
    r"^(?:med\s+)?(?:(?:vennlig|venleg|venlig|beste|varm|hjertelig)\s+)?(?:hilsen|helsing|hilsener|helsingar)\b"
    r"|^(?:mvh|vh)\b"
    r"|^(?:kind|best|warm)\s+regards\b|^(?:yours\s+)?(?:sincerely|faithfully)\b",
    re.IGNORECASE,
)
_LETTERHEAD = re.compile(
    r"^(?:postboks|pb\.|postadresse|besøksadresse|besøk|adresse|telefon|tlf|telefaks|faks|e-?post|"
    r"epost|e-mail|www\.|https?://|org\.?\s*(?:nr|nummer)|organisasjonsnummer|bankgiro|konto|"
    r"(?:deres|dykkar|vår|our|your)\s+(?:ref|referanse|dato|date|saksbehandler)|ref\b|referanse|dato|"
    r"date|saksnr|saksnummer|arkiv|til:|fra:|kopi|mottaker|unntatt|\d{4}\s+[A-ZÆØÅ])",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    r"^(?:[A-ZÆØÅ][\w .-]*,\s*)?(?:den\s+)?\d{1,2}\.?\s*(?:\w+\.?|\d{1,2}\.)\s*\d{2,4}$"
)
_MAX_HEADING_WORDS = 14
_CLOSING_WORDS = 8  # "Med vennlig hilsen Kari Nordmann, leder"; a longer line is a sentence
_MAX_HEADING_CHARACTERS = 140


def content_words(text: str) -> list[str]:
    """The words of `text` that carry meaning, lower-cased, in order."""
    return [
        w for w in (m.lower() for m in _WORD.findall(text)) if w not in STOPWORDS and len(w) > 2
    ]


def words_match(first: str, second: str) -> bool:
    """Whether two words are the same word, inflected ("målsettinger", "målsettingene")."""
    if first == second:
        return True
    shorter = min(len(first), len(second))
    stem = max(4, shorter - 3)
    return shorter >= 5 and first[:stem] == second[:stem]


class WordSet:
    """Words to look others up in, inflections included (`words_match`): a word is compared
    only with those sharing its first four letters, as every match does."""

    def __init__(self, words: list[str]) -> None:
        self.words = frozenset(words)
        self._by_start: dict[str, list[str]] = {}
        for word in self.words:
            self._by_start.setdefault(word[:4], []).append(word)

    def __len__(self) -> int:
        return len(self.words)

    def has(self, word: str) -> bool:
        return word in self.words or any(
            words_match(word, other) for other in self._by_start.get(word[:4], ())
        )


def is_heading_like(line: str) -> bool:
    """Whether `line` is short enough, and not a sentence, to be a heading."""
    line = line.strip()
    if not line or len(line) > _MAX_HEADING_CHARACTERS:
        return False
    words = line.split()
    if len(words) > _MAX_HEADING_WORDS or line.endswith((",", ";")):
        return False
    return not (line.endswith(".") and len(words) >= 8)


def is_closing(line: str) -> bool:
    """Whether `line` opens a signature ("Med vennlig hilsen", "Venleg helsing", "Mvh")."""
    line = line.strip()
    return len(line.split()) <= _CLOSING_WORDS and bool(CLOSING.match(line))


def is_letterhead_line(line: str) -> bool:
    """Whether `line` is an address, a reference, a date or contact details."""
    line = line.strip()
    return bool(_LETTERHEAD.match(line) or _DATE_LINE.match(line))
