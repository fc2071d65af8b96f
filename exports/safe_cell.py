"""Keep respondent text from ever becoming a spreadsheet formula (CSV / formula injection).

Anyone can answer a public consultation, so a comment such as `=HYPERLINK("http://x","y")` or
`=cmd|' /C calc'!A0` must reach the analyst as the literal text, not as something Excel runs.
Following OWASP's CSV-injection guidance, a value is dangerous when it starts with `=`, `+`,
`-`, `@`, a tab or a carriage return:

- CSV has no types, so a dangerous value gets a leading single quote (`'`), which spreadsheet
  programs show but never evaluate. This is lossy by design: a CSV reader sees the quote.
- XLSX has types, so the value is written unchanged as a string cell (`data_type = "s"`).
  openpyxl would otherwise store any string starting with `=` as a formula (and "#N/A" as an
  error). The text survives a round trip exactly, which lets an importer read the workbook back.
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
# Excel refuses longer cell text; keeping the file openable beats keeping a 40,000-character essay.
XLSX_MAX_TEXT = 32_767


def is_formula_like(value: str) -> bool:
    """True when a spreadsheet program could read `value` as a formula."""
    return value.startswith(FORMULA_TRIGGERS)


def csv_safe(value: object) -> str:
    """The value as CSV text, quote-prefixed when it could be read as a formula."""
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if is_formula_like(text) else text


def strip_control_characters(value: str) -> str:
    """The text without the control characters XML cannot hold (Excel and Word refuse them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def xlsx_text(value: str) -> str:
    """Text that openpyxl accepts: control characters removed, length capped."""
    return strip_control_characters(value)[:XLSX_MAX_TEXT]


def text_cell(worksheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A write-only cell that holds `value` as text whatever it looks like."""
    return set_text(WriteOnlyCell(worksheet), value)


def set_text(cell: WriteOnlyCell, value: str) -> WriteOnlyCell:
    """Put `value` into `cell` as text (never a formula or an error value); returns the cell."""
    cell.value = xlsx_text(value)
    cell.data_type = "s"
    return cell


def xlsx_value(worksheet: WriteOnlyWorksheet, value: object) -> object:
    """A value ready for `worksheet.append`: text openpyxl would reinterpret becomes a text cell.

    Plain values pass through untouched (the fast path for the 600,000-row long sheet); only
    text that openpyxl would turn into a formula or an error value gets an explicit cell.
    """
    if not isinstance(value, str):
        return value
    text = xlsx_text(value)
    if text.startswith("=") or text in ERROR_CODES:
        return text_cell(worksheet, text)
    return text
