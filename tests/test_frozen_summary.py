"""A published edition's summary survives freezing: thawed, it writes the same bytes."""

from __future__ import annotations

import io

import pytest

from exports.csv_writer import write_csv
from exports.frozen_summary import freeze, thaw
from exports.json_writer import write_json
from tests.exports_sample import summary_of


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_thawed_summary_equals_the_frozen_one(audience):
    summary = summary_of(audience)
    thawed = thaw(freeze(summary))
    assert thawed == summary
    for write in (write_json, write_csv):
        before, after = io.BytesIO(), io.BytesIO()
        write(summary, before)
        write(thawed, after)
        assert after.getvalue() == before.getvalue()


def test_bytes_of_another_format_are_refused():
    import json
    import zlib

    with pytest.raises(ValueError):
        thaw(zlib.compress(json.dumps({"format": 0, "summary": {}}).encode()))
