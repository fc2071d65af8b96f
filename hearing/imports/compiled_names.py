"""Respondent names known from the clean places of a compiled document.

A respondent answers several questions, so its name is printed several times in the same
category. Where one occurrence is damaged (glued to the first line of its answer, cut in two by
its scale value or by a page break) another occurrence is usually clean: a name in front of a
scale label ("Bydel Stovner Delvis enig"), or a name block above a lone label. Names that only
ever appear glued to text ("KS Det er positivt …", "KS Rapporten vektlegger …") are found as
the words two such lines of the same category share before their text starts
(`compiled_mining`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from hearing.imports.compiled_lines import BULLET

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
    """Names seen per category, with where they were seen.

    A document of a few thousand respondents has thousands of names per category and every
    line is matched against them, so lookups go through indexes rather than through the list:
    a line's possible names are its word prefixes (a dictionary lookup each), and the names
    continuing a prefix are a range of the sorted names (a binary search).
    """

    seen: dict[str, dict[str, set[Location]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    # Blocks of short lines between blank lines with text below: names, or short paragraphs
    # ("Se 1b"); weaker evidence than `seen`, used only to choose between two readings.
    blocks: dict[str, dict[str, set[Location]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    _sorted: dict[str, list[str]] = field(default_factory=dict)
    _longest: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, category: str, name: str, location: Location) -> None:
        if not name:
            return
        names = self.seen[category]
        if name not in names:
            self._sorted.pop(category, None)
            self._longest[category] = max(self._longest[category], len(name))
        names[name].add(location)

    def add_block(self, category: str, name: str, location: Location) -> None:
        self.blocks[category][name].add(location)

    def block_elsewhere(self, category: str, name: str, location: Location) -> bool:
        """Whether `name` stood as a block of its own in `category` somewhere else."""
        return _elsewhere(self.blocks[category].get(name), location)

    def elsewhere(self, category: str, name: str, location: Location | None = None) -> bool:
        """Whether `name` was seen in `category` somewhere other than `location`."""
        return _elsewhere(self.seen[category].get(name), location)

    def starting(self, category: str, text: str, location: Location) -> list[str]:
        """Names seen elsewhere than `location` that `text` starts with, followed by a space,
        longest first (the longest match is the likeliest)."""
        names = self.seen[category]
        longest = self._longest[category]
        found = []
        end = text.find(" ")
        while 0 < end <= longest:
            found.append(text[:end])
            end = text.find(" ", end + 1)
        return [name for name in reversed(found) if _elsewhere(names.get(name), location)]

    def completions(self, category: str, prefix: str, location: Location) -> list[str]:
        """Names seen elsewhere than `location` that continue `prefix` at a word boundary,
        longest first."""
        ordered = self._sorted.get(category)
        if ordered is None:
            ordered = self._sorted[category] = sorted(self.seen[category])
        names = self.seen[category]
        found = []
        for index in range(bisect_left(ordered, prefix), len(ordered)):
            name = ordered[index]
            if not name.startswith(prefix):
                break
            if (
                len(name) > len(prefix)
                and name[len(prefix)] in " -"
                and _elsewhere(names[name], location)
            ):
                found.append(name)
        return sorted(found, key=len, reverse=True)


def _elsewhere(locations: set[Location] | None, location: Location | None) -> bool:
    return bool(locations) and (len(locations) > 1 or location not in locations)
