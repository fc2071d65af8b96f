"""What the importers tell the secretariat about a file, in bokmål or English.

The readers and validators run outside Flask (CLI, benchmark, tests), so they report problems as
codes with parameters and this module words them, like `exports.labels` does for the writers.
"""

from __future__ import annotations

from collections.abc import Mapping

MESSAGES: dict[str, dict[str, str]] = {
    "nb": {
        "missing_respondent": "Mangler navn på respondenten.",
        "missing_category": "Mangler kategori.",
        "unknown_category": "Høringen har ikke kategorien «{value}».",
        "ambiguous_category": "Kategorien «{value}» finnes i flere sektorer; oppgi sektor.",
        "category_needs_sector": "Kategorien «{value}» er ny; oppgi sektoren.",
        "bad_sector": "Ukjent sektor «{value}» (bruk Offentlig, Privat eller Enkeltperson).",
        "missing_question": "Mangler spørsmålsnummer.",
        "unknown_question": "Høringen har ikke spørsmål «{value}».",
        "bad_value": (
            "«{value}» er verken et punkt på skalaen ({choices}) eller et tall fra 1 til {count}."
        ),
        "value_not_allowed": "Spørsmål {code} har ikke skala, men raden har verdien «{value}».",
        "text_not_allowed": "Spørsmål {code} tar ikke imot fritekst.",
        "text_too_long": "Teksten har {length} tegn; høyst {limit} er tillatt.",
        "duplicate_answer": "Respondenten har allerede svart på spørsmål {code} i rad {first}.",
        "bad_email": "«{value}» er ikke en e-postadresse.",
        "bad_date": "«{value}» er ikke et tidspunkt (bruk f.eks. 2024-03-01 14:30).",
        "bad_consent": "Ukjent samtykke «{value}» (bruk navngitt, anonym eller ingen).",
        "empty_file": "Filen er tom.",
        "no_rows": (
            "Filen har bare overskriftsraden og ingen svar, så det er ingenting å importere. "
            "Legg til én rad per respondent og spørsmål under overskriften."
        ),
        "not_xlsx": "Filen er ikke en gyldig Excel-fil (.xlsx).",
        "bad_xlsx": "Excel-filen kan ikke leses: {detail}",
        "xlsx_too_large": (
            "Excel-filen blir for stor når den pakkes ut (grensen er {limit} MB, og høyst "
            "{ratio} ganger filens størrelse), så den blir ikke lest. "
            "Del den opp, eller lagre den som CSV."
        ),
        "bad_csv": "CSV-filen kan ikke leses: {detail}",
        "encoding_truncated": (
            "Filen er merket som {encoding}, men slutter midt i et tegn (byte {position}), "
            "så den er trolig avkortet. Lagre den på nytt som «CSV UTF-8» og last den opp igjen."
        ),
        "encoding_invalid": (
            "Filen er merket som {encoding}, men har et ugyldig tegn på linje {line} "
            "(byte {position}). Lagre den på nytt som «CSV UTF-8» og last den opp igjen."
        ),
        "nul_character": (
            "Filen har et NUL-tegn på linje {line}; det har ingen CSV-fil. Er det riktig fil? "
            "Lagre den på nytt som «CSV UTF-8» og last den opp igjen."
        ),
        "csv_field_too_long": (
            "Et felt som slutter på linje {line}, er lengre enn {limit} tegn. Ofte mangler et "
            'avsluttende anførselstegn (") tidligere i filen.'
        ),
        "too_many_rows": (
            "Filen har mer enn {limit} rader med svar, som er grensen for én import. "
            "Del den opp i flere filer."
        ),
        "too_many_columns": (
            "Filen har mer enn {limit} kolonner i en rad, som er grensen for én import. Langt "
            "format trenger bare kolonnene respondent, kategori, sektor, spørsmål, verdi og "
            "tekst, og noen valgfrie; slett de andre, eller lagre filen som CSV."
        ),
        "too_many_cells": (
            "Excel-filen har mer enn {limit} celler i ett ark (tomme celler med formatering "
            "teller også), som er grensen for én import. Slett ubrukte celler, del filen opp, "
            "eller lagre den som CSV."
        ),
        "too_slow": (
            "Filen tok mer enn {seconds} sekunder å lese, som er grensen for én import, så "
            "ingenting er importert. Del den opp i mindre filer."
        ),
        "pdf_too_many_pages": (
            "PDF-filen har {pages} sider; grensen for én import er {limit}. Del dokumentet "
            "opp, eller last det opp som tekst (.txt)."
        ),
        "pdf_too_much_content": (
            "PDF-filen har mer sideinnhold enn grensen for én import ({size} MB å lese; "
            "grensen er {limit} MB). Del dokumentet opp, eller last det opp som tekst (.txt)."
        ),
        "pdf_content_reused": (
            "PDF-filen bruker det samme sideinnholdet om igjen så mange ganger at det blir "
            "{size} MB å lese, mer enn {ratio} ganger filens størrelse, så den blir ikke lest. "
            "Lagre dokumentet på nytt som PDF, eller last det opp som tekst (.txt)."
        ),
        "too_much_text": (
            "Dokumentet har mer enn {limit} tegn tekst, som er grensen for én import. Del det opp."
        ),
        "missing_columns": "Filen mangler kolonnene: {columns}.",
        "unknown_scale": (
            "Skalaen kan ikke gjenkjennes fra verdiene ({labels}); oppgi den med --scale."
        ),
        "row": "Rad {row}",
        "column": "kolonne «{column}»",
        "private_one": "{count} privatperson",
        "private_many": "{count} privatpersoner",
        "organisation_one": "{count} organisasjon",
        "organisation_many": "{count} organisasjoner",
        "respondent_one": "{count} respondent",
        "respondent_many": "{count} respondenter",
        "consent_default_no_column": (
            "Filen har ingen samtykke-kolonne: {private} importeres anonymt, "
            "{organisations} med navn."
        ),
        "consent_default_blank_cells": (
            "{respondents} har ikke oppgitt samtykke i filen: {private} importeres anonymt, "
            "{organisations} med navn."
        ),
        "consent_default_document": (
            "Dokumentet oppgir ikke samtykke: {private} importeres anonymt, "
            "{organisations} med navn."
        ),
        "consent_chosen": (
            "Valgt for hele filen: {respondents} uten samtykke i filen ({private}, "
            "{organisations}) importeres {how}."
        ),
        "consent_how_named": "med navn",
        "consent_how_anonymous": "anonymt",
        "consent_how_none": "uten å bli publisert",
        "consent_stated": "{respondents} har oppgitt samtykke i filen, og det brukes.",
        "consent_stated_kept": (
            "{respondents} har oppgitt samtykke i filen; det beholdes, for valget for hele "
            "filen gjelder bare dem som ikke har oppgitt noe."
        ),
        "consent_outcome": (
            "Til publisering: {named} med navn, {anonymous} anonymt, {none} skal ikke publiseres."
        ),
        "consent_hint_cli": "Velg samtykke for hele filen med --consent named|anonymous|none.",
    },
    "en": {
        "missing_respondent": "The respondent's name is missing.",
        "missing_category": "The category is missing.",
        "unknown_category": "The consultation has no category “{value}”.",
        "ambiguous_category": "The category “{value}” exists in several sectors; give the sector.",
        "category_needs_sector": "The category “{value}” is new; give its sector.",
        "bad_sector": "Unknown sector “{value}” (use Public, Private or Individual).",
        "missing_question": "The question number is missing.",
        "unknown_question": "The consultation has no question “{value}”.",
        "bad_value": (
            "“{value}” is neither a scale point ({choices}) nor a number from 1 to {count}."
        ),
        "value_not_allowed": "Question {code} has no scale, but the row has the value “{value}”.",
        "text_not_allowed": "Question {code} does not take free text.",
        "text_too_long": "The text has {length} characters; at most {limit} are allowed.",
        "duplicate_answer": "The respondent already answered question {code} in row {first}.",
        "bad_email": "“{value}” is not an e-mail address.",
        "bad_date": "“{value}” is not a date and time (use e.g. 2024-03-01 14:30).",
        "bad_consent": "Unknown consent “{value}” (use named, anonymous or none).",
        "empty_file": "The file is empty.",
        "no_rows": (
            "The file has only the header row and no responses, so there is nothing to import. "
            "Add one row per respondent and question below the header."
        ),
        "not_xlsx": "The file is not a valid Excel file (.xlsx).",
        "bad_xlsx": "The Excel file cannot be read: {detail}",
        "xlsx_too_large": (
            "The Excel file grows too large when unpacked (the limit is {limit} MB, and at "
            "most {ratio} times the file's size), so it is not read. "
            "Split it, or save it as CSV."
        ),
        "bad_csv": "The CSV file cannot be read: {detail}",
        "encoding_truncated": (
            "The file is marked as {encoding} but ends in the middle of a character "
            "(byte {position}), so it is probably cut short. Save it again as “CSV UTF-8” and "
            "upload it again."
        ),
        "encoding_invalid": (
            "The file is marked as {encoding} but has an invalid character on line {line} "
            "(byte {position}). Save it again as “CSV UTF-8” and upload it again."
        ),
        "nul_character": (
            "The file has a NUL character on line {line}, which no CSV file has. Is it the "
            "right file? Save it again as “CSV UTF-8” and upload it again."
        ),
        "csv_field_too_long": (
            "A field ending on line {line} is longer than {limit} characters. Often a closing "
            'quotation mark (") is missing earlier in the file.'
        ),
        "too_many_rows": (
            "The file has more than {limit} rows of responses, the limit for one import. "
            "Split it into several files."
        ),
        "too_many_columns": (
            "The file has more than {limit} columns in a row, the limit for one import. The "
            "long format needs only the columns respondent, category, sector, question, value "
            "and text, and a few optional ones; delete the others, or save the file as CSV."
        ),
        "too_many_cells": (
            "The Excel file has more than {limit} cells in one sheet (empty cells with "
            "formatting count too), the limit for one import. Delete unused cells, split the "
            "file, or save it as CSV."
        ),
        "too_slow": (
            "Reading the file took more than {seconds} seconds, the limit for one import, so "
            "nothing was imported. Split it into smaller files."
        ),
        "pdf_too_many_pages": (
            "The PDF file has {pages} pages; the limit for one import is {limit}. Split the "
            "document, or upload it as text (.txt)."
        ),
        "pdf_too_much_content": (
            "The PDF file has more page content than the limit for one import ({size} MB to "
            "read; the limit is {limit} MB). Split the document, or upload it as text (.txt)."
        ),
        "pdf_content_reused": (
            "The PDF file reuses the same page content so many times that it comes to "
            "{size} MB to read, more than {ratio} times the file's size, so it is not read. "
            "Save the document as PDF again, or upload it as text (.txt)."
        ),
        "too_much_text": (
            "The document has more than {limit} characters of text, the limit for one "
            "import. Split it."
        ),
        "missing_columns": "The file lacks the columns: {columns}.",
        "unknown_scale": (
            "The scale cannot be recognised from the values ({labels}); give it with --scale."
        ),
        "row": "Row {row}",
        "column": "column “{column}”",
        "private_one": "{count} private person",
        "private_many": "{count} private persons",
        "organisation_one": "{count} organisation",
        "organisation_many": "{count} organisations",
        "respondent_one": "{count} respondent",
        "respondent_many": "{count} respondents",
        "consent_default_no_column": (
            "The file has no consent column, so {private} will be imported anonymously and "
            "{organisations} with their names."
        ),
        "consent_default_blank_cells": (
            "The file states no consent for {respondents}, so {private} will be imported "
            "anonymously and {organisations} with their names."
        ),
        "consent_default_document": (
            "The document states no consent, so {private} will be imported anonymously and "
            "{organisations} with their names."
        ),
        "consent_chosen": (
            "Chosen for the whole file: {respondents} without a consent in the file "
            "({private}, {organisations}) will be imported {how}."
        ),
        "consent_how_named": "with their names",
        "consent_how_anonymous": "anonymously",
        "consent_how_none": "without being published",
        "consent_stated": "The file states a consent for {respondents}, and it is used.",
        "consent_stated_kept": (
            "The file states a consent for {respondents}; it is kept, as the choice for the "
            "whole file applies only to those without one."
        ),
        "consent_outcome": (
            "For publication: {named} with names, {anonymous} anonymously, "
            "{none} not to be published."
        ),
        "consent_hint_cli": (
            "Choose a consent for the whole file with --consent named|anonymous|none."
        ),
    },
}


def worded(
    catalogues: Mapping[str, Mapping[str, str]],
    code: str,
    locale: str,
    params: Mapping[str, object] | None = None,
) -> str:
    """`code` worded from `catalogues` in `locale` (bokmål when the locale has no catalogue);
    the letter reader's messages are worded the same way from catalogues of their own."""
    catalogue = catalogues.get(locale, catalogues["nb"])
    return catalogue[code].format(**(params or {}))


def message(code: str, locale: str, params: Mapping[str, object] | None = None) -> str:
    """The message for `code` in `locale` (bokmål when the locale has no catalogue)."""
    return worded(MESSAGES, code, locale, params)
