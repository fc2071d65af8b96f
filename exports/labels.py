"""Every human-readable string the export writers print, one small dict per locale.

Writers look strings up here instead of hard-coding them so that a Bokmål and an English
workbook come from the same code. Column names of the long ("tidy") format are deliberately
*not* here: they are a machine contract (DESIGN.md) and stay the same in every locale.
"""

from __future__ import annotations

from collections.abc import Mapping

from exports.number_words import not_answered_line
from synthesis.snapshot import Sector

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
        "answered": "Har svart",
        "not_answered": "Har ikke svart",
        "sheet_overview": "Oversikt",
        "sheet_positions": "Standpunkter",
        "sheet_themes": "Temaer",
        "sheet_duplicates": "Duplikater",
        "sheet_long": "Svar (langt format)",
        "consultation": "Høring",
        "opens_at": "Åpnet",
        "closes_at": "Frist",
        "respondents": "Antall svar",
        "respondents_by_category": "Svar per kategori",
        "respondents_by_sector": "Svar per sektor",
        "answers_per_question": "Svar per spørsmål",
        "unpublished": "Svar som ikke skal publiseres",
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
        "exported_at": "Eksportert",
        "counts_by_category": "Antall per kategori",
        "counts_by_sector": "Antall per sektor",
        "percent_by_category": "Prosent per kategori",
        "percent_by_sector": "Prosent per sektor",
        "theme": "Tema",
        "keywords": "Nøkkelord",
        "size": "Størrelse",
        "share_by_category": "Andel per kategori",
        "quotes": "Sitater",
        "group": "Gruppe",
        "kind": "Type",
        "members": "Medlemmer",
        "template": "Felles tekst",
        "additions": "Tillegg",
        "sector_public": "Offentlig",
        "sector_private": "Privat",
        "sector_individual": "Enkeltperson",
        "uncategorised": "Uten kategori",
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
        "answered": "Answered",
        "not_answered": "Not answered",
        "sheet_overview": "Overview",
        "sheet_positions": "Positions",
        "sheet_themes": "Themes",
        "sheet_duplicates": "Duplicates",
        "sheet_long": "Responses (long format)",
        "consultation": "Consultation",
        "opens_at": "Opened",
        "closes_at": "Deadline",
        "respondents": "Responses",
        "respondents_by_category": "Responses by category",
        "respondents_by_sector": "Responses by sector",
        "answers_per_question": "Answers per question",
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
        "exported_at": "Exported",
        "counts_by_category": "Counts by category",
        "counts_by_sector": "Counts by sector",
        "percent_by_category": "Percent by category",
        "percent_by_sector": "Percent by sector",
        "theme": "Theme",
        "keywords": "Keywords",
        "size": "Size",
        "share_by_category": "Share by category",
        "quotes": "Quotes",
        "group": "Group",
        "kind": "Kind",
        "members": "Members",
        "template": "Shared text",
        "additions": "Additions",
        "sector_public": "Public",
        "sector_private": "Private",
        "sector_individual": "Individual",
        "uncategorised": "Uncategorised",
    },
}


def labels_for(locale: str) -> Mapping[str, str]:
    """The strings for `locale`; Bokmål (the product's home language) when not translated."""
    return LABELS.get(locale, LABELS["nb"])


def sector_label(sector: Sector | None, locale: str) -> str:
    """The printed sector name, e.g. "Offentlig" or "Public"; empty when the sector is unknown."""
    return labels_for(locale)[f"sector_{sector.value}"] if sector is not None else ""


def not_answered_sentence(count: int, locale: str) -> str:
    """The closing line of each question ("Sju andre instanser … har ikke svart …")."""
    if locale == "en":
        return (
            f"{count_word_en(count)} other respondents to this consultation "
            "did not answer this question."
        )
    return not_answered_line(count)


_EN_WORDS = (
    "None", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    "Eleven", "Twelve",
)  # fmt: skip


def count_word_en(count: int) -> str:
    """English counterpart of `count_word`: words up to twelve, digits from 13."""
    return _EN_WORDS[count] if 0 <= count < len(_EN_WORDS) else str(count)
