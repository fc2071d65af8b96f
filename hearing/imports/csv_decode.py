"""Bytes of a CSV file to text, whatever encoding the spreadsheet program chose.

Files reach the secretariat from Excel (UTF-8 with a byte-order mark, Windows-1252, or
"Unicode text": UTF-16 with a mark), from LibreOffice and scripts (UTF-8), now and then in
UTF-32 or UTF-16 without a mark, and sometimes pasted together from two of these. So:

- a byte-order mark decides (UTF-8, UTF-16 or UTF-32, big or little end), and a file that
  does not keep to it (a last byte cut off, half a surrogate pair) is refused with a message
  naming the encoding and the place, never decoded into a crash;
- without a mark, UTF-16 is recognised by its zero bytes in every other place;
- otherwise the text is UTF-8, and any byte that is not valid UTF-8 is read as Windows-1252,
  character by character, so a file of both keeps its "æøå" in each part;
- a NUL character left after decoding is refused: no spreadsheet writes one into a CSV file,
  and PostgreSQL cannot store it.
"""

from __future__ import annotations

import codecs

from hearing.imports.format_error import LongFormatError

_BYTE_ORDER_MARKS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 before UTF-16: the little-endian UTF-32 mark begins with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_SAMPLE = 4096
_WINDOWS_1252_FALLBACK = "hearing-windows-1252-fallback"


def _windows_1252(error: UnicodeError) -> tuple[str, int]:
    """Read the bytes UTF-8 could not as Windows-1252 (its five undefined bytes as U+FFFD)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error(_WINDOWS_1252_FALLBACK, _windows_1252)


def decode_csv(data: bytes) -> str:
    """The text of a CSV file; raises `LongFormatError` ("encoding_truncated",
    "encoding_invalid", "nul_character")."""
    for mark, codec, name in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            if codec == "utf-8":
                text = data[len(mark) :].decode(codec, errors=_WINDOWS_1252_FALLBACK)
            else:
                text = _strict(data, len(mark), codec, name)
            break
    else:
        codec = _utf16_without_mark(data)
        if codec is not None:
            text = _strict(data, 0, codec, "UTF-16")
        else:
            text = data.decode("utf-8", errors=_WINDOWS_1252_FALLBACK)
    nul = text.find("\x00")
    if nul >= 0:
        raise LongFormatError("nul_character", line=text.count("\n", 0, nul) + 1)
    return text


def _strict(data: bytes, start: int, codec: str, name: str) -> str:
    """`data` from `start` in `codec`, or a message saying where it stops being that."""
    body = data[start:]
    try:
        return body.decode(codec)
    except UnicodeDecodeError as error:
        line = body[: error.start].decode(codec).count("\n") + 1
        where = {"encoding": name, "position": start + error.start + 1, "line": line}
        truncated = error.end >= len(body)
        code = "encoding_truncated" if truncated else "encoding_invalid"
        raise LongFormatError(code, **where) from error


def is_unicode_text(data: bytes) -> bool:
    """Whether `data` begins with a byte-order mark or reads as UTF-16 without one: text,
    although it holds zero bytes."""
    marked = data.startswith(tuple(mark for mark, _, _ in _BYTE_ORDER_MARKS))
    return marked or _utf16_without_mark(data) is not None


def _utf16_without_mark(data: bytes) -> str | None:
    """ "utf-16-le" or "-be" when, in the first few kilobytes, nearly every other byte is zero
    (text in a Latin script) and the bytes between are not; else None."""
    sample = data[:_SAMPLE]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_zeros = sample[0 : 2 * pairs : 2].count(0)
    odd_zeros = sample[1 : 2 * pairs : 2].count(0)
    if odd_zeros > 0.9 * pairs and even_zeros < 0.1 * pairs:
        return "utf-16-le"
    if even_zeros > 0.9 * pairs and odd_zeros < 0.1 * pairs:
        return "utf-16-be"
    return None
