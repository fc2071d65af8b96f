"""Dates as Norwegian letters write them: "12. mars 2026", "12.03.2026", "2026-03-12"."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "januar": 1, "jan": 1, "january": 1,
    "februar": 2, "feb": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "desember": 12, "des": 12, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE = re.compile(
    rf"(?<![\d.])(?P<day>\d{{1,2}})\.?\s*(?P<month_name>{_MONTH})\.?,?\s+(?P<year>\d{{4}})(?!\d)"
    rf"|(?P<month_first>{_MONTH})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{{4}})(?!\d)"
    r"|(?<![\d.])(?P<day3>\d{1,2})[./](?P<month3>\d{1,2})[./](?P<year3>\d{4}|\d{2})(?![\d.]\d)"
    r"|(?<![\d.-])(?P<year4>\d{4})-(?P<month4>\d{2})-(?P<day4>\d{2})(?![\d])",
    re.IGNORECASE,
)
_EARLIEST_YEAR = 1990
_LATEST_YEAR = 2100


def dates_in(line: str) -> list[tuple[int, date]]:
    """The real dates written in `line`, with where each starts."""
    found = []
    for match in DATE.finditer(line):
        value = _date(match)
        if value is not None:
            found.append((match.start(), value))
    return found


def _date(match: re.Match[str]) -> date | None:
    if match["month_name"]:
        day, month, year = match["day"], MONTHS[match["month_name"].lower()], match["year"]
    elif match["month_first"]:
        day, month, year = match["day2"], MONTHS[match["month_first"].lower()], match["year2"]
    elif match["day3"]:
        day, month, year = match["day3"], int(match["month3"]), match["year3"]
        if len(year) == 2:
            year = f"20{year}"
    else:
        day, month, year = match["day4"], int(match["month4"]), match["year4"]
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if _EARLIEST_YEAR <= value.year <= _LATEST_YEAR else None
