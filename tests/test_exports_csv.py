"""The long format as CSV: BOM, separators, typed values as text, formula injection defused."""

from __future__ import annotations

import csv
import io

import pytest

from exports.csv_writer import csv_bytes
from exports.long_format import long_columns, long_rows
from exports.safe_cell import csv_safe, is_formula_like
from tests.exports_sample import INJECTION_PAYLOADS, injection_snapshot, summary_of


def read(payload: bytes, delimiter: str) -> list[list[str]]:
    assert payload.startswith(b"\xef\xbb\xbf")
    return list(
        csv.reader(io.StringIO(payload.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    )


@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_holds_the_long_format(delimiter):
    summary = summary_of("public")
    rows = read(csv_bytes(summary, delimiter=delimiter), delimiter)

    assert tuple(rows[0]) == long_columns(summary)
    assert len(rows) - 1 == sum(q.answered for q in summary.questions)
    assert rows[1] == [
        "NTNU", "Universitet / Høgskole (Offentlig)", "public", "1", "Hverken eller", "", "",
        "2025-01-05T09:30:00+00:00", "named",
    ]  # fmt: skip
    assert rows[7][:5] == ["Privatperson 1", "Privatperson (Enkeltperson)", "individual", "1.a", ""]


def test_public_csv_has_no_email_column_or_unpublished_names():
    text = csv_bytes(summary_of("public")).decode("utf-8-sig")
    assert "email" not in text.splitlines()[0]
    for secret in ("Kari Nordmann", "Ola Hansen", "Per Skjult", "@"):
        assert secret not in text


def test_internal_csv_has_emails():
    rows = read(csv_bytes(summary_of("internal")), ";")
    email_at = rows[0].index("email")
    assert "post@ntnu.example" in {row[email_at] for row in rows[1:]}


def test_injection_payloads_are_quote_prefixed():
    summary = summary_of("public", snapshot=injection_snapshot(), synthesis=None)
    rows = read(csv_bytes(summary), ";")

    names = [row[0] for row in rows[1:]]
    texts = [row[5] for row in rows[1:]]
    assert names == ["'" + payload for payload in INJECTION_PAYLOADS[:-1]] + ["#N/A"]
    for name, text in zip(names, texts, strict=True):
        assert not is_formula_like(name) and not is_formula_like(text)
    assert texts[0] == "'=cmd|' /C calc'!A0"
    assert texts[6] == '\'=HYPERLINK("http://x","y")'
    # Every exported row is one CSV record, even with a carriage return in a name.
    assert len(rows) - 1 == len(list(long_rows(summary)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("Helt enig", "Helt enig"),
        (None, ""),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected
