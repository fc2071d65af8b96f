"""Cut a compiled document into its title, questions and per-category sections.

The document is a sequence of questions ("1. Spørsmål: 1.a. Har du …"), each with category
headers ("Forvaltning (Offentlig)", wrapped over lines in the narrow first column) followed by
the respondents of that category, and closed by "Sju andre instanser … har ikke svart på dette
spørsmålet." Category names recur in every question, so a header damaged by a page break (a line
of the question or of an answer glued on top of it) is repaired with the clean occurrences.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from exports.number_words import parse_count
from hearing.imports.compiled_lines import (
    BULLET,
    NAME_WIDTH,
    Line,
    ends_sentence,
    join_name,
    remove_debris,
    split_lines,
)
from synthesis.snapshot import SECTOR_SUFFIX_NB, Category, Sector, sector_named

_HEADER = re.compile(r"^(?:\d+\s*\.\s*)?Spørsmål\s*:\s*(?P<rest>.*)$", re.I)
_CODE = re.compile(r"^(?P<code>\d+(?:\.(?:\d+|[a-zæøå])(?![a-zæøå\d]))*)\s*\.?\s*(?P<text>.*)$")
_NOT_ANSWERED_START = re.compile(r"^(?P<count>\S+) andre instans", re.I)
_NOT_ANSWERED = re.compile(
    r"^(?P<count>\S+) andre instans\w* som har svart på dette notatet "
    r"har ikk\w* svart på dette spørsmålet\.?$",
    re.I,
)
_SECTOR_LINE = re.compile(
    rf"^(?P<name>.*?)\s*\((?P<sector>{'|'.join(SECTOR_SUFFIX_NB.values())})\)(?:\s+svar)?$",
    re.I,
)
_MAX_CATEGORY_LINES = 3
_MAX_NOT_ANSWERED_LINES = 3


@dataclass
class Section:
    """The lines under one category header within one question."""

    category: Category
    lines: list[Line]


@dataclass
class QuestionPart:
    """One question as printed: header, category sections and the stated not-answered count."""

    code: str
    text: str
    sections: list[Section] = field(default_factory=list)
    stated_not_answered: int | None = None


@dataclass
class Layout:
    title: str
    questions: list[QuestionPart]


@dataclass
class _SectorHit:
    body_index: int
    line_index: int
    run: list[str]  # the short lines above the sector line, top first
    name_tail: str
    sector: Sector


def read_layout(text: str) -> Layout:
    """Find the title, the questions and their category sections."""
    raw = split_lines(text)
    header_rows = [i for i, line in enumerate(raw) if _HEADER.match(line.text)]
    if not header_rows:
        return Layout(title="", questions=[])
    cleaned = remove_debris(raw[: header_rows[0]], set())
    # dict.fromkeys drops a running header that repeats the title above the first question.
    title_lines = list(dict.fromkeys(line.text for line in cleaned if not line.blank))
    title = join_name(title_lines)
    lines = remove_debris(raw[header_rows[0] :], running_headers={title, *title_lines})
    starts = [i for i, line in enumerate(lines) if _HEADER.match(line.text)]
    bodies: list[tuple[str, list[Line], int | None]] = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        body, stated = _cut_not_answered(lines[start + 1 : end])
        bodies.append((_HEADER.match(lines[start].text)["rest"], body, stated))
    hits = [_sector_hits(number, body) for number, (_, body, _) in enumerate(bodies)]
    known = Counter(_full_name(hit.run, hit.name_tail) for found in hits for hit in found)
    questions = [
        _question(position, first, body, stated, found, known)
        for position, ((first, body, stated), found) in enumerate(zip(bodies, hits, strict=True))
    ]
    return Layout(title=title, questions=questions)


def _cut_not_answered(body: list[Line]) -> tuple[list[Line], int | None]:
    for index, line in enumerate(body):
        match = _NOT_ANSWERED_START.match(line.text)
        if not match or parse_count(match["count"]) is None:
            continue
        parts = [line.text]
        for follower in body[index + 1 : index + _MAX_NOT_ANSWERED_LINES]:
            if _NOT_ANSWERED.match(" ".join(parts)) or follower.blank:
                break
            parts.append(follower.text)
        sentence = _NOT_ANSWERED.match(" ".join(parts))
        if sentence:
            return body[:index], parse_count(sentence["count"])
    return body, None


def _sector_hits(body_index: int, body: list[Line]) -> list[_SectorHit]:
    hits = []
    for index, line in enumerate(body):
        if ")" not in line.text[-6:] and not line.text.casefold().endswith("svar"):
            continue
        match = _SECTOR_LINE.match(line.text)
        if not match or len(match["name"]) > 2 * NAME_WIDTH or line.text.startswith(BULLET):
            continue
        run: list[str] = []
        above = index - 1
        if not (line.page_start and match["name"]):
            while above >= 0 and len(run) < _MAX_CATEGORY_LINES and body[above].short:
                if ends_sentence(body[above].text):
                    break
                run.insert(0, body[above].text)
                if body[above].page_start:
                    break
                above -= 1
        sector = sector_named(match["sector"])
        assert sector is not None  # the pattern allows only the sectors' names
        hits.append(_SectorHit(body_index, index, run, match["name"], sector))
    return hits


def _full_name(run: list[str], tail: str) -> str:
    return join_name([*run, tail])


def _resolve_run(hit: _SectorHit, known: Counter[str]) -> list[str]:
    """The lines above a sector line that belong to the category name.

    The longest tail of the run that makes a category name seen elsewhere wins; otherwise the
    whole run is the name (the run already stops at blank lines and page starts).
    """
    own = _full_name(hit.run, hit.name_tail)
    for skip in range(len(hit.run) + 1):
        tail = hit.run[skip:]
        name = _full_name(tail, hit.name_tail)
        if name and known[name] - (1 if name == own else 0) > 0:
            return tail
    return hit.run


def _question(
    position: int,
    header_first: str,
    body: list[Line],
    stated: int | None,
    hits: list[_SectorHit],
    known: Counter[str],
) -> QuestionPart:
    headers: list[tuple[int, int, Category]] = []  # (first line, sector line, category)
    for hit in hits:
        run = _resolve_run(hit, known)
        name = join_name([*run, hit.name_tail])
        headers.append((hit.line_index - len(run), hit.line_index, Category(name, hit.sector)))
    first_section = headers[0][0] if headers else len(body)
    continuation = []
    for line in body[:first_section]:
        if line.blank:
            break
        continuation.append(line.text)
    code, text = _code_and_text(join_name([header_first, *continuation]), position)
    part = QuestionPart(code=code, text=text, stated_not_answered=stated)
    for number, (_, sector_line, category) in enumerate(headers):
        end = headers[number + 1][0] if number + 1 < len(headers) else len(body)
        part.sections.append(Section(category, body[sector_line + 1 : end]))
    return part


def _code_and_text(header: str, position: int) -> tuple[str, str]:
    match = _CODE.match(header)
    if match and match["code"]:
        return match["code"], match["text"].strip()
    return str(position + 1), header.strip()
