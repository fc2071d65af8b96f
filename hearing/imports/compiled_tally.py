"""Who answers which question under one reading of a compiled document, and what looks wrong.

The search for a reading whose numbers add up (`compiled_counts`) reads one section again at a
time; the tally follows each change in time proportional to the section, so trying an option
does not cost a pass over the whole document.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from hearing.imports.compiled_entries import Entry

Identity = tuple[str, str, int]  # name, category, occurrence within one question


@dataclass
class Tally:
    """Who answers which question, kept up to date as sections are read again."""

    questions: int
    stated: Sequence[int | None]
    counts: dict[Identity, list[int]] = field(default_factory=dict)
    answered: list[int] = field(default_factory=list)
    nameless: int = 0
    repeated: int = 0  # names read twice in one section of one question

    def __post_init__(self) -> None:
        self.answered = [0] * self.questions

    def change(self, question: int, category: str, entries: list[Entry], sign: int) -> None:
        seen: Counter[str] = Counter()
        for entry in entries:
            occurrence = seen[entry.name]
            seen[entry.name] += 1
            key = (entry.name, category, occurrence)
            per_question = self.counts.get(key)
            if per_question is None:
                per_question = self.counts[key] = [0] * self.questions
                self.repeated += occurrence > 0
            per_question[question] += sign
            if not any(per_question):
                del self.counts[key]
                self.repeated -= occurrence > 0
            self.answered[question] += sign
            self.nameless += sign * (not entry.name)

    @property
    def respondents(self) -> int:
        return len(self.counts)

    def score(self) -> tuple[int, int]:
        """How far the reading is from adding up, then how many names it reads twice in one
        question ("Jon" twice rather than "Jon" and "Jon Arne Solheim Midt"); lower is better."""
        return self.mismatch(), self.repeated

    def mismatch(self) -> int:
        """How far the reading is from adding up: every count off by one costs one."""
        total = self.respondents
        off = sum(
            abs(answered + stated - total)
            for answered, stated in zip(self.answered, self.stated, strict=True)
            if stated is not None
        )
        return off + self.nameless

    def doubtful(self) -> set[Identity]:
        """Respondents that look invented: seen in one question only, or without a name."""
        return {
            key
            for key, per_question in self.counts.items()
            if not key[0] or key[2] > 0 or sum(1 for n in per_question if n) == 1
        }

    def off_questions(self) -> list[int]:
        total = self.respondents
        return [
            number
            for number, (answered, stated) in enumerate(
                zip(self.answered, self.stated, strict=True)
            )
            if stated is not None and answered + stated != total
        ]

    def add_all(self, entries: list[list[list[Entry]]], categories: list[list[str]]) -> None:
        for q, row in enumerate(entries):
            for s, section in enumerate(row):
                self.change(q, categories[q][s], section, +1)


def doubtful_answers(
    entries: list[list[list[Entry]]], categories: list[list[str]], tally: Tally
) -> list[tuple[int, str, str]]:
    """The answers worth naming to the secretariat: (question, category, name) of those that
    look invented and have no name, a name read twice in one question, or a name that is part
    of another."""
    doubtful = tally.doubtful()
    names: dict[str, list[str]] = defaultdict(list)
    for name, category, _ in tally.counts:
        names[category].append(name)
    sorted_names = {category: sorted(set(found)) for category, found in names.items()}
    name_sets = {category: set(found) for category, found in names.items()}
    found = []
    for q, row in enumerate(entries):
        for s, section in enumerate(row):
            seen: Counter[str] = Counter()
            for entry in section:
                occurrence = seen[entry.name]
                seen[entry.name] += 1
                if (entry.name, categories[q][s], occurrence) in doubtful and (
                    occurrence > 0
                    or _suspect(
                        entry.name, sorted_names[categories[q][s]], name_sets[categories[q][s]]
                    )
                ):
                    found.append((q, categories[q][s], entry.name))
    return found


def _suspect(name: str, ordered: list[str], present: set[str]) -> bool:
    """A doubtful answer worth naming: no name, or a name that starts another name of its
    category or starts with one (`ordered` holds those names sorted, `present` as a set)."""
    if not name:
        return True
    after = bisect_right(ordered, name)
    if after < len(ordered) and ordered[after].startswith(name):
        return True
    return any(name[:cut] in present for cut in range(1, len(name)))
