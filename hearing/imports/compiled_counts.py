"""Choose the reading of a compiled document whose numbers add up.

Names in a compiled document are not delimited: "Jon" and "Jon Arne Solheim Midt", "Molde"
and "Forandringsfabrikken / Molde", "Kompetansesenter rus" and "Kompetansesenter
rus-Midt-Norge" are all respondents, and a page break or a missing blank line can make either
reading of a line look right. The document does state numbers: each question closes with "N
andre instanser … har ikke svart", so those who answered plus N is the same number of
respondents for every question, and it is the number of distinct respondents in the document.
A wrong reading breaks that: a name split in two adds a respondent to every question but one,
a name swallowed by the text above removes an answer from one question.

`reconcile` starts from the likeliest reading of every section (`SectionReader.entries`) and,
while the numbers do not add up or a name is read twice in one question, tries the other
options the readers met at ambiguous places (`SectionReader.decisions`): one at a time, near
the answers that look invented first (a name seen in one question only, read twice there, or
no name at all), then anywhere in the questions whose count is off; and, for a name read twice
in several questions, the same change in all of them at once. It keeps what mends the numbers
most. A reading that still does not add up keeps no name the likeliest reading did not have,
and `unresolved_problems` names what is in doubt instead of hiding it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext, ngettext

from hearing.imports.compiled_entries import Decision, Entry, SectionReader
from hearing.imports.compiled_tally import Identity, Tally, doubtful_answers
from hearing.imports.limits import Deadline

# How many rounds of changes are tried, and how many options per round.
_MAX_ROUNDS = 12
_MAX_TRIALS_PER_ROUND = 400
# Each option tried reads its section again; all tries together read at most this many lines,
# or this many times the document, so the search grows with the document, not its square.
_MIN_LINES_READ = 50_000
_DOCUMENT_READS = 2
# How many doubtful answers the report names one by one.
_MAX_NAMED = 10
# How many answers on each side of a doubtful answer its neighbourhood reaches.
_NEIGHBOURS = 2

Place = tuple[int, int]  # question, section
Change = tuple[Place, dict[Decision, int], list[Entry]]  # a section read with other choices
Score = tuple[int, int]


@dataclass
class Reconciled:
    """The entries chosen per question and section, and whether their numbers add up."""

    entries: list[list[list[Entry]]]
    consistent: bool
    doubtful: list[tuple[int, str, str]]  # question, category, name of answers still in doubt


def reconcile(
    readers: list[list[SectionReader]],
    categories: list[list[str]],
    stated: Sequence[int | None],
    deadline: Deadline,
) -> Reconciled:
    """Read every section, then change ambiguous readings until the stated numbers add up."""
    search = _Search(readers, categories, stated, deadline)
    likeliest = [list(row) for row in search.entries]
    search.run()
    entries, tally = search.entries, search.tally
    consistent = tally.mismatch() == 0
    if not consistent and _names(entries) - _names(likeliest):
        # Names read only to bring the numbers closer are not kept when they do not add up.
        entries = likeliest
        tally = Tally(len(readers), stated)
        tally.add_all(entries, categories)
    doubtful = [] if consistent else doubtful_answers(entries, categories, tally)
    return Reconciled(entries, consistent, doubtful)


class _Search:
    """The current reading, the choices that give it, and the options left to try."""

    def __init__(
        self,
        readers: list[list[SectionReader]],
        categories: list[list[str]],
        stated: Sequence[int | None],
        deadline: Deadline,
    ) -> None:
        self.readers = readers
        self.categories = categories
        self.deadline = deadline
        self.entries = [[reader.entries() for reader in row] for row in readers]
        self.decisions = {
            (q, s): dict(reader.decisions)
            for q, row in enumerate(readers)
            for s, reader in enumerate(row)
        }
        self.choices: dict[Place, dict[Decision, int]] = defaultdict(dict)
        self.tally = Tally(len(readers), stated)
        self.tally.add_all(self.entries, categories)
        document = sum(len(reader.lines) for row in readers for reader in row)
        self.budget = max(_MIN_LINES_READ, _DOCUMENT_READS * document)

    def run(self) -> None:
        score = self.tally.score()
        for _ in range(_MAX_ROUNDS):
            if score == (0, 0) or self.budget <= 0:
                return
            best: tuple[Score, list[Change]] | None = None
            for changes in self._single_changes():
                trial = self._score_of(changes)
                if trial < score and (best is None or trial < best[0]):
                    best = (trial, changes)
            if best is None:
                joint = self._joint_change()
                if joint is None or self._score_of(joint) >= score:
                    return
                best = (self._score_of(joint), joint)
            score = best[0]
            self._apply(best[1])

    def _read(self, place: Place, choices: dict[Decision, int]) -> list[Entry] | None:
        """The section read with `choices`, or None when the search has read enough."""
        self.deadline.check()
        q, s = place
        self.budget -= len(self.readers[q][s].lines)
        if self.budget < 0:
            return None
        return self.readers[q][s].entries(choices)

    def _score_of(self, changes: list[Change]) -> Score:
        self._swap(changes, forward=True)
        score = self.tally.score()
        self._swap(changes, forward=False)
        return score

    def _swap(self, changes: list[Change], *, forward: bool) -> None:
        for (q, s), _, reading in changes:
            old, new = (self.entries[q][s], reading) if forward else (reading, self.entries[q][s])
            self.tally.change(q, self.categories[q][s], old, -1)
            self.tally.change(q, self.categories[q][s], new, +1)

    def _apply(self, changes: list[Change]) -> None:
        self._swap(changes, forward=True)
        for (q, s), choices, reading in changes:
            self.entries[q][s] = reading
            self.choices[(q, s)] = choices
            self.readers[q][s].entries(choices)
            self.decisions[(q, s)] = dict(self.readers[q][s].decisions)

    def _single_changes(self) -> list[list[Change]]:
        """Each other option of the places worth trying, read; a round's worth at most."""
        found: list[list[Change]] = []
        for place, choices in self._trials():
            reading = self._read(place, choices)
            if reading is None:
                break
            found.append([(place, choices, reading)])
        return found

    def _trials(self) -> list[tuple[Place, dict[Decision, int]]]:
        """Other options to try, those near a doubtful answer first."""
        doubtful = self.tally.doubtful()
        near = [
            (place, decision)
            for place, spans in self._doubtful_spans(doubtful).items()
            for decision in self.decisions[place]
            if any(low <= decision[1] < high for low, high in spans)
        ]
        wide = [
            ((q, s), decision)
            for q in self.tally.off_questions()
            for s in range(len(self.entries[q]))
            for decision in self.decisions[(q, s)]
        ]
        trials: list[tuple[Place, dict[Decision, int]]] = []
        for place, decision in dict.fromkeys([*near, *wide]):
            trials.extend(self._options(place, decision))
            if len(trials) >= _MAX_TRIALS_PER_ROUND:
                break
        return trials[:_MAX_TRIALS_PER_ROUND]

    def _options(self, place: Place, decision: Decision) -> list[tuple[Place, dict[Decision, int]]]:
        current = self.choices[place].get(decision, 0)
        return [
            (place, {**self.choices[place], decision: option})
            for option in range(self.decisions[place][decision])
            if option != current
        ]

    def _doubtful_spans(self, doubtful: set[Identity]) -> dict[Place, list[tuple[int, int]]]:
        """Line ranges around the doubtful answers of each section, reaching their neighbours."""
        spans: dict[Place, list[tuple[int, int]]] = {}
        for q, row in enumerate(self.entries):
            for s, section in enumerate(row):
                for number in _doubtful_numbers(section, self.categories[q][s], doubtful):
                    low = section[max(0, number - _NEIGHBOURS)].line
                    after = number + _NEIGHBOURS + 1
                    high = section[after].line if after < len(section) else 10**9
                    spans.setdefault((q, s), []).append((low, high))
        return spans

    def _joint_change(self) -> list[Change] | None:
        """For a name read twice in several questions ("Jon" for "Jon Arne Solheim Midt"
        each time), the option that reads it once in each of them, taken together."""
        repeated = {key[:2] for key in self.tally.counts if key[2] > 0}
        for name, category in sorted(repeated):
            changes = self._fewer_everywhere(name, category)
            if changes is not None and len(changes) > 1:
                return changes
        return None

    def _fewer_everywhere(self, name: str, category: str) -> list[Change] | None:
        changes: list[Change] = []
        for q, row in enumerate(self.entries):
            for s, section in enumerate(row):
                count = sum(1 for entry in section if entry.name == name)
                if self.categories[q][s] != category or count < 2:
                    continue
                change = self._fewer(name, (q, s), count)
                if change is None:
                    return None
                changes.append(change)
        return changes

    def _fewer(self, name: str, place: Place, count: int) -> Change | None:
        """The first option near the second `name` of a section that reads it fewer times."""
        q, s = place
        section = self.entries[q][s]
        second = [number for number, entry in enumerate(section) if entry.name == name][1]
        low = section[max(0, second - 1)].line
        after = second + 2
        high = section[after].line if after < len(section) else 10**9
        for decision in self.decisions[place]:
            if not low <= decision[1] < high:
                continue
            for _, choices in self._options(place, decision):
                reading = self._read(place, choices)
                if reading is None:
                    return None
                if sum(1 for entry in reading if entry.name == name) < count:
                    return (place, choices, reading)
        return None


def _doubtful_numbers(section: list[Entry], category: str, doubtful: set[Identity]) -> list[int]:
    numbers = []
    seen: Counter[str] = Counter()
    for number, entry in enumerate(section):
        if (entry.name, category, seen[entry.name]) in doubtful:
            numbers.append(number)
        seen[entry.name] += 1
    return numbers


def _names(entries: list[list[list[Entry]]]) -> set[str]:
    return {entry.name for row in entries for section in row for entry in section}


def unresolved_problems(reconciled: Reconciled, codes: Sequence[str]) -> list[str]:
    """What the secretariat must check by hand when no reading makes the numbers add up.

    Worded with `gettext`: in a request the secretariat reads it in the page's language; on
    the command line, in tests and benchmarks (no request) it is bokmål.
    """
    if reconciled.consistent or not reconciled.doubtful:
        return []
    problems = [
        gettext(
            "Navnene kan leses på flere måter, og ingen av lesningene gir like mange "
            "høringsinstanser som dokumentet oppgir. Ingen høringsinstans er lagt til for å få "
            "tallene til å stemme. Kontroller disse svarene mot dokumentet før du stoler på "
            "tabellene:"
        )
    ]
    for question, category, name in reconciled.doubtful[:_MAX_NAMED]:
        if name:
            problems.append(
                gettext(
                    "Spørsmål %(code)s: «%(name)s» (%(category)s) kan være en del av navnet til "
                    "en annen høringsinstans.",
                    code=codes[question],
                    name=name,
                    category=category,
                )
            )
        else:
            problems.append(
                gettext(
                    "Spørsmål %(code)s: et svar i «%(category)s» står uten navn; det kan høre "
                    "til svaret over.",
                    code=codes[question],
                    category=category,
                )
            )
    left = len(reconciled.doubtful) - _MAX_NAMED
    if left > 0:
        problems.append(
            ngettext(
                "… og %(num)d svar til av samme slag.",
                "… og %(num)d svar til av samme slag.",
                left,
            )
        )
    return problems
