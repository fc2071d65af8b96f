"""The lines of one category section and what their shape says, before any answer is read.

A section is the lines under one category header of one question. Whether a line may open an
answer, carries a scale label, or belongs to a block of short lines that reads like a name is
a matter of shape alone (blank lines, page starts, widths, labels); `SectionReader` builds on
these to decide where each answer starts. The answer text is rejoined here too: wrapped lines
into paragraphs, and a name glued to the first line of its answer split from it.
"""

from __future__ import annotations

import re

from hearing.imports.compiled_lines import (
    BULLET,
    MAX_NAME_LINES,
    NAME_WIDTH,
    Line,
    ends_sentence,
)
from hearing.imports.compiled_names import (
    SENTENCE_STARTERS,
    KnownNames,
    Location,
    first_word,
    starts_text,
)
from hearing.imports.compiled_scale import all_labels, canonical_label, split_label_suffix
from hearing.imports.limits import Deadline

_LIST_ITEM = re.compile(rf"^(?:[-–{BULLET}]|\d{{1,2}}[.)]|[a-zæøå][.)])(?:\s|$)")
# A wrapped line fills most of the column; a line shorter than this ended where the author did.
HARD_BREAK_SHARE = 0.6
# A name in front of a label fits the name column; longer lines are never anchors.
_LONGEST_ANCHOR = NAME_WIDTH + 1 + max(len(label) for label in all_labels())


class SectionLines:
    """The lines of one section, its label lines (anchors), and the names known so far."""

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
        self.lines = lines
        self.deadline = deadline or Deadline(float("inf"))
        self.category = category
        self.place = place
        self.known = known
        self.hard_break = HARD_BREAK_SHARE * text_width
        self.anchors = self._find_anchors()

    def location(self, index: int) -> Location:
        return (*self.place, index)

    def _short_enough_to_end(self, line: Line) -> bool:
        return len(line.text) < self.hard_break

    def _find_anchors(self) -> dict[int, tuple[str, str]]:
        """Lines that carry a scale label, with the name part in front of it ("" when alone)."""
        anchors: dict[int, tuple[str, str]] = {}
        for index, line in enumerate(self.lines):
            if line.blank:
                continue
            if len(line.text) > _LONGEST_ANCHOR:
                continue
            label = canonical_label(line.text)
            if label:
                anchors[index] = ("", label)
                continue
            split = split_label_suffix(line.text)
            if not split or not split[0] or len(split[0]) > NAME_WIDTH:
                continue
            if split[0].startswith(BULLET):
                continue
            previous = self.lines[index - 1] if index else None
            if (
                previous is None
                or previous.blank
                or line.page_start
                or index - 1 in anchors
                or self._short_enough_to_end(previous)
                or ends_sentence(previous.text)
            ):
                anchors[index] = split
        return anchors

    def can_start(self, index: int) -> bool:
        """Whether an answer may begin on this line (after a gap, a page break or a short line)."""
        line = self.lines[index]
        if index == 0 or line.page_start or index - 1 in self.anchors:
            return True
        previous = self.lines[index - 1]
        return previous.blank or self._short_enough_to_end(previous)

    def name_run(self, label_line: int, taken: set[int]) -> list[int]:
        """The lines of the name block standing above a lone scale label."""
        index = label_line - 1
        while index >= 0 and self.lines[index].blank:
            index -= 1
        run: list[int] = []
        while (
            index >= 0
            and self.lines[index].short
            and index not in self.anchors
            and index not in taken
            and len(run) < MAX_NAME_LINES
        ):
            run.insert(0, index)
            if self.lines[index].page_start:
                break
            index -= 1
        return run

    def _texts(self, indexes: list[int] | range) -> list[str]:
        return [self.lines[i].text for i in indexes]

    def _first_content(self) -> int | None:
        return next((i for i, line in enumerate(self.lines) if not line.blank), None)

    # -- pass 2: the answers ------------------------------------------------------------------

    def _text_lines(self, indexes: set[int]) -> list[int]:
        return [i for i in sorted(indexes) if not self.lines[i].blank]

    def _after_gap(self, index: int) -> bool:
        """Whether a line opens the section, a page, or follows a blank line."""
        return index == 0 or self.lines[index].page_start or self.lines[index - 1].blank

    def _name_block(self, index: int, taken: set[int], first_in_section: bool) -> list[int]:
        """Short lines from `index` to a blank line that read like a name, not like text."""
        block: list[int] = []
        cursor = index
        while cursor < len(self.lines) and not self.lines[cursor].blank:
            if (
                not self.lines[cursor].short
                or cursor in taken
                or cursor in self.anchors
                or len(block) == MAX_NAME_LINES
            ):
                return []
            block.append(cursor)
            cursor += 1
        if not block:
            return []
        opening = self.lines[index].text
        if ends_sentence(self.lines[block[-1]].text.rstrip(",")) or opening.startswith(BULLET):
            return []
        if not (opening[0].isupper() or opening[0].isdigit() or opening[0] in '(«"'):
            return []
        if first_in_section:
            return block
        has_answer = any(not line.blank for line in self.lines[cursor:])
        return block if has_answer else []


def paragraphs(pieces: list[tuple[str, int]], hard_break: float) -> str | None:
    """Rejoin wrapped lines: blank lines part paragraphs; bullets and short lines end a line."""
    result: list[str] = []
    current = ""
    previous_width = 0
    for text, width in pieces:
        if not text:
            if current:
                result.append(current)
            current = ""
            continue
        if not current:
            current = text
        elif _LIST_ITEM.match(text) or previous_width < hard_break:
            current += "\n" + text
        else:
            current += " " + text
        previous_width = width
    if current:
        result.append(current)
    return "\n\n".join(result) if result else None


def split_unknown_glued(text: str) -> tuple[str, str | None]:
    """Split an unknown one-line name from the first line of its answer, as well as can be."""
    return glued_splits(text)[0]


def glued_splits(text: str) -> list[tuple[str, str | None]]:
    """The ways an unknown one-line name and the first line of its answer can be split, the
    likeliest first.

    The name fits the name column; the answer opens with a capital. Where several capitals
    qualify, a common sentence opener ("Det", "Vi") marks the answer; else the first one does.
    """
    words = text.split(" ")
    candidates = [
        cut
        for cut in range(1, len(words))
        if len(" ".join(words[:cut])) <= NAME_WIDTH and starts_text(words[cut])
    ]
    if not candidates:
        if len(text) <= NAME_WIDTH:
            return [(text, None)]
        return [(words[0], " ".join(words[1:]) or None)]
    chosen = next((c for c in candidates if first_word(words[c]) in SENTENCE_STARTERS), None)
    if chosen is not None:
        candidates.remove(chosen)
        candidates.insert(0, chosen)
    return [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in candidates]
