"""Respondent names known from the clean places of a compiled document.

A respondent answers several questions, so its name is printed several times in the same
category. Where one occurrence is damaged (glued to the first line of its answer, cut in two by
its scale value or by a page break) another occurrence is usually clean: a name in front of a
scale label ("Bydel Stovner Delvis enig"), or a name block above a lone label. Names that only
ever appear glued to text ("KS Det er positivt …", "KS Rapporten vektlegger …") are found as
the words two such lines of the same category share before their text starts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from hearing.imports.compiled_lines import BULLET, NAME_WIDTH

Location = tuple[int, int, int]  # question, section, line

# Function words that open a sentence; a name does not start with one of them.
_STARTERS_TEXT = """
    det dette den denne de dei disse desse vi me jeg eg du han hun ho man ein en ei et eit
    i på for som og men når hvis viss om her der da då så til med av fra frå etter ved mot
    alle mange noen nokre flere fleire ikke ikkje også òg enig einig uenig ueinig se sjå
    vår vårt våre hva kva hvordan korleis hvorfor kvifor derfor difor dersom at
"""
SENTENCE_STARTERS = frozenset(_STARTERS_TEXT.split())


def starts_text(word: str) -> bool:
    """Whether a word can open an answer: a capital, a digit, a bullet, a quote or a bracket."""
    first = word[:1]
    return bool(first) and (first.isupper() or first.isdigit() or first in f"{BULLET}-–«\"'‘“(")


def first_word(text: str) -> str:
    return text.split(" ", 1)[0].strip(".,:;!?()«»\"'").casefold()


@dataclass
class KnownNames:
    """Names seen per category, with where they were seen."""

    seen: dict[str, dict[str, set[Location]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    # Blocks of short lines between blank lines with text below: names, or short paragraphs
    # ("Se 1b"); weaker evidence than `seen`, used only to choose between two readings.
    blocks: dict[str, dict[str, set[Location]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )

    def add(self, category: str, name: str, location: Location) -> None:
        if name:
            self.seen[category][name].add(location)

    def add_block(self, category: str, name: str, location: Location) -> None:
        self.blocks[category][name].add(location)

    def block_elsewhere(self, category: str, name: str, location: Location) -> bool:
        """Whether `name` stood as a block of its own in `category` somewhere else."""
        return bool(self.blocks[category].get(name, set()) - {location})

    def elsewhere(self, category: str, name: str, location: Location | None = None) -> bool:
        """Whether `name` was seen in `category` somewhere other than `location`."""
        return bool(self.seen[category].get(name, set()) - {location})

    def names(self, category: str) -> list[str]:
        """Known names of the category, longest first (the longest match wins)."""
        return sorted(self.seen[category], key=len, reverse=True)

    def completions(self, category: str, prefix: str, location: Location) -> list[str]:
        """Names seen elsewhere than `location` that continue `prefix` at a word boundary."""
        return [
            name
            for name, seen_at in self.seen[category].items()
            if len(name) > len(prefix)
            and name.startswith(prefix)
            and name[len(prefix)] in " -"
            and seen_at - {location}
        ]


def shared_name(first: str, second: str) -> str | None:
    """The words two glued lines share before each starts its own text, if they look like a name.

    "KS Det er positivt …" and "KS Rapporten vektlegger …" share "KS".
    """
    words_a, words_b = first.split(" "), second.split(" ")
    shared = 0
    while shared < min(len(words_a), len(words_b)) and words_a[shared] == words_b[shared]:
        shared += 1
    if shared == 0 or shared >= min(len(words_a), len(words_b)):
        return None
    name = " ".join(words_a[:shared])
    if (
        len(name) > NAME_WIDTH
        or name.endswith((":", ";", ",", BULLET))
        or not name[:1].isupper()
        or first_word(name) in SENTENCE_STARTERS
        or not starts_text(words_a[shared])
        or not starts_text(words_b[shared])
    ):
        return None
    return name
