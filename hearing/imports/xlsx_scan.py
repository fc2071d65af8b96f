"""Count the rows and cells of every part of a workbook before openpyxl parses any of it.

openpyxl builds each worksheet row as a tree of XML elements, every cell in it, before it
hands the row over; and when a sheet declares no dimension it parses the whole sheet once
more just to look for one. So a workbook within the unpacked-size limit could still hold a
row of millions of cells (gigabytes of elements) or a sheet of millions of rows. Counting
the opening tags of rows and cells with a regular expression costs a small fraction of
parsing them, and refuses such a file before any of that work starts.

Every part is counted, not only the sheet the importer will read: which part is which sheet
is only known once openpyxl has parsed the workbook, and parts without rows count nothing.
Markup is what is counted: XML text cannot hold a bare "<", so a cell's text never counts.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import IO

from hearing.imports.limits import Deadline, ImportLimits, LimitExceeded

# "<row " and "<c " (or "<x:row", "<x:c" with a namespace prefix), not "<rowBreaks", "<cols".
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CHUNK = 1024 * 1024
# A chunk is cut before its last "<" when that is this close to its end, so a tag split across
# two chunks is counted in the second. A name so long that its tag still straddles the cut is
# missed once per chunk, and costs its writer far more bytes than it could hide cells.
_LONGEST_TAG_START = 256


class _PartCount:
    """Rows and cells of one part so far; a row counts once it has a cell."""

    def __init__(self, limits: ImportLimits) -> None:
        self.limits = limits
        self.rows = 0
        self.cells = 0
        self.in_row = 0

    def add_cells(self, count: int) -> None:
        self.in_row += count
        self.cells += count
        if self.in_row > self.limits.max_columns:
            raise LimitExceeded("too_many_columns", limit=self.limits.max_columns)
        if self.cells > self.limits.max_cells:
            raise LimitExceeded("too_many_cells", limit=self.limits.max_cells)

    def end_row(self) -> None:
        if self.in_row:
            self.rows += 1
            # The header is a row too.
            if self.rows > self.limits.max_rows + 1:
                raise LimitExceeded("too_many_rows", limit=self.limits.max_rows)
        self.in_row = 0

    def scan(self, body: bytes) -> None:
        """Count the markup in `body`, which ends before a tag, never inside one."""
        starts = [match.start() for match in _ROW.finditer(body)]
        ends = [*starts[1:], len(body)]
        self.add_cells(len(_CELL.findall(body, 0, starts[0] if starts else len(body))))
        for start, end in zip(starts, ends[: len(starts)], strict=True):
            self.end_row()
            self.add_cells(len(_CELL.findall(body, start, end)))


def check_workbook_cells(data: bytes, limits: ImportLimits, deadline: Deadline) -> None:
    """Raise `LimitExceeded` when any part of the workbook has too many rows, cells, or cells
    in one row. A damaged archive raises what zipfile and zlib raise; the caller words it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.is_dir():
                with archive.open(info) as part:
                    _scan_part(part, limits, deadline)


def _scan_part(part: IO[bytes], limits: ImportLimits, deadline: Deadline) -> None:
    count = _PartCount(limits)
    carry = b""
    while chunk := part.read(_CHUNK):
        deadline.check()
        data = carry + chunk
        cut = data.rfind(b"<", max(0, len(data) - _LONGEST_TAG_START))
        cut = len(data) if cut < 0 else cut
        count.scan(data[:cut])
        carry = data[cut:]
    count.scan(carry)
    count.end_row()
