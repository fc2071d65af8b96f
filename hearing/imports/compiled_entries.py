"""Read the respondents of one category section: who answered, with which label and text.

In extraction order an answer is the name (wrapped in the narrow first column), the scale label
and the text. A one-line name shares its line with the label or the first line of text; a
wrapped name stands above them, separated by a blank line. Page breaks drop blank lines, cut a
name by its label or push part of it into the text. Every place where an answer may start is
therefore decided from evidence, strongest first: a scale label, a name known from another
question, then the shape of a name block (short lines, no closing full stop).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from hearing.imports.compiled_lines import (
    BULLET,
    MAX_NAME_LINES,
    NAME_WIDTH,
    Line,
    ends_sentence,
    join_name,
)
from hearing.imports.compiled_names import (
    SENTENCE_STARTERS,
    KnownNames,
    Location,
    first_word,
    starts_text,
)
from hearing.imports.compiled_section import (
    SectionLines,
    glued_splits,
    paragraphs,
    split_unknown_glued,
)
from hearing.imports.limits import Deadline

_REMAINDER_SEARCH_LINES = 60
# How sure each kind of start is; an empty answer drops the weaker of two neighbouring starts.
_RANK = {"label": 3, "first": 2, "known": 2, "block": 1}
_DROPPABLE = frozenset({"known", "block"})

# A place where the reader had more than one plausible reading: (what was decided, line).
Decision = tuple[str, int]
_Option = TypeVar("_Option")


@dataclass(frozen=True)
class Entry:
    """One respondent's answer as printed under a question, and the line its name starts on."""

    name: str
    label: str | None
    text: str | None
    line: int = field(default=-1, compare=False)


@dataclass
class _Start:
    line: int
    kind: str
    name: str
    label: str | None = None
    consumed: set[int] = field(default_factory=set)
    glued_text: str | None = None  # the text that shares the first line with the name


class SectionReader(SectionLines):
    """Finds the answers in the lines under one category header of one question."""

    def __init__(
        self,
        lines: list[Line],
        category: str,
        place: tuple[int, int],
        known: KnownNames,
        text_width: float,
        *,
        deadline: Deadline | None = None,
    ) -> None:
        super().__init__(lines, category, place, known, text_width, deadline=deadline)
        # The decisions met in the last reading, with how many options each had.
        self.decisions: dict[Decision, int] = {}
        self._choices: Mapping[Decision, int] = {}
        self._reading = False
        self._cut_names: list[tuple[list[int], int]] = []

    def _choose(self, decision: Decision, options: Sequence[_Option]) -> _Option:
        """The option taken at an ambiguous place: the first (the likeliest) unless told.

        Only the answers pass (`entries`) takes other options; the names pass always reads
        the likeliest, so the names known from elsewhere do not depend on the choices.
        """
        if not self._reading or len(options) < 2:
            return options[0]
        self.decisions[decision] = len(options)
        return options[min(self._choices.get(decision, 0), len(options) - 1)]

    # -- pass 1: names from the clean places --------------------------------------------------

    def harvest(self) -> list[tuple[Location, str]]:
        """Record the names this section shows cleanly; return glued lines for name mining.

        A name above a label with short lines below it may continue there (cut by a page
        break) or be followed by the next name; that is decided by `harvest_cut`, once the
        names of every section are known.
        """
        self._cut_names = []
        for index, (prefix, _) in self.anchors.items():
            if prefix:
                self.known.add(self.category, prefix, self.location(index))
            else:
                run = self.name_run(index, set())
                if run and self._follow_lines(index, set(run)):
                    self._cut_names.append((run, index))
                elif run:
                    self.known.add(
                        self.category, join_name(self._texts(run)), self.location(run[0])
                    )
        first = self._first_content()
        if first is not None and first not in self.anchors:
            block = self._name_block(first, set(), first_in_section=True)
            if block:
                self.known.add(self.category, join_name(self._texts(block)), self.location(first))
        for index in range(len(self.lines)):
            opens = self.lines[index].page_start or (index and self.lines[index - 1].blank)
            if index != first and opens:
                block = self._name_block(index, set(), first_in_section=False)
                if block:
                    name = join_name(self._texts(block))
                    self.known.add_block(self.category, name, self.location(index))
        glued = []
        for index, line in enumerate(self.lines):
            if (
                len(line.text) > NAME_WIDTH
                and index not in self.anchors
                and not line.text.startswith(BULLET)
                and self.can_start(index)
            ):
                glued.append((self.location(index), line.text))
        return glued

    def harvest_cut(self) -> None:
        """Record the names above a label that may continue below it (see `harvest`)."""
        for run, index in self._cut_names:
            rest = self._continuation(run, index, set(run))
            name = join_name(self._texts([*run, *sorted(rest)]))
            self.known.add(self.category, name, self.location(run[0]))

    def entries(self, choices: Mapping[Decision, int] | None = None) -> list[Entry]:
        """The answers of the section; `choices` picks other options at ambiguous places
        (see `decisions`), so a caller can look for the reading whose counts add up."""
        self._choices = choices or {}
        self.decisions = {}
        self._reading = True
        try:
            return self._read_entries()
        finally:
            self._reading = False

    def _read_entries(self) -> list[Entry]:
        starts, taken = self._label_starts()
        first = self._first_content()
        for index, line in enumerate(self.lines):
            self.deadline.check()
            if line.blank or index in taken or index in starts:
                continue
            if index == first or not any(s < index for s in starts):
                start = self._first_start(index, taken)
            elif self.can_start(index):
                start = self._known_start(index, taken) or self._block_start(index, taken)
                if start and start.kind == "block":
                    # A block of unknown name may be short lines of text; a known name is not.
                    start = self._choose(("start", index), [start, None])
            else:
                start = None
            if start:
                starts[index] = start
                taken |= start.consumed
        return self._build(starts)

    def _label_starts(self) -> tuple[dict[int, _Start], set[int]]:
        starts: dict[int, _Start] = {}
        taken: set[int] = set()
        for index in sorted(self.anchors):
            prefix, label = self.anchors[index]
            if prefix:
                starts[index] = _Start(index, "label", prefix, label, {index})
                taken.add(index)
                continue
            run = self._choose(("tail", index), self._name_tails(self.name_run(index, taken)))
            if not run:
                starts[index] = _Start(index, "label", "", label, {index})
                taken.add(index)
                continue
            name = join_name(self._texts(run))
            used = {*run, index}
            extra = self._continuation(run, index, taken | used)
            extra = self._choose(("continuation", index), [extra, set()] if extra else [extra])
            if not extra:
                extra = self._remainder(name, run[0], index + 1, taken | used)
            if extra:
                name = join_name([name, *self._texts(self._text_lines(extra))])
                used |= extra
            starts[run[0]] = _Start(run[0], "label", name, label, used)
            taken |= used
        return starts, taken

    def _name_tails(self, run: list[int]) -> list[list[int]]:
        """The readings of a name block above a label, likeliest first: the longest tail that is
        a name known from elsewhere, else all of it; then the other known tails and all of it.

        Text of the previous answer can sit right above a name when a blank line went missing
        ("Se 1b" above "Siri Merete R. / Johannessen"); but "Molde" is also a name of its own
        and the tail of "Forandringsfabrikken / Molde". A block that stands on its own (after
        a blank line or at the top of a page) and does not open like a sentence is read whole.
        """
        known = [
            run[skip:]
            for skip in range(len(run))
            if self.known.elsewhere(
                self.category, join_name(self._texts(run[skip:])), self.location(run[skip])
            )
        ]
        if not known or known[0] == run:
            return [run, *known[1:]]
        whole = join_name(self._texts(run))
        opens_name = first_word(whole) not in SENTENCE_STARTERS
        if (opens_name and self._after_gap(run[0])) or self.known.block_elsewhere(
            self.category, whole, self.location(run[0])
        ):
            return [run, *known]
        return [*known, run]

    def _continuation(self, run: list[int], label_line: int, taken: set[int]) -> set[int]:
        """Name lines printed right below the label, where a page break cut the name in two."""
        likeliest, other = self._continuations(run, label_line, taken)
        if likeliest == other:
            return likeliest
        return self._choose(("continuation", label_line), [likeliest, other])

    def _continuations(
        self, run: list[int], label_line: int, taken: set[int]
    ) -> tuple[set[int], set[int]]:
        """The likelier and the other reading of the short lines right below a label.

        They are either the rest of this name or, when a blank line went missing, the next
        respondent's name; a known name decides, and so does a label standing below them (then
        they are the next name). A line that starts in lower case cannot open a name.
        """
        follow = self._follow_lines(label_line, taken)
        if not follow:
            return set(), set()
        index = follow[-1] + 1
        here = self.location(run[0])
        name = join_name(self._texts(run))
        whole = join_name([name, *self._texts(follow)])
        taken_on, left = set(follow), set()
        if self.known.elsewhere(self.category, whole, here):
            return taken_on, left
        below = next((i for i in range(index, len(self.lines)) if not self.lines[i].blank), None)
        if below is not None and self.anchors.get(below, ("x", ""))[0] == "":
            return left, taken_on
        if self.known.block_elsewhere(self.category, whole, here):
            return taken_on, left
        complete_already = self.known.elsewhere(self.category, name, here)
        next_name = self.known.elsewhere(self.category, join_name(self._texts(follow)))
        cut_by_page = self.lines[follow[0]].page_start and not ends_sentence(
            self.lines[follow[-1]].text
        )
        opens_name = starts_text(self.lines[follow[0]].text)
        if cut_by_page and not (opens_name and (complete_already or next_name)):
            return taken_on, left
        return left, taken_on

    def _follow_lines(self, label_line: int, taken: set[int]) -> list[int]:
        """The short lines right below a label, up to a blank line, a page or a label."""
        follow: list[int] = []
        index = label_line + 1
        while (
            index < len(self.lines)
            and self.lines[index].short
            and index not in self.anchors
            and index not in taken
            and len(follow) < MAX_NAME_LINES
            and not (follow and self.lines[index].page_start)
        ):
            follow.append(index)
            index += 1
        ends_block = (
            index == len(self.lines)
            or self.lines[index].blank
            or self.lines[index].page_start  # the blank line fell at the foot of the page
            or index in self.anchors
        )
        return follow if ends_block else []

    def _remainder(self, name: str, start: int, after: int, taken: set[int]) -> set[int]:
        """Find the rest of a known name printed further down, inside the answer text."""
        found = self._find_remainders(name, start, after, taken)
        return self._choose(("remainder", start), [*found, set()]) if found else set()

    def _find_remainders(
        self, name: str, start: int, after: int, taken: set[int]
    ) -> list[set[int]]:
        """The places where the rest of a longer known name stands, longest name first."""
        found: list[set[int]] = []
        end = min(len(self.lines), after + _REMAINDER_SEARCH_LINES)
        # A label further down belongs to a later respondent, and so does what follows it.
        end = next((i for i in range(after, end) if i in self.anchors), end)
        # So does a block that opens with this name again: the rest further down is its.
        end = next((i for i in range(after, end) if self._repeats_name(i, name, taken)), end)
        completions = self.known.completions(self.category, name, self.location(start))
        for whole in completions:
            rest = whole[len(name) :].strip()
            for index in range(after, end):
                run = self._match_run(index, rest, taken)
                if run:
                    if run not in found:
                        found.append(run)
                    break
        return found

    def _repeats_name(self, index: int, name: str, taken: set[int]) -> bool:
        if index in taken or not (self.lines[index].page_start or self._after_gap(index)):
            return False
        block = self._name_block(index, taken, first_in_section=True)
        return bool(block) and join_name(self._texts(block)).startswith(name)

    def _match_run(self, index: int, rest: str, taken: set[int]) -> set[int]:
        parts: list[str] = []
        cursor = index
        while cursor < len(self.lines) and not self.lines[cursor].blank and cursor not in taken:
            parts.append(self.lines[cursor].text)
            joined = join_name(parts)
            if joined == rest:
                after = cursor + 1
                whole_block = (
                    after == len(self.lines)
                    or self.lines[after].blank
                    or self.lines[after].page_start
                )
                if not whole_block or self._ends_other_name(index, cursor):
                    return set()
                run = set(range(index, cursor + 1))
                glued_between_text = (
                    index > 0
                    and not self.lines[index - 1].blank
                    and index - 1 not in taken
                    and cursor + 1 < len(self.lines)
                    and self.lines[cursor + 1].blank
                )
                return run | {cursor + 1} if glued_between_text else run
            if not rest.startswith(joined):
                return set()
            cursor += 1
        return set()

    def _ends_other_name(self, first: int, last: int) -> bool:
        """Whether lines `first`..`last` end a name block that is another known name.

        "Redd Barna" may continue as "Redd Barna Nord" further down; when the "Nord" found there
        sits under "Redd Barna" again, it is the next respondent's name, not a pushed remainder.
        """
        above: list[int] = []
        index = first - 1
        while index >= 0 and self.lines[index].short and len(above) < MAX_NAME_LINES:
            above.insert(0, index)
            if self.lines[index].page_start:
                break
            index -= 1
        tail = self._texts(range(first, last + 1))
        return any(
            self.known.elsewhere(self.category, join_name([*self._texts(above[skip:]), *tail]))
            for skip in range(len(above))
        )

    def _first_start(self, index: int, taken: set[int]) -> _Start:
        start = self._known_start(index, taken) or self._block_start(index, taken, first=True)
        if start:
            start.kind = "first"
            return start
        name, text = split_unknown_glued(self.lines[index].text)
        return _Start(index, "first", name, consumed={index}, glued_text=text)

    def _known_start(self, index: int, taken: set[int]) -> _Start | None:
        here = self.location(index)
        block = self._name_block(index, taken, first_in_section=True)
        if block:
            name = join_name(self._texts(block))
            extra = self._remainder(name, index, block[-1] + 1, taken | set(block))
            if extra:
                whole = join_name([name, *self._texts(self._text_lines(extra))])
                return _Start(index, "known", whole, consumed=set(block) | extra)
        best: tuple[str, set[int]] | None = None
        parts: list[str] = []
        cursor = index
        while (
            cursor < len(self.lines)
            and self.lines[cursor].short
            and cursor not in taken
            and cursor not in self.anchors
            and len(parts) < MAX_NAME_LINES
        ):
            parts.append(self.lines[cursor].text)
            name = join_name(parts)
            if self.known.elsewhere(self.category, name, here):
                best = (name, set(range(index, cursor + 1)))
            cursor += 1
        if best and block and len(best[1]) < len(block):
            # A known name covering only part of a name block is another respondent's name.
            return _Start(index, "known", join_name(self._texts(block)), consumed=set(block))
        if best:
            return _Start(index, "known", best[0], consumed=best[1])
        text = self.lines[index].text
        glued = [
            _Start(index, "known", name, consumed={index}, glued_text=text[len(name) + 1 :])
            for name in self.known.starting(self.category, text, here)
            if starts_text(text[len(name) + 1 :])
        ]
        if not glued:
            return None
        # "Jon Arne Solheim Midt Det er …" may be a name never printed cleanly beside "Jon".
        names = {start.name for start in glued}
        glued += [
            _Start(index, "known", name, consumed={index}, glued_text=rest)
            for name, rest in glued_splits(text)
            if name not in names and rest is not None
        ]
        return self._choose(("glued", index), glued)

    def _block_start(self, index: int, taken: set[int], first: bool = False) -> _Start | None:
        block = self._name_block(index, taken, first_in_section=first)
        if not block:
            return None
        name = join_name(self._texts(block))
        extra = self._remainder(name, index, block[-1] + 1, taken | set(block))
        if extra:
            name = join_name([name, *self._texts(self._text_lines(extra))])
        return _Start(index, "block", name, consumed=set(block) | extra)

    # -- building the answers -----------------------------------------------------------------

    def _build(self, starts: dict[int, _Start]) -> list[Entry]:
        ordered = sorted(starts.values(), key=lambda s: s.line)
        while True:
            consumed = set().union(*(s.consumed for s in ordered))
            contents = [self._content(ordered, n, consumed) for n in range(len(ordered))]
            drop = _weaker_empty(ordered, contents)
            if drop is None:
                break
            del ordered[drop]
        return [
            Entry(start.name, start.label, text, start.line)
            for start, text in zip(ordered, contents, strict=True)
        ]

    def _content(self, ordered: list[_Start], number: int, consumed: set[int]) -> str | None:
        start = ordered[number]
        end = ordered[number + 1].line if number + 1 < len(ordered) else len(self.lines)
        pieces: list[tuple[str, int]] = []
        for index in range(start.line, end):
            line = self.lines[index]
            if index == start.line and start.glued_text is not None:
                pieces.append((start.glued_text, len(line.text)))
            elif index not in consumed:
                pieces.append((line.text, len(line.text)))
        return paragraphs(pieces, self.hard_break)


def _weaker_empty(ordered: list[_Start], contents: list[str | None]) -> int | None:
    """Index of a start to drop because it left an answer empty, or None when all hold."""
    for number, start in enumerate(ordered):
        if start.label is not None or contents[number] is not None:
            continue
        following = ordered[number + 1] if number + 1 < len(ordered) else None
        if (
            following is not None
            and following.kind in _DROPPABLE
            and (start.kind not in _DROPPABLE or _RANK[following.kind] <= _RANK[start.kind])
        ):
            return number + 1
        if start.kind in _DROPPABLE:
            return number
    return None
