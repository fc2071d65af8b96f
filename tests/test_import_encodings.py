"""CSV files in every encoding a spreadsheet program writes, and damaged ones: read, or refused
with a message, never a crash (a UTF-16 file cut one byte short, or holding half a surrogate
pair, used to be a 500 on the upload page and a traceback on the command line)."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from hearing.imports.limits import LimitExceeded
from hearing.imports.long_format import LongFormatError, read_long_file
from hearing.imports.messages import message
from tests.test_import_long_format import ROWS, csv_bytes
from tests.test_upload_limits import NEW, RESPONSES, assert_refused, form_errors, upload

TEXT = csv_bytes(ROWS).decode("utf-8")
UTF16 = codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")
TRUNCATED = UTF16[:-1]
# A high surrogate with no low one after it, in the middle of the last line.
LONE_SURROGATE = UTF16[:-8] + b"\x00\xd8" + UTF16[-6:]


@pytest.fixture()
def instance(app: Flask, tmp_path: Path) -> Path:
    app.instance_path = str(tmp_path)
    return tmp_path


def _refusal(data: bytes) -> LongFormatError:
    with pytest.raises(LongFormatError) as caught:
        read_long_file(data, "svar.csv")
    return caught.value


def _names(data: bytes) -> list[str]:
    return [raw.text("respondent") for raw in read_long_file(data, "svar.csv").rows]


def test_a_utf16_file_cut_short_is_refused_with_a_message() -> None:
    refused = _refusal(TRUNCATED)
    assert refused.code == "encoding_truncated"
    assert refused.params["encoding"] == "UTF-16"
    assert message(refused.code, "nb", refused.params).startswith(
        "Filen er merket som UTF-16, men slutter midt i et tegn"
    )


def test_a_lone_surrogate_is_refused_with_its_line() -> None:
    refused = _refusal(LONE_SURROGATE)
    assert (refused.code, refused.params["line"]) == ("encoding_invalid", len(ROWS) + 1)
    assert "has an invalid character on line 7" in message(refused.code, "en", refused.params)


@pytest.mark.parametrize("damaged", [TRUNCATED, LONE_SURROGATE], ids=["truncated", "surrogate"])
def test_the_upload_page_says_so_in_both_languages(
    admin_client: FlaskClient, instance: Path, damaged: bytes
) -> None:
    response = upload(admin_client, RESPONSES, damaged, "svar.csv", **NEW)
    assert_refused(response, admin_client, instance, "Filen er merket som UTF-16")
    admin_client.get("/language/en")
    response = upload(admin_client, RESPONSES, damaged, "svar.csv", **NEW)
    assert any("The file is marked as UTF-16" in error for error in form_errors(response))


def test_the_command_line_says_so(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "svar.csv"
    path.write_bytes(TRUNCATED)
    result = runner.invoke(args=["import-responses", str(path), "--slug", "ny", "--create"])
    assert result.exit_code == 1
    assert "Filen er merket som UTF-16, men slutter midt i et tegn" in result.output
    assert "Traceback" not in result.output


ENCODINGS = {
    "utf-32 le, marked": codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
    "utf-32 be, marked": codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
    "utf-16 be, marked": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    "utf-16 le, unmarked": TEXT.encode("utf-16-le"),
    "utf-16 be, unmarked": TEXT.encode("utf-16-be"),
}


@pytest.mark.parametrize("data", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_unicode_files_with_and_without_a_mark_are_read(data: bytes) -> None:
    assert _names(data) == [row[0] for row in ROWS]


def test_an_unmarked_utf16_file_is_accepted_by_the_upload_page(
    admin_client: FlaskClient, instance: Path
) -> None:
    response = upload(admin_client, RESPONSES, ENCODINGS["utf-16 le, unmarked"], "s.csv", **NEW)
    assert "Ingenting er lagret ennå." in response.get_data(as_text=True), form_errors(response)


def test_a_file_of_utf8_and_windows_1252_keeps_both() -> None:
    """Two files pasted together: each line keeps its letters, none turns into "Ã¦"."""
    first = csv_bytes(ROWS[:3])
    second = "\r\n" + ";".join(["Foreningen Æ", "Annet", "Privat", "1", "Helt enig", "Søt"])
    mixed = first + second.encode("cp1252")
    for data in (mixed, codecs.BOM_UTF8 + mixed):
        table = read_long_file(data, "svar.csv")
        assert table.rows[0].text("respondent") == "Bærum kommune"
        assert table.rows[1].text("text") == "Mer å gjøre – også for æøå"
        assert (table.rows[-1].text("respondent"), table.rows[-1].text("text")) == (
            "Foreningen Æ",
            "Søt",
        )


def test_a_nul_character_is_refused_with_its_line() -> None:
    data = csv_bytes(ROWS).replace(b"Foreningen X", b"Forenin\x00gen X", 1)
    refused = _refusal(data)
    assert (refused.code, refused.params) == ("nul_character", {"line": 5})
    assert message(refused.code, "nb", refused.params).startswith(
        "Filen har et NUL-tegn på linje 5"
    )


def test_an_unclosed_quotation_mark_is_explained() -> None:
    data = csv_bytes(ROWS) + b'\r\nKari;Privatperson;Enkeltperson;3;;"' + b"lang tekst " * 20_000
    refused = _refusal(data)
    assert refused.code == "csv_field_too_long"
    assert "anførselstegn" in message(refused.code, "nb", refused.params)


def test_damaged_bytes_give_a_table_or_a_message_never_a_crash() -> None:
    """Every file made by damaging a few bytes of a good one, in every encoding above, is
    either read (into text a database can store) or refused with a message."""
    chooser = random.Random(11)
    samples = [csv_bytes(ROWS), UTF16, *ENCODINGS.values()]
    for _ in range(400):
        data = bytearray(chooser.choice(samples))
        for _ in range(chooser.randint(1, 4)):
            position = chooser.randrange(len(data))
            action = chooser.random()
            if action < 0.4:
                data[position] = chooser.randrange(256)
            elif action < 0.7:
                del data[position]
            else:
                data[position:position] = bytes([chooser.choice((0, 0xD8, 0xDC, 0xFF, 0xFE))])
        try:
            table = read_long_file(bytes(data), "svar.csv")
        except (LongFormatError, LimitExceeded) as refused:
            assert message(refused.code, "en", refused.params)
            continue
        for raw in table.rows:
            for cell in raw.values:
                str(cell).encode("utf-8")  # no lone surrogate
                assert "\x00" not in str(cell)
