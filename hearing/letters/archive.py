"""Look inside a DOCX or ODT letter's zip archive before any parser unpacks it.

Both formats are zip archives, and a zip says what it holds before it is unpacked: its members'
names, flags and sizes. So a file is refused here, cheaply, when it is no letter (neither
`word/document.xml` nor the ODT `mimetype`), when it carries macros (a .docm renamed .docx, an
ODT with Basic or script libraries), when its members are encrypted, when it is odd (thousands
of members, one name twice, a compression zipfile cannot undo) or when it unpacks to far more
than a letter needs, or packs tighter than documents do (a zip bomb). Python's zipfile never
inflates a member beyond the size its directory declares, so the declared sizes bound the
work the parsers do afterwards.
"""

from __future__ import annotations

import io
import re
import zipfile

from hearing.imports.limits import Deadline, ImportLimits, LimitExceeded
from hearing.letters.letter import LetterKind, LetterRejected

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN_PART = "word/document.xml"
# A letter written in Word has some twenty members, one in LibreOffice ten, plus its pictures.
MAX_MEMBERS = 1000
# Documents' XML packs some 5:1 to 20:1 and their pictures hardly at all; 100:1 is a bomb.
MAX_PACKING_RATIO = 100
_RATIO_APPLIES_ABOVE = 1024 * 1024
_SMALL_PART = 64 * 1024  # `mimetype` and `[Content_Types].xml` are read whole: a few KB at most
_MACRO_MEMBERS = ("vbaproject.bin", "vbadata.xml")
_MACRO_FOLDERS = ("basic/", "scripts/")
_SUPPORTED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
# Elements the parsers may build. python-docx (lxml) reads 600,000 of them in some 5 seconds
# and 200 MB, odfpy (a Python object each) 200,000 in 15 seconds and 250 MB, before a letter's
# reader can look at the clock; a hundred pages of a real letter have some 100,000 (Word) or
# 30,000 (ODT). Counting start tags costs a fraction of a second for the largest archive.
MAX_ELEMENTS = {LetterKind.DOCX: 600_000, LetterKind.ODT: 150_000}
_START_TAG = re.compile(rb"<[A-Za-z_]")
_CHUNK = 1024 * 1024
_MEGABYTE = 1024 * 1024


def open_archive(data: bytes) -> zipfile.ZipFile:
    """The zip archive in `data`; a damaged one is refused."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise LetterRejected("letter_damaged", detail=str(error)) from error


def archive_kind(archive: zipfile.ZipFile) -> LetterKind | None:
    """ODT when the `mimetype` member says so, DOCX when the archive has Word's main part."""
    names = set(archive.namelist())
    if "mimetype" in names:
        info = archive.getinfo("mimetype")
        if info.file_size <= _SMALL_PART and _read(archive, info).strip() == ODT_MIMETYPE:
            return LetterKind.ODT
    if DOCX_MAIN_PART in names:
        return LetterKind.DOCX
    return None


def check_archive(
    archive: zipfile.ZipFile, kind: LetterKind, limits: ImportLimits, deadline: Deadline
) -> None:
    """Refuse an archive that is odd, encrypted, carries macros, unpacks too far or holds
    more markup than its parser can read in time."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise LetterRejected("letter_odd_archive", detail=f"{len(members)} members")
    names = [info.filename for info in members]
    if len(set(names)) != len(names):
        raise LetterRejected("letter_odd_archive", detail="a member name twice")
    if any(info.flag_bits & 0x1 for info in members):
        raise LetterRejected("letter_encrypted")
    if any(info.compress_type not in _SUPPORTED_COMPRESSION for info in members):
        raise LetterRejected("letter_odd_archive", detail="unusual compression")
    unpacked = sum(info.file_size for info in members)
    packed = max(1, sum(info.compress_size for info in members))
    if unpacked > limits.max_unpacked_bytes or (
        unpacked > _RATIO_APPLIES_ABOVE and unpacked / packed > MAX_PACKING_RATIO
    ):
        raise LetterRejected(
            "letter_unpacks_too_far",
            limit=f"{limits.max_unpacked_bytes / _MEGABYTE:.0f}",
            ratio=MAX_PACKING_RATIO,
        )
    if _has_macros(archive, names):
        raise LetterRejected("letter_macros")
    _count_elements(archive, MAX_ELEMENTS[kind], deadline)


def _count_elements(archive: zipfile.ZipFile, limit: int, deadline: Deadline) -> None:
    """Refuse the archive when its XML parts hold more than `limit` elements."""
    count = 0
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(info) as part:
                carry = b""
                while chunk := part.read(_CHUNK):
                    deadline.check()
                    data = carry + chunk
                    count += len(_START_TAG.findall(data, 0, len(data) - 1))
                    carry = data[-1:]
        except LimitExceeded:
            raise
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            raise LetterRejected("letter_damaged", detail=str(error)) from error
        if count > limit:
            raise LetterRejected("letter_too_much_markup", limit=limit)


def _has_macros(archive: zipfile.ZipFile, names: list[str]) -> bool:
    lowered = [name.lower() for name in names]
    if any(name.rsplit("/", 1)[-1] in _MACRO_MEMBERS for name in lowered):
        return True
    if any(name.startswith(_MACRO_FOLDERS) and not name.endswith("/") for name in lowered):
        return True
    if "[Content_Types].xml" in names:
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > _SMALL_PART:
            raise LetterRejected("letter_odd_archive", detail="[Content_Types].xml too large")
        return b"macroenabled" in _read(archive, info).lower()
    return False


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise LetterRejected("letter_damaged", detail=str(error)) from error
