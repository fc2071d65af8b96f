"""Propose who sent a letter: organisation, signatory, date, e-mail and organisation number.

Only a proposal, which the secretariat confirms or corrects, so every field is left empty
rather than guessed: a field is filled when the letter says it in one of the places letters
say it. The organisation from a label ("Fra:", "Høringsinstans:"), a title ("Høringssvar fra
Utdanningsforbundet"), the signature ("Med vennlig hilsen / Bufdir / Kari Nordmann /
direktør") or the letterhead and footer, a letterhead line preferred when it matches the
sender's e-mail domain; never the addressee (the block after "Til:", or the address block
just above the reference line). The person from the signature. The date from "Vår dato" or
"Dato", a "Oslo, 12. mars 2026" line, or a date standing alone in the head, never "Deres
dato" (the date of the letter answered). The organisation number only when labelled and its
mod-11 check digit is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from hearing.letters.letter_dates import dates_in
from hearing.letters.letter_words import is_closing, is_letterhead_line
from hearing.letters.signature import (
    Signature,
    is_organisation_like,
    is_person_name,
    read_signature,
)
from synthesis import org_number

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", re.ASCII
)
# Nine digits as people group them; the label before them is looked for only where they are.
_NINE_DIGITS = re.compile(r"(?<!\d)\d{3}[ .\u00a0]?\d{3}[ .\u00a0]?\d{3}(?!\d)")
_ORG_NUMBER_LABEL = re.compile(
    r"(?:org(?:anisasjons)?\.?\s*-?\s*(?:nr|nummer|no)\b\.?|organisasjonsnummer"
    r"|foretaks(?:nr|nummer)\.?|organi[sz]ation\s+(?:number|no\.?))\s*[:.]?\s*(?:NO\s*)?$"
    r"|\bNO\s*$",
    re.IGNORECASE,
)
_VAT_SUFFIX = re.compile(r"\s*MVA\b")
_LABEL_REACH = 40
_ENDS = 20_000  # the letterhead and the footer, where the organisation number is written
_LABELLED_ORGANISATION = re.compile(
    r"^(?:avsender|høringsinstans|høyringsinstans|instans|organisasjon|virksomhet|verksemd"
    r"|navn på (?:organisasjon|høringsinstans|virksomhet)|på vegne av|innsender"
    r"|organi[sz]ation)"
    r"\s*:\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_FROM = re.compile(r"^(?:fra|frå|from)\s*:\s*(?P<value>.+)$", re.IGNORECASE)
_TITLE_FROM = re.compile(
    r"\b(?:høringssvar|høyringssvar|høringsuttalelse|høyringsuttale|høringsinnspill|høyringsinnspel"
    r"|høyringsfråsegn|innspill|innspel|uttalelse|uttale|merknader|kommentarer|svar)\s+(?:fra|frå)\s+"
    r"(?P<value>[^–—:\n]+?)(?:\s+(?:til|om|på|vedrørende|vedr\.?|angående|i)\s|\s+[-–—]\s|[:\n(]|$)",
    re.IGNORECASE,
)
_TO = re.compile(r"^(?:til|mottaker|to|kopi(?:\s+til)?|cc)\s*:", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"\b(?:(?P<theirs>deres|dykkar|your)\s+|(?:vår|our)\s+)?(?:dato|date|datert)\b", re.IGNORECASE
)
_ALONE_DATE_LABEL = re.compile(
    r"^(?:(?:deres|dykkar|your|vår|our)\s+)?(?:dato|date)\s*:?$", re.IGNORECASE
)
_TABLE_ROWS = 6  # labels of a reference table: references, dates, case officer
_LABEL = re.compile(r"^[^\W\d_][\w .]{0,30}:(?:\s|$)")
_PLACE_DATE = re.compile(r"^[A-ZÆØÅ][\wæøåÆØÅ .-]{1,40},\s*(?:den\s+)?\d")
_REFERENCE_ROW = re.compile(
    r"^(?:deres|dykkar|vår|our|your)\s+(?:ref|referanse|dato)", re.IGNORECASE
)
_FREE_MAIL_SERVICES = """gmail hotmail outlook live msn yahoo icloud me online getmail broadpark
    frisurf altibox start lyse c2i hotpop mail protonmail proton gmx"""
_FREE_MAIL = frozenset(_FREE_MAIL_SERVICES.split())
_HEAD_LINES = 30
_FOOT_LINES = 15
_MAX_FIELD = 300
_MAX_LINE = 400  # what is said of the sender fits a line; a paragraph's tail says nothing more


@dataclass(frozen=True)
class SenderProposal:
    organisation: str
    person: str
    written_on: date | None
    email: str
    organisation_number: str  # nine digits, no spaces


def propose_sender(text: str) -> SenderProposal:
    """Who the letter in `text` says it is from, as far as it says it clearly."""
    lines = [line.strip()[:_MAX_LINE] for line in text.splitlines()]
    addressee = _addressee_lines(lines)
    signature = read_signature(lines)
    email = _email(lines, addressee, signature)
    return SenderProposal(
        organisation=_organisation(lines, addressee, signature, email)[:_MAX_FIELD],
        person=_person(lines, signature)[:_MAX_FIELD],
        written_on=_written_on(lines, signature),
        email=email,
        organisation_number=_organisation_number(text[:_ENDS] + "\n" + text[-_ENDS:]),
    )


def _organisation_number(text: str) -> str:
    """The first labelled organisation number ("Org.nr. 974 760 673", "NO 974 760 673 MVA")
    whose check digit is right, in `text` (the letter's head and foot)."""
    for match in _NINE_DIGITS.finditer(text):
        label = _ORG_NUMBER_LABEL.search(text, max(0, match.start() - _LABEL_REACH), match.start())
        if label is None:
            continue
        if label[0].strip().upper() == "NO" and not _VAT_SUFFIX.match(text, match.end()):
            continue
        digits = re.sub(r"\D", "", match[0])
        if org_number.is_valid(digits):
            return digits
    return ""


def _addressee_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines naming the addressee: the block a "Til:" label opens, and the
    address block right above the "Deres ref / Vår ref" line."""
    found: set[int] = set()
    for index, line in enumerate(lines):
        if _TO.match(line):
            found |= set(_block_from(lines, index))
        elif _REFERENCE_ROW.match(line):
            above = _block_before(lines, index)
            if any(is_letterhead_line(lines[i]) for i in above):
                found |= set(above)
            break
    return found


def _block_from(lines: list[str], start: int) -> list[int]:
    """The label's line and those under it, up to a blank line or the next label."""
    block = [start]
    for index in range(start + 1, len(lines)):
        if not lines[index] or _LABEL.match(lines[index]):
            break
        block.append(index)
    return block


def _block_before(lines: list[str], end: int) -> list[int]:
    index = end - 1
    while index >= 0 and not lines[index]:
        index -= 1
    block = []
    while index >= 0 and lines[index]:
        block.append(index)
        index -= 1
    return block[::-1]


def _email(lines: list[str], addressee: set[int], signature: Signature | None) -> str:
    """The sender's address: in the signature, else the first outside the addressee's lines
    in the head or foot of the letter."""
    if signature is not None:
        for line in lines[signature.start :]:
            if match := _EMAIL.search(line):
                return match[0].lower()
    near = [
        *range(min(_HEAD_LINES, len(lines))),
        *range(max(0, len(lines) - _FOOT_LINES), len(lines)),
    ]
    for index in dict.fromkeys(near):
        if index not in addressee and (match := _EMAIL.search(lines[index])):
            return match[0].lower()
    return ""


def _person(lines: list[str], signature: Signature | None) -> str:
    if signature is not None and signature.person:
        return signature.person
    for line in lines[:_HEAD_LINES]:
        if match := _FROM.match(line):
            name = _EMAIL.sub("", match["value"]).strip(" <>()")
            if is_person_name(name):
                return name
    return ""


def _organisation(
    lines: list[str], addressee: set[int], signature: Signature | None, email: str
) -> str:
    for line in lines[:_HEAD_LINES]:
        labelled = _LABELLED_ORGANISATION.match(line)
        if labelled:
            return _tidy(labelled["value"])
        sent_from = _FROM.match(line)
        if sent_from:
            value = _tidy(_EMAIL.sub("", sent_from["value"]).strip(" <>()"))
            if value and not is_person_name(value):
                return value
    for line in lines[:_HEAD_LINES]:
        titled = _TITLE_FROM.search(line)
        if titled and not is_person_name(_tidy(titled["value"])):
            return _tidy(titled["value"])
    if signature is not None and signature.organisation:
        return signature.organisation
    candidates = [
        _tidy(part)
        for index in [
            *range(min(_HEAD_LINES, len(lines))),
            *range(max(0, len(lines) - _FOOT_LINES), len(lines)),
        ]
        if index not in addressee and lines[index] and not is_letterhead_line(lines[index])
        for part in re.split(r"\s*[|•·]\s*", lines[index])
    ]
    candidates = [c for c in dict.fromkeys(candidates) if c and not is_closing(c)]
    domain = _domain(email)
    if domain:
        for candidate in candidates:
            if _matches_domain(candidate, domain):
                return candidate
    for candidate in candidates[:8]:
        if is_organisation_like(candidate):
            return candidate
    return ""


def _domain(email: str) -> str:
    """The e-mail domain's name ("utdanningsforbundet" in post@utdanningsforbundet.no), ""
    for a free mail service (a private person's address says nothing of an organisation)."""
    if "@" not in email:
        return ""
    parts = email.rsplit("@", 1)[1].split(".")
    name = parts[-2] if len(parts) >= 2 else parts[0]
    return "" if name in _FREE_MAIL else name


def _matches_domain(candidate: str, domain: str) -> bool:
    folded = _ascii_letters(candidate)
    words = [_ascii_letters(word) for word in re.split(r"[\s-]+", candidate) if word]
    initials = "".join(word[:1] for word in words if word)
    if len(domain) < 3 or len(candidate) > 80:
        return False
    return domain in folded or (len(folded) >= 4 and folded in domain) or initials == domain


def _ascii_letters(text: str) -> str:
    folded = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return re.sub(r"[^a-z0-9]", "", folded)


def _written_on(lines: list[str], signature: Signature | None) -> date | None:
    """The letter's own date: labelled, else on a "place, date" line in the head or by the
    signature, else a date standing alone in the head."""
    head = lines[:_HEAD_LINES]
    labelled = _labelled_date(head)
    if labelled is not None:
        return labelled
    near_signature = lines[max(0, signature.start - 3) : signature.start + 8] if signature else []
    for line in [*head, *near_signature]:
        if _PLACE_DATE.match(line) and (found := dates_in(line)):
            return found[0][1]
    for line in head:
        found = dates_in(line)
        if found and not _DATE_LABEL.search(line) and len(line) <= 40 and is_letterhead_line(line):
            return found[0][1]
    return None


def _labelled_date(lines: list[str]) -> date | None:
    """The date after "Vår dato" or "Dato", on its line or, when the labels are a row of
    their own (a reference table), in the same place among the dates in the rows below."""
    for index, line in enumerate(lines):
        labels = list(_DATE_LABEL.finditer(line))
        for number, label in enumerate(labels):
            if label["theirs"]:
                continue
            ends = labels[number + 1].start() if number + 1 < len(labels) else len(line)
            found = [value for start, value in dates_in(line) if label.end() <= start < ends]
            if found:
                return found[0]
            if _ALONE_DATE_LABEL.match(line):
                return _date_under(lines, index)
    return None


def _date_under(lines: list[str], index: int) -> date | None:
    """The date that a label alone on its line heads: the labels of a reference table are
    listed first, their values after them in the same order."""
    window = range(max(0, index - _TABLE_ROWS), min(len(lines), index + _TABLE_ROWS + 1))
    labels = [row for row in window if _ALONE_DATE_LABEL.match(lines[row])]
    values = [
        found[0][1]
        for row in range(labels[-1] + 1, min(len(lines), labels[-1] + 1 + 2 * _TABLE_ROWS))
        if (found := dates_in(lines[row])) and len(lines[row]) <= 40
    ]
    position = labels.index(index)
    return values[position] if position < len(values) else None


def _tidy(value: str) -> str:
    return " ".join(value.split()).strip(" ,.;:-–—")
