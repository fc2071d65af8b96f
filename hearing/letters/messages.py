"""What reading a letter tells the secretariat, in bokmål or English.

`LetterRejected` codes say why a file is not taken as a letter; the notes of an
`ExtractedLetter` say what to check in one that is. The reader runs outside Flask (CLI, worker,
tests), so it reports codes and this module words them, as `hearing.imports.messages` does for
the other imports.
"""

from __future__ import annotations

from collections.abc import Mapping

from hearing.imports.messages import worded

_KINDS_NB = "PDF, Word (.docx) eller OpenDocument (.odt)"
_KINDS_EN = "PDF, Word (.docx) or OpenDocument (.odt)"

MESSAGES: dict[str, dict[str, str]] = {
    "nb": {
        "letter_empty": "Filen er tom.",
        "letter_too_large": (
            "Filen er {size} MB; grensen for ett brev er {limit} MB. Lagre brevet på nytt med "
            "mindre bilder, eller del det opp."
        ),
        "letter_unknown_kind": (
            f"Filen er ikke et brev som kan leses: den er verken {_KINDS_NB}, uansett hva "
            "filnavnet sier. Lagre brevet i et av disse formatene."
        ),
        "letter_old_office": (
            "Filen er i et eldre Office-format (.doc) som ikke kan leses. Åpne den i Word eller "
            f"LibreOffice og lagre den som {_KINDS_NB}."
        ),
        "letter_encrypted": (
            "Filen er beskyttet med passord, så teksten kan ikke leses. Be avsenderen om en "
            "utgave uten passord, eller lagre den på nytt uten passord."
        ),
        "letter_macros": (
            "Filen inneholder makroer og blir ikke lest. Lagre brevet på nytt som vanlig "
            f"dokument uten makroer ({_KINDS_NB})."
        ),
        "letter_odd_archive": (
            "Filen ser ut som et Word- eller OpenDocument-dokument, men er satt sammen på en "
            "uvanlig måte ({detail}), så den blir ikke lest. Lagre den på nytt eller som PDF."
        ),
        "letter_unpacks_too_far": (
            "Dokumentet blir for stort når det pakkes ut (grensen er {limit} MB, og høyst "
            "{ratio} ganger filens størrelse), så det blir ikke lest. Lagre det på nytt som PDF."
        ),
        "letter_too_much_markup": (
            "Dokumentet har mer enn {limit} elementer (avsnitt, tekstbiter, formatering), som er "
            "mer enn et brev kan leses med innen tidsgrensen. Lagre det som PDF, eller del det opp."
        ),
        "letter_damaged": (
            "Filen er skadet og kan ikke leses ({detail}). Be om en ny kopi, eller lagre den "
            "på nytt."
        ),
        "pdf_too_many_pages": (
            "PDF-filen har {pages} sider; grensen for ett brev er {limit}. Del den opp."
        ),
        "pdf_too_much_content": (
            "PDF-filen har mer sideinnhold enn grensen ({size} MB å lese; grensen er "
            "{limit} MB). Lagre den på nytt, eller del den opp."
        ),
        "pdf_content_reused": (
            "PDF-filen bruker det samme sideinnholdet om igjen så mange ganger at det blir "
            "{size} MB å lese, mer enn {ratio} ganger filens størrelse, så den blir ikke lest. "
            "Lagre den på nytt som PDF."
        ),
        "too_much_text": "Brevet har mer enn {limit} tegn tekst, som er grensen. Del det opp.",
        "too_slow": (
            "Det tok mer enn {seconds} sekunder å lese brevet, som er grensen, så det blir "
            "ikke lest. Del det opp, eller lagre det på nytt."
        ),
        "no_text": "Brevet har ingen tekst. Skriv inn eller lim inn teksten.",
        "ocr_used": (
            "Noen sider er skannede bilder og er lest med tekstgjenkjenning. Kontroller teksten "
            "mot brevet; gjenkjenningen kan ta feil."
        ),
        "ocr_unavailable": (
            "Noen sider er skannede bilder, og tekstgjenkjenning (Tesseract med norsk) er ikke "
            "installert. Skriv inn eller lim inn teksten fra disse sidene."
        ),
        "ocr_skipped": (
            "Noen sider er skannede bilder som ikke ble lest med tekstgjenkjenning da filen ble "
            "lastet opp. Les filen på nytt med tekstgjenkjenning, eller skriv inn teksten fra "
            "disse sidene."
        ),
        "ocr_partial": (
            "Brevet har flere skannede sider enn tekstgjenkjenningen leser for ett brev; "
            "resten er ikke lest. Skriv inn eller lim inn teksten fra disse sidene."
        ),
        "ocr_failed": (
            "Tekstgjenkjenningen klarte ikke å lese en skannet side (for stor, tok for lang "
            "tid eller ukjent bildeformat). Skriv inn eller lim inn teksten fra den."
        ),
        "page_unreadable": (
            "En side i PDF-filen er skadet og kunne ikke leses. Skriv inn eller lim inn teksten "
            "fra den."
        ),
    },
    "en": {
        "letter_empty": "The file is empty.",
        "letter_too_large": (
            "The file is {size} MB; the limit for one letter is {limit} MB. Save the letter "
            "again with smaller pictures, or split it."
        ),
        "letter_unknown_kind": (
            f"The file is not a letter that can be read: it is none of {_KINDS_EN}, whatever "
            "its name says. Save the letter in one of these formats."
        ),
        "letter_old_office": (
            "The file is in an older Office format (.doc) that cannot be read. Open it in Word "
            f"or LibreOffice and save it as {_KINDS_EN}."
        ),
        "letter_encrypted": (
            "The file is protected by a password, so its text cannot be read. Ask the sender "
            "for a copy without a password, or save it again without one."
        ),
        "letter_macros": (
            "The file contains macros and is not read. Save the letter again as a plain "
            f"document without macros ({_KINDS_EN})."
        ),
        "letter_odd_archive": (
            "The file looks like a Word or OpenDocument document but is put together in an "
            "unusual way ({detail}), so it is not read. Save it again, or as PDF."
        ),
        "letter_unpacks_too_far": (
            "The document grows too large when unpacked (the limit is {limit} MB, and at most "
            "{ratio} times the file's size), so it is not read. Save it again as PDF."
        ),
        "letter_too_much_markup": (
            "The document has more than {limit} elements (paragraphs, runs of text, formatting), "
            "more than a letter can be read with within the time limit. Save it as PDF, or "
            "split it."
        ),
        "letter_damaged": (
            "The file is damaged and cannot be read ({detail}). Ask for a new copy, or save it "
            "again."
        ),
        "pdf_too_many_pages": (
            "The PDF file has {pages} pages; the limit for one letter is {limit}. Split it."
        ),
        "pdf_too_much_content": (
            "The PDF file has more page content than the limit ({size} MB to read; the limit "
            "is {limit} MB). Save it again, or split it."
        ),
        "pdf_content_reused": (
            "The PDF file reuses the same page content so many times that it comes to "
            "{size} MB to read, more than {ratio} times the file's size, so it is not read. "
            "Save it again as PDF."
        ),
        "too_much_text": (
            "The letter has more than {limit} characters of text, the limit. Split it."
        ),
        "too_slow": (
            "Reading the letter took more than {seconds} seconds, the limit, so it is not "
            "read. Split it, or save it again."
        ),
        "no_text": "The letter has no text. Type or paste its text.",
        "ocr_used": (
            "Some pages are scanned pictures and were read by text recognition. Check the text "
            "against the letter; recognition can be wrong."
        ),
        "ocr_unavailable": (
            "Some pages are scanned pictures, and text recognition (Tesseract with Norwegian) "
            "is not installed. Type or paste the text of these pages."
        ),
        "ocr_skipped": (
            "Some pages are scanned pictures that were not read by text recognition when the "
            "file was uploaded. Read the file again with text recognition, or type the text of "
            "these pages."
        ),
        "ocr_partial": (
            "The letter has more scanned pages than text recognition reads for one letter; "
            "the rest were not read. Type or paste the text of these pages."
        ),
        "ocr_failed": (
            "Text recognition could not read a scanned page (too large, too slow, or an "
            "unknown picture format). Type or paste its text."
        ),
        "page_unreadable": (
            "A page of the PDF file is damaged and could not be read. Type or paste its text."
        ),
    },
}


def message(code: str, locale: str, params: Mapping[str, object] | None = None) -> str:
    """The message for `code` in `locale` (bokmål when the locale has no catalogue)."""
    return worded(MESSAGES, code, locale, params)
