"""Every human-readable string the export writers print, one small dict per locale.

Writers look strings up here instead of hard-coding them so that a Bokmål and an English
workbook come from the same code. Column names of the long ("tidy") format are deliberately
*not* here: they are a machine contract (DESIGN.md) and stay the same in every locale.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from exports.number_words import not_answered_line
from synthesis.snapshot import SECTOR_SUFFIX_NB, Sector

LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "private_person": "Privatperson",
        "question": "Spørsmål",
        "answer": "Svar",
        "comment": "Kommentar",
        "respondent": "Instans",
        "on_behalf_of": "på vegne av",
        "category": "Kategori",
        "sector": "Sektor",
        "count": "Antall",
        "share": "Andel",
        "total": "Totalt",
        "all_respondents": "Alle som svarte",
        "answered": "Har svart",
        "answered_respondents": "Instanser som har svart",
        "not_answered_respondents": "Instanser som ikke har svart",
        "positioned": "Tok standpunkt",
        "sheet_overview": "Oversikt",
        "sheet_positions": "Standpunkter",
        "sheet_themes": "Temaer",
        "sheet_duplicates": "Duplikater",
        "sheet_long": "Svar (langt format)",
        "consultation": "Høring",
        "opens_at": "Åpnet (norsk tid)",
        "closes_at": "Frist (norsk tid)",
        "respondents": "Høringssvar i oppsummeringen",
        "respondents_by_category": "Høringssvar per kategori",
        "respondents_by_sector": "Høringssvar per sektor",
        "unpublished": "Høringssvar som ikke skal publiseres",
        "refused_positions_counted": "Standpunkter i tabellene fra svar som ikke skal publiseres",
        "audience": "Utgave",
        "audience_public": "Offentlig utgave: navn på privatpersoner er anonymisert",
        "audience_internal": (
            "Intern utgave: inneholder navn og e-postadresser, skal ikke publiseres"
        ),
        "provenance": "Opphav",
        "run_id": "Analysekjøring",
        "parameters": "Parametere",
        "software_version": "Programversjon",
        "exported_at": "Eksportert (norsk tid)",
        "counts_by_category": "Antall per kategori",
        "counts_by_sector": "Antall per sektor",
        "percent_by_category": "Prosent per kategori (av dem som tok standpunkt)",
        "percent_by_sector": "Prosent per sektor (av dem som tok standpunkt)",
        "tallies": "Oppsummert",
        "positions": "Standpunkter",
        "theme": "Tema",
        "keywords": "Nøkkelord",
        "size": "Svar i temaet",
        "share_by_category": "Andel per kategori",
        "quotes": "Sitater",
        "group": "Gruppe",
        "kind": "Type",
        "members": "Avsendere",
        "template": "Felles tekst",
        "additions": "Tillegg",
        **{f"sector_{sector.value}": name for sector, name in SECTOR_SUFFIX_NB.items()},
        "uncategorised": "Uten kategori",
        "duplicate_exact": "Identiske svar",
        "duplicate_near": "Nesten like svar",
        "duplicate_campaign": "Kampanje",
        "reason_same_body": "samme navn foran: «{name}»",
        "reason_same_name_words": "samme ord i navnet",
        "reason_same_email": "samme e-postadresse",
        "reason_identical_answer": (
            "identisk svar på spørsmål {question} fra kategoriene «{category}» og "
            "«{other_category}»"
        ),
        "chart_title": "Standpunkter til spørsmål {code} etter kategori",
        "chart_description": "Uenighet til venstre for midtlinjen, enighet til høyre.",
        "no_positions": "ingen standpunkter",
        "report_chapter": "Høringsinstansenes syn",
        "contents": "Innhold",
        "page_of": "Side {page} av {pages}",
        "respondents_heading": "Høringsinstansene",
        "positions_heading": "Standpunkter etter kategori",
        "positions_caption": (
            "Tabell {number}: Standpunkter til spørsmål {code} etter kategori, antall "
            "(andel av dem som tok standpunkt)"
        ),
        "answers_caption": (
            "Tabell {number}: Instanser som har svart på spørsmål {code}, etter kategori"
        ),
        "figure_caption": (
            "Figur {number}: Standpunkter til spørsmål {code} etter kategori. "
            "Uenighet til venstre for midtlinjen, enighet til høyre."
        ),
        "respondents_caption": "Tabell {number}: Høringssvar per kategori",
        "answers_by_category": "Svar etter kategori",
        "themes_heading": "Temaer i kommentarene",
        "theme_size_one": "{count} svar",
        "theme_size_many": "{count} svar",
        "theme_stance": "Standpunkt blant disse: {positions}.",
        "theme_divided": "Temaet samler både enige og uenige.",
        "duplicates_heading": "Like svar og kampanjer",
        "duplicate_group": "{kind} fra {count} instanser: {names}.",
        "identical_to": "Identisk med svaret fra {names}.",
        "near_to": "Nesten likt svaret fra {names}.",
        "campaign_member": "Del av en kampanje: {count} instanser sendte den samme teksten.",
        "own_addition": "Eget tillegg: {text}",
        "and": "og",
        "and_others": "{count} andre",
        "listing_heading": "Svarene fra høringsinstansene",
        "refers_to": "Viser til svaret på spørsmål {code}: {quote}",
        "refers_to_unanswered": "Viser til spørsmål {code}, som instansen ikke har svart på.",
        "refers_to_general": "Viser til instansens generelle kommentarer.",
        "quote_open": "«",
        "quote_close": "»",
    },
    "en": {
        "private_person": "Private person",
        "question": "Question",
        "answer": "Answer",
        "comment": "Comment",
        "respondent": "Respondent",
        "on_behalf_of": "on behalf of",
        "category": "Category",
        "sector": "Sector",
        "count": "Count",
        "share": "Share",
        "total": "Total",
        "all_respondents": "All respondents",
        "answered": "Answered",
        "answered_respondents": "Respondents who answered",
        "not_answered_respondents": "Respondents who did not answer",
        "positioned": "Took a position",
        "sheet_overview": "Overview",
        "sheet_positions": "Positions",
        "sheet_themes": "Themes",
        "sheet_duplicates": "Duplicates",
        "sheet_long": "Responses (long format)",
        "consultation": "Consultation",
        "opens_at": "Opened (Norwegian time)",
        "closes_at": "Deadline (Norwegian time)",
        "respondents": "Responses in this summary",
        "respondents_by_category": "Responses by category",
        "respondents_by_sector": "Responses by sector",
        "unpublished": "Responses not to be published",
        "refused_positions_counted": "Positions in the tables from responses not to be published",
        "audience": "Edition",
        "audience_public": "Public edition: names of private persons are anonymised",
        "audience_internal": (
            "Internal edition: contains names and e-mail addresses, do not publish"
        ),
        "provenance": "Provenance",
        "run_id": "Synthesis run",
        "parameters": "Parameters",
        "software_version": "Software version",
        "exported_at": "Exported (Norwegian time)",
        "counts_by_category": "Counts by category",
        "counts_by_sector": "Counts by sector",
        "percent_by_category": "Percent by category (of those who took a position)",
        "percent_by_sector": "Percent by sector (of those who took a position)",
        "tallies": "In summary",
        "positions": "Positions",
        "theme": "Theme",
        "keywords": "Keywords",
        "size": "Answers in theme",
        "share_by_category": "Share by category",
        "quotes": "Quotes",
        "group": "Group",
        "kind": "Kind",
        "members": "Senders",
        "template": "Shared text",
        "additions": "Additions",
        "sector_public": "Public",
        "sector_private": "Private",
        "sector_individual": "Individual",
        "uncategorised": "Uncategorised",
        "duplicate_exact": "Identical answers",
        "duplicate_near": "Near-identical answers",
        "duplicate_campaign": "Campaign",
        "reason_same_body": "same leading name “{name}”",
        "reason_same_name_words": "same words in the name",
        "reason_same_email": "same contact e-mail",
        "reason_identical_answer": (
            "identical answer to question {question} from the categories “{category}” and "
            "“{other_category}”"
        ),
        "chart_title": "Positions on question {code} by category",
        "chart_description": "Disagreement left of the centre line, agreement right of it.",
        "no_positions": "no positions",
        "report_chapter": "The respondents' views",
        "contents": "Contents",
        "page_of": "Page {page} of {pages}",
        "respondents_heading": "The respondents",
        "positions_heading": "Positions by category",
        "positions_caption": (
            "Table {number}: Positions on question {code} by category, counts "
            "(share of those who took a position)"
        ),
        "answers_caption": "Table {number}: Respondents who answered question {code}, by category",
        "figure_caption": (
            "Figure {number}: Positions on question {code} by category. "
            "Disagreement left of the centre line, agreement right of it."
        ),
        "respondents_caption": "Table {number}: Responses by category",
        "answers_by_category": "Answers by category",
        "themes_heading": "Themes in the comments",
        "theme_size_one": "{count} answer",
        "theme_size_many": "{count} answers",
        "theme_stance": "Their positions: {positions}.",
        "theme_divided": "The theme holds both agreement and disagreement.",
        "duplicates_heading": "Identical answers and campaigns",
        "duplicate_group": "{kind} from {count} respondents: {names}.",
        "identical_to": "Identical to the answer from {names}.",
        "near_to": "Nearly the same as the answer from {names}.",
        "campaign_member": "Part of a campaign: {count} respondents sent the same text.",
        "own_addition": "Own addition: {text}",
        "and": "and",
        "and_others": "{count} others",
        "listing_heading": "The respondents' answers",
        "refers_to": "Refers to the answer to question {code}: {quote}",
        "refers_to_unanswered": "Refers to question {code}, which this respondent did not answer.",
        "refers_to_general": "Refers to the respondent's general comments.",
        "quote_open": "“",
        "quote_close": "”",
    },
}


def labels_for(locale: str) -> Mapping[str, str]:
    """The strings for `locale`; Bokmål (the product's home language) when not translated."""
    return LABELS.get(locale, LABELS["nb"])


def sector_label(sector: Sector | None, locale: str) -> str:
    """The printed sector name, e.g. "Offentlig" or "Public"; empty when the sector is unknown."""
    return labels_for(locale)[f"sector_{sector.value}"] if sector is not None else ""


def not_answered_sentence(count: int, locale: str) -> str:
    """The closing line of each question ("Sju andre instanser … har ikke svart …").

    Empty when everyone answered: "Null andre instanser … har ikke svart" says nothing, and
    writers leave an empty line out. One is singular in both languages.
    """
    if count <= 0:
        return ""
    if locale == "en":
        if count == 1:
            return "One other respondent to this consultation did not answer this question."
        return (
            f"{count_word_en(count)} other respondents to this consultation "
            "did not answer this question."
        )
    if count == 1:
        return (
            "Én annen instans som har svart på dette notatet, har ikke svart på dette spørsmålet."
        )
    return not_answered_line(count)


_EN_WORDS = (
    "None", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    "Eleven", "Twelve",
)  # fmt: skip


def count_word_en(count: int) -> str:
    """English counterpart of `count_word`: words up to twelve, digits from 13."""
    return _EN_WORDS[count] if 0 <= count < len(_EN_WORDS) else str(count)


def duplicate_kind_label(kind: str, locale: str) -> str:
    """ "Identiske svar", "Nesten like svar", "Kampanje" for the detector's kind codes."""
    return labels_for(locale).get(f"duplicate_{kind}", kind)


def quoted(text: str, locale: str) -> str:
    """`text` in the locale's quotation marks: «…» in Norwegian, “…” in English.

    Quotation marks inside the text become the inner kind (‘…’), as both languages write a
    quote within a quote, so «a «b»» does not happen.
    """
    labels = labels_for(locale)
    outer = {labels["quote_open"]: "‘", labels["quote_close"]: "’"}
    inner = "".join(outer.get(character, character) for character in text)
    return f"{labels['quote_open']}{inner}{labels['quote_close']}"


def name_list(names: Sequence[str], locale: str, *, limit: int = 4) -> str:
    """ "A, B og C"; beyond `limit` names, "A, B, C og 7 andre".

    Names that hold commas or the word "og" themselves ("Stavanger kommune, Helse og velferd")
    are separated by semicolons, so the reader sees where one ends.
    """
    labels = labels_for(locale)
    names = list(names)
    rest = ""
    if len(names) > limit:
        rest = labels["and_others"].format(count=len(names) - (limit - 1))
        names = names[: limit - 1]
    conjunction = f" {labels['and']} "
    if any("," in name or conjunction in f" {name} " for name in names):
        return "; ".join(names) + (f";{conjunction}{rest}" if rest else "")
    if rest:
        return f"{', '.join(names)}{conjunction}{rest}"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])}{conjunction}{names[-1]}"


def resubmission_reason(flag: object, locale: str) -> str:
    """Why two respondents may be one body answering twice, in the reader's language.

    Reads the reasons as data when the flag carries them (`reasons`, each a `kind` with its
    `params`, as `synthesis.resubmissions` gives them), and otherwise the detector's older
    English sentence, so a page never shows `same leading name "stavanger kommune"` to a
    Norwegian reader.
    """
    reasons = getattr(flag, "reasons", None)
    if reasons:
        return "; ".join(_reason_text(reason, locale) for reason in reasons)
    text = str(getattr(flag, "reason", "") or "")
    return "; ".join(_legacy_reason_text(part.strip(), locale) for part in text.split("; "))


def _reason_text(reason: object, locale: str) -> str:
    """A reason given as data: a `kind` (or `code`) and its `params` (or attributes)."""
    if isinstance(reason, str):
        return _legacy_reason_text(reason, locale)
    kind = str(getattr(reason, "kind", "") or getattr(reason, "code", ""))
    params = getattr(reason, "params", None)
    if not isinstance(params, Mapping):
        params = {
            name: getattr(reason, name)
            for name in ("name", "question", "category", "other_category")
            if getattr(reason, name, None) is not None
        }
    template = labels_for(locale).get(f"reason_{kind}")
    if template is None:
        return kind.replace("_", " ")
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return kind.replace("_", " ")


_LEGACY_REASONS = (
    (re.compile(r'same leading name "(?P<name>.*)"$'), "same_body"),
    (re.compile(r"same words in the name$"), "same_name_words"),
    (
        re.compile(r'identical answer to question (?P<question>\S+) from "(?P<category>.*)" '
                   r'and "(?P<other_category>.*)"$'),
        "identical_answer",
    ),
)  # fmt: skip


def _legacy_reason_text(text: str, locale: str) -> str:
    for pattern, code in _LEGACY_REASONS:
        match = pattern.match(text)
        if match:
            return labels_for(locale)[f"reason_{code}"].format(**match.groupdict())
    return text
