"""The long format as CSV: UTF-8 with a byte-order mark so Excel opens Norwegian letters right.

Excel in a Norwegian locale expects `;` as the separator (the comma is the decimal mark there),
so `delimiter` is an option; "," suits every other tool. Respondent text that could be taken for
a formula is quote-prefixed (see `safe_cell`), and dates are ISO 8601.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import BinaryIO, Literal

from exports.long_format import long_columns, long_rows
from exports.safe_cell import csv_safe
from exports.summary import CompiledSummary

UTF8_BOM = "\ufeff"


def write_csv(
    summary: CompiledSummary, stream: BinaryIO, *, delimiter: Literal[";", ","] = ";"
) -> None:
    """Write the long format of `summary` to a binary `stream`."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        text.write(UTF8_BOM)
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(long_columns(summary))
        writer.writerows([_cell(value) for value in row] for row in long_rows(summary))
    finally:
        text.detach()


def csv_bytes(summary: CompiledSummary, *, delimiter: Literal[";", ","] = ";") -> bytes:
    """The CSV file as bytes, for a download response."""
    buffer = io.BytesIO()
    write_csv(summary, buffer, delimiter=delimiter)
    return buffer.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return csv_safe(value)
