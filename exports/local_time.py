"""The consultation's clock: Europe/Oslo, the time a Norwegian reader means by "23:59".

Times are stored in UTC (naive ones are UTC too); what a person reads in an export — a
deadline, an opening time, when the file was made — is shown in Norwegian time and labelled
so, in the workbook and the Word report alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def in_oslo(value: datetime) -> datetime:
    """`value` as an aware time in Europe/Oslo."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(OSLO)
