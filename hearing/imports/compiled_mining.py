"""Names only ever printed glued to their text, found as the words such lines share.

"KS Det er positivt …" in one question and "KS Rapporten vektlegger …" in another share "KS"
before each starts its own text, so "KS" is a name. Comparing every such line with every other
grows with the square of the document (a few thousand respondents took seconds); the lines of
a category are instead put in a tree of their first words, where two lines share exactly the
words of the node at which they part. Each node is a candidate name, and a line supports it
when a line of another question parts from it there.

A line does not support a shorter name when it starts with a longer known one: "Bydel
Stovner Rapporten …" and "Bydel Frogner Vi …" share "Bydel", which is no respondent's name.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from hearing.imports.compiled_lines import BULLET, NAME_WIDTH
from hearing.imports.compiled_names import (
    SENTENCE_STARTERS,
    KnownNames,
    Location,
    first_word,
    starts_text,
)
from hearing.imports.limits import Deadline

GluedLine = tuple[Location, str]


@dataclass
class _Node:
    name: str
    children: dict[str, _Node] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)  # lines that continue past this node


def mine_glued_names(
    known: KnownNames, category: str, lines: list[GluedLine], deadline: Deadline
) -> None:
    """Add to `known` the names that glued lines of `category` share across questions."""
    root = _Node("")
    words_of = [text.split(" ") for _, text in lines]
    for number, words in enumerate(words_of):
        deadline.check()
        node = root
        for depth, word in enumerate(words[:-1]):
            name = f"{node.name} {word}" if depth else word
            if len(name) > NAME_WIDTH:
                break
            node = node.children.setdefault(word, _Node(name))
            node.lines.append(number)
    candidates = {node.name: node for node in _walk(root) if _supported(node, lines, words_of)}
    # How many words of each line a longer name covers (harvested or a candidate).
    covered = [_longest_known(known, category, candidates, words) for words in words_of]
    for node in candidates.values():
        deadline.check()
        depth = node.name.count(" ") + 1
        free = {n for n in node.lines if covered[n] <= depth}
        for number in _with_partner(node, lines, words_of, free):
            known.add(category, node.name, lines[number][0])


def _walk(root: _Node) -> list[_Node]:
    found, stack = [], list(root.children.values())
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.children.values())
    return found


def _name_like(name: str) -> bool:
    return not (
        name.endswith((":", ";", ",", BULLET))
        or not name[:1].isupper()
        or first_word(name) in SENTENCE_STARTERS
    )


def _supported(node: _Node, lines: list[GluedLine], words_of: list[list[str]]) -> bool:
    return _name_like(node.name) and bool(_with_partner(node, lines, words_of, set(node.lines)))


def _with_partner(
    node: _Node, lines: list[GluedLine], words_of: list[list[str]], free: set[int]
) -> list[int]:
    """The free lines of `node` that part from it with a text opening, beside a free line of
    another question that parts from it by another word."""
    depth = node.name.count(" ") + 1
    by_word: dict[str, list[int]] = {}
    for number in node.lines:
        if number in free and starts_text(words_of[number][depth]):
            by_word.setdefault(words_of[number][depth], []).append(number)
    if len(by_word) < 2:
        return []
    questions = Counter(lines[number][0][0] for group in by_word.values() for number in group)
    total = sum(questions.values())
    found = []
    for group in by_word.values():
        own = Counter(lines[number][0][0] for number in group)
        for number in group:
            question = lines[number][0][0]
            others = (total - len(group)) - (questions[question] - own[question])
            if others > 0:
                found.append(number)
    return found


def _longest_known(
    known: KnownNames, category: str, candidates: dict[str, _Node], words: list[str]
) -> int:
    """How many leading words of a line make the longest name known or found, text after."""
    longest = 0
    name = ""
    for depth, word in enumerate(words[:-1], 1):
        name = f"{name} {word}" if name else word
        if len(name) > NAME_WIDTH:
            break
        if name in candidates or known.elsewhere(category, name):
            longest = depth
    return longest
