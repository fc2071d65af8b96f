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
while the numbers do not add up, tries the other options the readers met at ambiguous places
(`SectionReader.decisions`), one at a time, keeping the one that mends the numbers most. It
looks first near the answers that look invented (a name seen in one question only, or read
twice there, or no name at all), then anywhere in the questions whose count is off. When no
reading adds up, `unresolved_problems` names what is in doubt instead of hiding it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext, ngettext

from hearing.imports.compiled_entries import Decision, Entry, SectionReader
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
Identity = tuple[str, str, int]  # name, category, occurrence within one question


@dataclass
class _Tally:
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
    entries = [[reader.entries() for reader in row] for row in readers]
    decisions = {
        (q, s): dict(reader.decisions)
        for q, row in enumerate(readers)
        for s, reader in enumerate(row)
    }
    choices: dict[Place, dict[Decision, int]] = defaultdict(dict)
    tally = _Tally(len(readers), stated)
    for q, row in enumerate(entries):
        for s, section in enumerate(row):
            tally.change(q, categories[q][s], section, +1)
    score = tally.score()
    document = sum(len(reader.lines) for row in readers for reader in row)
    budget = max(_MIN_LINES_READ, _DOCUMENT_READS * document)
    for _ in range(_MAX_ROUNDS):
        if score == (0, 0) or budget <= 0:
            break
        best: tuple[tuple[int, int], Place, dict[Decision, int], list[Entry]] | None = None
        for place, trial in _trials(entries, decisions, choices, tally, categories):
            deadline.check()
            q, s = place
            budget -= len(readers[q][s].lines)
            if budget < 0:
                break
            reading = readers[q][s].entries(trial)
            tally.change(q, categories[q][s], entries[q][s], -1)
            tally.change(q, categories[q][s], reading, +1)
            trial_score = tally.score()
            tally.change(q, categories[q][s], reading, -1)
            tally.change(q, categories[q][s], entries[q][s], +1)
            if trial_score < score and (best is None or trial_score < best[0]):
                best = (trial_score, place, trial, reading)
        if best is None:
            break
        score, (q, s), trial, reading = best
        tally.change(q, categories[q][s], entries[q][s], -1)
        tally.change(q, categories[q][s], reading, +1)
        entries[q][s] = reading
        choices[(q, s)] = trial
        readers[q][s].entries(trial)
        decisions[(q, s)] = dict(readers[q][s].decisions)
    consistent = score[0] == 0
    doubtful = [] if consistent else _doubtful_answers(entries, categories, tally)
    return Reconciled(entries, consistent, doubtful)


def _trials(
    entries: list[list[list[Entry]]],
    decisions: dict[Place, dict[Decision, int]],
    choices: dict[Place, dict[Decision, int]],
    tally: _Tally,
    categories: list[list[str]],
) -> list[tuple[Place, dict[Decision, int]]]:
    """Other options to try, those near a doubtful answer first, at most a round's worth."""
    near: list[tuple[Place, Decision]] = []
    doubtful = tally.doubtful()
    for q, row in enumerate(entries):
        for s, section in enumerate(row):
            spans = _doubtful_spans(section, categories[q][s], doubtful)
            near.extend(
                ((q, s), decision)
                for decision in decisions[(q, s)]
                if any(low <= decision[1] < high for low, high in spans)
            )
    wide = [
        ((q, s), decision)
        for q in tally.off_questions()
        for s in range(len(entries[q]))
        for decision in decisions[(q, s)]
    ]
    trials: list[tuple[Place, dict[Decision, int]]] = []
    seen: set[tuple[Place, Decision]] = set()
    for place, decision in [*near, *wide]:
        if (place, decision) in seen:
            continue
        seen.add((place, decision))
        current = choices[place].get(decision, 0)
        for option in range(decisions[place][decision]):
            if option != current:
                trials.append((place, {**choices[place], decision: option}))
        if len(trials) >= _MAX_TRIALS_PER_ROUND:
            break
    return trials[:_MAX_TRIALS_PER_ROUND]


def _doubtful_spans(
    section: list[Entry], category: str, doubtful: set[Identity]
) -> list[tuple[int, int]]:
    """Line ranges around the doubtful answers of a section, reaching their neighbours."""
    spans = []
    seen: Counter[str] = Counter()
    for number, entry in enumerate(section):
        occurrence = seen[entry.name]
        seen[entry.name] += 1
        if (entry.name, category, occurrence) not in doubtful:
            continue
        low = section[max(0, number - _NEIGHBOURS)].line
        after = number + _NEIGHBOURS + 1
        high = section[after].line if after < len(section) else 10**9
        spans.append((low, high))
    return spans


def _doubtful_answers(
    entries: list[list[list[Entry]]], categories: list[list[str]], tally: _Tally
) -> list[tuple[int, str, str]]:
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
                if (entry.name, categories[q][s], occurrence) in doubtful and _suspect(
                    entry.name, sorted_names[categories[q][s]], name_sets[categories[q][s]]
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
