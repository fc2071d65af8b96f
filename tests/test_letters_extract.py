"""Reading letters: PDF, DOCX and ODT by their content, scans through Tesseract, and every
file that is no letter, or costs too much, refused fast with a code the secretariat reads."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest
from pypdf import PdfWriter

from hearing.imports.limits import ImportLimits
from hearing.letters import ocr
from hearing.letters.extract import (
    ExtractedLetter,
    LetterKind,
    LetterRejected,
    extract_letter,
    ocr_available,
    sniff_kind,
)
from hearing.letters.messages import MESSAGES, message
from tests.letters_support import (
    NKVTS_ON_GOALS,
    NKVTS_ON_MEASURES,
    docx_bytes,
    font_path,
    mixed_pdf_bytes,
    odt_bytes,
    scanned_pdf_bytes,
    text_pdf_bytes,
)

needs_tesseract = pytest.mark.skipif(
    not ocr_available() or font_path() is None,
    reason="needs Tesseract with Norwegian (apt-get install tesseract-ocr tesseract-ocr-nor) "
    "and a TrueType font with æøå (DejaVu or Liberation) to draw the scanned page",
)


def rejected(data: bytes, limits: ImportLimits | None = None) -> LetterRejected:
    with pytest.raises(LetterRejected) as caught:
        extract_letter(data, limits)
    return caught.value


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- Word -------------------------------------------------------------------------------


def test_docx_keeps_letterhead_headings_lists_tables_and_footer_in_order():
    data = docx_bytes(
        [
            ("Title", "Høringssvar fra NKVTS"),
            "Vi viser til høringsbrevet og gir våre innspill nedenfor.",
            ("Heading 1", "Til punkt 2"),
            NKVTS_ON_GOALS,
            ("List Number", "Kunnskapsbasert praksis"),
            ("List Number", "Implementeringsledelse"),
            ("List Bullet", "Veiledningsgrupper"),
        ],
        header="Nasjonalt kunnskapssenter om vold og traumatisk stress",
        footer="Org.nr. 974 760 673",
        table=[["Spørsmål 3", NKVTS_ON_MEASURES]],
    )
    letter = extract_letter(data)
    assert letter == ExtractedLetter(
        kind=LetterKind.DOCX,
        text="\n\n".join(
            [
                "Nasjonalt kunnskapssenter om vold og traumatisk stress",
                "Høringssvar fra NKVTS",
                "Vi viser til høringsbrevet og gir våre innspill nedenfor.",
                "Til punkt 2",
                NKVTS_ON_GOALS,
                "1. Kunnskapsbasert praksis",
                "2. Implementeringsledelse",
                "- Veiledningsgrupper",
                "Spørsmål 3",
                NKVTS_ON_MEASURES,
                "Org.nr. 974 760 673",
            ]
        ),
        pages=1,
        needs_text=False,
        ocr_pages=0,
        notes=(),
    )


def test_docx_line_breaks_stay_and_deleted_tracked_changes_go():
    import docx

    document = docx.Document()
    signature = document.add_paragraph("Med vennlig hilsen")
    signature.add_run().add_break()
    signature.add_run("Kari Nordmann")
    kept = document.add_paragraph("Vi støtter forslaget")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    from docx.oxml import parse_xml

    kept._p.append(
        parse_xml(
            f'<w:del xmlns:w="{w[1:-1]}" w:id="1" w:author="A"><w:r><w:delText>'
            " ikke</w:delText></w:r></w:del>"
        )
    )
    kept.add_run(" fullt ut.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert extract_letter(buffer.getvalue()).text == (
        "Med vennlig hilsen\nKari Nordmann\n\nVi støtter forslaget fullt ut."
    )


def test_empty_docx_is_kept_but_needs_text():
    letter = extract_letter(docx_bytes([]))
    assert (letter.text, letter.needs_text, letter.notes) == ("", True, ("no_text",))


# --- OpenDocument ----------------------------------------------------------------------


def test_odt_reads_headings_paragraphs_lists_tables_and_header_but_not_comments():
    data = odt_bytes(
        [
            ("h", "Høyringsfråsegn frå Statped"),
            ("p", "Vi viser til høyringa.\nMed helsing"),
            ("h", "Til spørsmål 4"),
            ("p", "Vi meiner  rapporten er god."),
            ("ol", ["Kunnskap", "Samordning"]),
            ("ul", ["Brukarmedverknad"]),
            ("table", [["Spørsmål 2", "Måla bør vere konkrete."]]),
        ],
        header="Statped",
        annotate="Intern merknad: sjekk dette",
    )
    assert sniff_kind(data) is LetterKind.ODT
    letter = extract_letter(data)
    assert letter.kind is LetterKind.ODT
    assert letter.text == "\n\n".join(
        [
            "Statped",
            "Høyringsfråsegn frå Statped",
            "Vi viser til høyringa.\nMed helsing",
            "Til spørsmål 4",
            "Vi meiner rapporten er god.",
            "1. Kunnskap",
            "2. Samordning",
            "- Brukarmedverknad",
            "Spørsmål 2",
            "Måla bør vere konkrete.",
        ]
    )
    assert "Intern merknad" not in letter.text


def test_odt_chapter_numbers_are_written_before_headings():
    from odf.opendocument import OpenDocumentText
    from odf.text import H, OutlineLevelStyle, OutlineStyle, P

    document = OpenDocumentText()
    outline = OutlineStyle(name="Outline")
    outline.addElement(OutlineLevelStyle(level=1, numformat="1", numsuffix="."))
    outline.addElement(OutlineLevelStyle(level=2, numformat="a", numsuffix=")", displaylevels=2))
    document.styles.addElement(outline)
    for title in ("Beskrivelse og vurdering av nåsituasjon", "Målsettinger"):
        document.text.addElement(H(outlinelevel=1, text=title))
        document.text.addElement(P(text="Tekst."))
    document.text.addElement(H(outlinelevel=2, text="Konkrete mål"))
    buffer = io.BytesIO()
    document.save(buffer)
    assert extract_letter(buffer.getvalue()).text.split("\n\n") == [
        "1. Beskrivelse og vurdering av nåsituasjon",
        "Tekst.",
        "2. Målsettinger",
        "Tekst.",
        "2.a) Konkrete mål",
    ]


def test_a_zip_is_odt_only_when_its_mimetype_member_says_so():
    odt = members_of(odt_bytes([("p", "Tekst")]))
    spreadsheet = {**odt, "mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}
    assert sniff_kind(zipped(spreadsheet)) is None
    assert rejected(zipped(spreadsheet)).code == "letter_unknown_kind"


# --- PDF with text ---------------------------------------------------------------------


def test_text_pdf_keeps_paragraphs_and_short_lines_and_counts_pages():
    data = text_pdf_bytes(
        [
            ["Bydel Stovner\nPostboks 94 Stovner\n0913 Oslo", "Høringsuttalelse", NKVTS_ON_GOALS],
            ["Til punkt 3", NKVTS_ON_MEASURES, "Side 2 av 2"],
        ]
    )
    assert sniff_kind(data) is LetterKind.PDF
    letter = extract_letter(data)
    assert (letter.kind, letter.pages, letter.needs_text, letter.ocr_pages) == (
        LetterKind.PDF,
        2,
        False,
        0,
    )
    assert letter.text.split("\n\n") == [
        "Bydel Stovner\nPostboks 94 Stovner\n0913 Oslo",
        "Høringsuttalelse",
        NKVTS_ON_GOALS,
        "Til punkt 3",
        NKVTS_ON_MEASURES,
    ]


def test_pdf_encrypted_with_a_password_is_refused_but_one_only_owner_locked_is_read():
    for user_password, readable in (("hemmelig", False), ("", True)):
        writer = PdfWriter(clone_from=io.BytesIO(text_pdf_bytes([["Høringssvar fra Bufdir"]])))
        writer.encrypt(user_password=user_password, owner_password="eier", algorithm="RC4-128")
        buffer = io.BytesIO()
        writer.write(buffer)
        if readable:
            assert extract_letter(buffer.getvalue()).text == "Høringssvar fra Bufdir"
        else:
            assert rejected(buffer.getvalue()).code == "letter_encrypted"


def test_pdf_over_the_page_limit_is_refused_before_any_page_is_read():
    writer = PdfWriter()
    for _ in range(30):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    error = rejected(buffer.getvalue(), ImportLimits(max_pdf_pages=20))
    assert (error.code, error.params) == ("pdf_too_many_pages", {"pages": 30, "limit": 20})
    assert "30" in message(error.code, "nb", error.params)


def test_pdf_over_the_content_limit_is_refused():
    data = text_pdf_bytes([[NKVTS_ON_GOALS * 20]])
    assert rejected(data, ImportLimits(max_pdf_content_bytes=1000)).code == "pdf_too_much_content"


# --- Scanned pages ---------------------------------------------------------------------

SCANNED_LETTER = [
    "Bydel Stovner",
    "",
    "Høringsuttalelse om ledelse for kunnskapsbasert praksis",
    "",
    "Til punkt 2",
    "Vi støtter målene, men kvalitetsmåling bør tones ned.",
    "",
    "Med vennlig hilsen",
    "Ola Nordmann",
]


@needs_tesseract
def test_scanned_pdf_is_read_by_text_recognition():
    letter = extract_letter(scanned_pdf_bytes([SCANNED_LETTER]))
    assert (letter.pages, letter.ocr_pages, letter.needs_text) == (1, 1, False)
    assert letter.notes == ("ocr_used",)
    words = letter.text.lower()
    for word in ("høringsuttalelse", "stovner", "kunnskapsbasert", "punkt 2", "nordmann"):
        assert word in words


def test_without_tesseract_a_scan_is_kept_with_its_typed_pages_and_needs_text(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without tesseract
    assert shutil.which("tesseract") is None and not ocr_available()
    letter = extract_letter(mixed_pdf_bytes(["Høringssvar fra Blå Kors"], SCANNED_LETTER))
    assert letter.text == "Høringssvar fra Blå Kors"
    assert (letter.pages, letter.ocr_pages, letter.needs_text) == (2, 0, True)
    assert letter.notes == ("ocr_unavailable",)


def fake_recognition(monkeypatch, read):
    """Tesseract replaced by `read` (a function of the picture and the seconds given)."""
    monkeypatch.setattr(ocr, "ocr_available", lambda: True)
    monkeypatch.setattr(ocr, "read_picture", lambda picture, seconds, dpi=None: read(seconds))


def test_ocr_reads_no_more_pages_than_its_budget(monkeypatch):
    fake_recognition(monkeypatch, lambda seconds: "Lest side")
    data = scanned_pdf_bytes([["a"], ["b"], ["c"]], dpi=100)
    letter = extract_letter(data, ImportLimits(max_ocr_pages=2))
    assert (letter.pages, letter.ocr_pages, letter.needs_text) == (3, 2, True)
    assert letter.text == "Lest side\n\nLest side"
    assert letter.notes == ("ocr_partial", "ocr_used")


def test_without_an_ocr_budget_scans_are_left_for_later(monkeypatch):
    fake_recognition(monkeypatch, lambda seconds: pytest.fail("must not be read"))
    letter = extract_letter(scanned_pdf_bytes([["a"]], dpi=100), ImportLimits(max_ocr_pages=0))
    assert (letter.needs_text, letter.ocr_pages, letter.notes) == (True, 0, ("ocr_skipped",))


def test_ocr_gives_each_page_its_seconds_and_a_failure_loses_only_that_page(monkeypatch):
    given = []

    def read(seconds):
        given.append(seconds)
        if len(given) == 1:
            raise ocr.OcrFailed("tesseract took too long")
        return "Andre side"

    fake_recognition(monkeypatch, read)
    data = scanned_pdf_bytes([["a"], ["b"]], dpi=100)
    letter = extract_letter(data, ImportLimits(max_ocr_page_seconds=7))
    assert all(0 < seconds <= 7 for seconds in given) and len(given) == 2
    assert (letter.text, letter.ocr_pages, letter.needs_text) == ("Andre side", 1, True)
    assert letter.notes == ("ocr_failed", "ocr_used")


@needs_tesseract
def test_tesseract_is_stopped_at_the_page_time_limit():
    limits = ImportLimits(max_ocr_page_seconds=0.001)
    letter = extract_letter(scanned_pdf_bytes([SCANNED_LETTER]), limits)
    assert (letter.ocr_pages, letter.needs_text, letter.notes) == (0, True, ("ocr_failed",))


def test_a_page_sized_picture_is_measured_before_it_is_decoded(monkeypatch):
    from hearing.letters import pdf_letter

    fake_recognition(monkeypatch, lambda seconds: pytest.fail("must not be read"))
    monkeypatch.setattr(pdf_letter, "MAX_SCAN_PIXELS", 1000)
    letter = extract_letter(scanned_pdf_bytes([["a"]], dpi=100))
    assert (letter.needs_text, letter.notes) == (True, ("ocr_failed",))


# --- Files that are no letter ----------------------------------------------------------


def test_kind_is_told_by_content_never_by_name():
    program = b"MZ\x90\x00\x03" + b"\x00" * 100 + b"This program cannot be run in DOS mode"
    archive = zipped({"readme.txt": b"not a letter", "setup.exe": program})
    for data in (program, archive, b"Bare tekst, ikke et brev", b"{\\rtf1 Brev}"):
        assert sniff_kind(data) is None
        assert rejected(data).code == "letter_unknown_kind"
    assert sniff_kind(docx_bytes(["Brev"])) is LetterKind.DOCX
    assert sniff_kind(text_pdf_bytes([["Brev"]])) is LetterKind.PDF


def test_old_word_and_password_protected_word_files_are_named_as_such():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert rejected(ole + b"WordDocument").code == "letter_old_office"
    assert rejected(ole + "EncryptedPackage".encode("utf-16-le")).code == "letter_encrypted"


def test_zip_bomb_docx_is_refused_before_it_is_unpacked():
    members = members_of(docx_bytes(["Brev"]))
    document = members["word/document.xml"]
    padding = b" " * (8 * 1024 * 1024)
    members["word/document.xml"] = document.replace(b"<w:body>", b"<w:body>" + padding, 1)
    bomb = zipped(members)
    assert len(bomb) < 100 * 1024
    error = rejected(bomb)
    assert error.code == "letter_unpacks_too_far"
    assert "MB" in message(error.code, "en", error.params)


def test_docx_over_the_unpacked_limit_is_refused():
    data = docx_bytes(["Brev"])
    assert rejected(data, ImportLimits(max_unpacked_bytes=10_000)).code == "letter_unpacks_too_far"


def test_more_markup_than_a_parser_reads_in_time_is_refused_before_parsing(monkeypatch):
    from hearing.letters import archive

    for kind, data in (
        (LetterKind.DOCX, docx_bytes(["Brev"] * 100)),
        (LetterKind.ODT, odt_bytes([("p", "Brev")] * 100)),
    ):
        monkeypatch.setitem(archive.MAX_ELEMENTS, kind, 80)
        error = rejected(data)
        assert (error.code, error.params) == ("letter_too_much_markup", {"limit": 80})


def test_macros_are_refused_in_word_and_odt():
    docm = members_of(docx_bytes(["Brev"]))
    docm["word/vbaProject.bin"] = b"\x00" * 100
    assert rejected(zipped(docm)).code == "letter_macros"
    content_types = members_of(docx_bytes(["Brev"]))
    content_types["[Content_Types].xml"] = content_types["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml",
        b"ms-word.document.macroEnabled.main+xml",
    )
    assert rejected(zipped(content_types)).code == "letter_macros"
    odt = members_of(odt_bytes([("p", "Brev")]))
    odt["Basic/Standard/Module1.xml"] = b"<module/>"
    assert rejected(zipped(odt, zipfile.ZIP_STORED)).code == "letter_macros"


def test_encrypted_zip_members_are_refused():
    data = bytearray(docx_bytes(["Brev"]))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + flag_offset] |= 0x01
            start += 4
    assert rejected(bytes(data)).code == "letter_encrypted"


def test_damaged_files_are_refused_as_damaged():
    assert rejected(b"PK\x03\x04" + b"\x00" * 200).code == "letter_damaged"
    assert rejected(text_pdf_bytes([["Brev"]])[:300]).code == "letter_damaged"
    broken = members_of(docx_bytes(["Brev"]))
    broken["word/document.xml"] = b"<w:document><w:body>"
    error = rejected(zipped(broken))
    assert error.code == "letter_damaged" and error.params["detail"]


def test_empty_and_oversized_files_are_refused():
    assert rejected(b"").code == "letter_empty"
    error = rejected(docx_bytes(["Brev"]), ImportLimits(max_letter_bytes=1000))
    assert error.code == "letter_too_large"
    assert error.params["limit"] == "0"


def test_text_and_time_limits_apply_to_every_kind():
    long_text = ImportLimits(max_text_chars=500)
    for data in (
        docx_bytes([NKVTS_ON_GOALS] * 3),
        odt_bytes([("p", NKVTS_ON_GOALS)] * 3),
        text_pdf_bytes([[NKVTS_ON_GOALS] * 3]),
    ):
        assert rejected(data, long_text).code == "too_much_text"
        assert rejected(data, ImportLimits(max_seconds=-1)).code == "too_slow"


def test_every_code_is_worded_in_bokmal_and_english():
    assert MESSAGES["nb"].keys() == MESSAGES["en"].keys()
    params = {"size": "3.0", "limit": "2", "ratio": 100, "detail": "x", "pages": 3}
    params |= {"seconds": "1"}
    for code in MESSAGES["nb"]:
        assert message(code, "nb", params) != message(code, "en", params)
    assert message("letter_empty", "de") == MESSAGES["nb"]["letter_empty"]
