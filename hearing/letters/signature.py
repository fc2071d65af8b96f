"""A letter's signature: who signed it, and for which organisation.

Norwegian letters close with "Med vennlig hilsen" (nynorsk "Med venleg helsing", or just
"Hilsen", "Mvh"), then, line by line, often the organisation, the signatory's name (sometimes
"(sign.)" or a note that it is approved electronically), the title, and perhaps a second
signatory beside or below the first. The first name that looks like a person's is the
signatory; a line that looks like an organisation's (a word such as "kommune",
"direktoratet", "forbundet", or an acronym) before or after it is the organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hearing.letters.letter_words import CLOSING, is_closing, is_letterhead_line

# Word endings of organisations' names ("Helsedirektoratet", "Utdanningsforbundet").
_ORGANISATION_ENDINGS = (
    "kommune", "direktorat", "direktoratet", "departement", "departementet", "universitet",
    "universitetet", "høgskole", "høgskolen", "høyskole", "høyskolen", "sykehus", "sykehuset",
    "helseforetak", "forbund", "forbundet", "forening", "foreningen", "foreining", "organisasjon",
    "organisasjonen", "senter", "senteret", "stiftelse", "stiftelsen", "etat", "etaten",
    "tilsyn", "tilsynet", "ombud", "ombudet", "institutt", "instituttet", "nettverk",
    "nettverket", "statsforvalter", "statsforvaltaren", "statsforvalteren", "bydel", "akademi",
    "selskap", "selskapet", "klinikk", "klinikken", "foretak", "sekretariat", "sekretariatet",
    "fakultet", "fakultetet", "avdeling", "avdelingen", "råd", "rådet", "samskipnad", "kontor",
    "kontoret", "tjenesten", "tenesta", "fylke", "fylket", "politiet", "skolen", "barnehage",
    "museum", "museet", "bibliotek", "biblioteket",
    "council", "university", "association", "directorate", "ministry", "centre", "center",
    "foundation", "agency", "institute", "department",
)  # fmt: skip
# Whole words that make a name an organisation's ("Blå Kors Norge", "Norsk Sykepleierforbund").
_ORGANISATION_WORDS = frozenset(
    {"norge", "noreg", "norsk", "norges", "nasjonal", "nasjonalt", "regional", "regionalt"}
)
_COMPANY_SUFFIX = re.compile(r"\b(?:AS|ASA|SA|BA|ANS|DA|SF|HF|IKS|KF|NUF)$")
_ACRONYM = re.compile(r"^[A-ZÆØÅ][A-ZÆØÅa-zæøå]*[A-ZÆØÅ][A-ZÆØÅ-]*$")
_TITLE_WORDS = (
    "leder", "direktør", "rådgiver", "sekretær", "sjef", "konsulent", "ansvarlig", "koordinator",
    "forsker", "professor", "ordfører", "rådmann", "dekan", "president", "medarbeider",
    "saksbehandler", "jurist", "økonom", "rektor", "formann", "forkvinne", "styreleiar",
    "leiar", "direktor", "rådgjevar", "stipendiat", "psykolog", "spesialist", "overlege",
    "manager", "director", "adviser", "advisor", "officer", "head", "chair", "ceo", "secretary",
    "kommunedirektør", "seksjonssjef", "fagdirektør", "generalsekretær", "daglig", "dagleg",
)  # fmt: skip
_SKIPPED = re.compile(
    r"^\(?sign(?:\.|ert|atur)?\)?$|elektronisk|electronically|ingen\s+(?:håndskrevne|handskrivne)"
    r"|^(?:for|p\.?\s?p\.?|e\.?\s?f\.?|etter\s+fullmakt)$",
    re.IGNORECASE,
)
# "e.f." (etter fullmakt), "p.p.", "(sign.)" after a name: signed for someone, or on paper.
_SIGNED_FOR = re.compile(r"\s+(?:e\.\s?f\.|p\.\s?p\.|\(sign\.?\)|sign\.)$", re.IGNORECASE)
_ON_BEHALF = re.compile(r"^(?:for|på\s+vegne\s+av|på\s+vegner\s+av|on\s+behalf\s+of)\s+", re.I)
_NAME_PARTICLES = frozenset({"von", "van", "de", "der", "den", "af", "da", "di", "la", "le"})
_NAME_WORD = re.compile(
    r"^(?:[A-ZÆØÅÉÖÄÜ][a-zæøåéöäüèáíóú'’]+(?:-[A-ZÆØÅÉÖÄÜ][a-zæøåéöäüèáíóú'’]+)*|[A-ZÆØÅ]\.)$"
)
_SIGNATURE_LINES = 10
_COLUMNS = re.compile(r"\t+| {3,}")


@dataclass(frozen=True)
class Signature:
    start: int  # index of the closing's line
    person: str
    organisation: str


def read_signature(lines: list[str]) -> Signature | None:
    """The letter's last signature, if it has a closing."""
    closings = [index for index, line in enumerate(lines) if is_closing(line)]
    if not closings:
        return None
    start = closings[-1]
    after = CLOSING.sub("", lines[start]).strip(" ,")
    following = ([after] if after else []) + lines[start + 1 : start + 1 + _SIGNATURE_LINES]
    person = organisation = ""
    for raw in following:
        line = _COLUMNS.split(raw.strip())[0].strip() if raw.strip() else ""
        if not line or _SKIPPED.search(line):
            continue
        if is_letterhead_line(line) or "@" in line:
            if person:
                break
            continue
        name, _, title = (part.strip() for part in line.partition(","))
        name = _SIGNED_FOR.sub("", name)
        if not person and is_person_name(name):
            person = name
            if title and is_organisation_like(title) and not organisation:
                organisation = title.strip(" ,.")
            continue
        on_behalf = _ON_BEHALF.sub("", line)
        if not organisation and is_organisation_like(on_behalf) and not _is_title(line):
            organisation = on_behalf.strip(" ,.")
        elif not organisation and _is_title(line) and "," in line:
            rest = line.split(",", 1)[1].strip()
            if is_organisation_like(rest):
                organisation = rest.strip(" ,.")
    return Signature(start=start, person=person, organisation=organisation)


def is_person_name(text: str) -> bool:
    """Whether `text` looks like a person's name: two to five capitalised words (initials and
    "von", "de" allowed), no digits, nothing an organisation or a title would have."""
    words = text.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in text):
        return False
    if is_organisation_like(text) or _is_title(text) or is_closing(text):
        return False
    named = [word for word in words if word.lower() not in _NAME_PARTICLES]
    return len(named) >= 2 and all(_NAME_WORD.match(word) for word in named)


def is_organisation_like(text: str) -> bool:
    """Whether `text` names an organisation: a word such as "kommune" or "forbundet", a
    company form ("AS"), or an acronym ("NTNU", "KoRus")."""
    text = text.strip(" ,.")
    if not text or len(text) > 120 or not (text[0].isupper() or text[0].isdigit()):
        return False
    words = re.split(r"[\s/–—-]+", text)
    lowered = [word.lower().strip("(),.") for word in words]
    if any(word.endswith(_ORGANISATION_ENDINGS) or word in _ORGANISATION_WORDS for word in lowered):
        return True
    if _COMPANY_SUFFIX.search(text):
        return True
    return any(_ACRONYM.match(word.strip("(),.")) and len(word) >= 2 for word in words)


def _is_title(text: str) -> bool:
    first = text.split(",")[0].lower().split()
    return bool(first) and any(word.endswith(_TITLE_WORDS) for word in first)
