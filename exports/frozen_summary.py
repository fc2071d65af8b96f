"""A compiled summary frozen to bytes and thawed back: the content of a published edition.

A publication must not change when the live data does, so what it shows is kept exactly as it
was built: the whole `CompiledSummary` (rows, tables, themes, names as displayed), encoded with
the same type-driven codec as the synthesis results and compressed. Every public file and page
of that edition is rendered from the thawed object, so the page, the four downloads and
`hearing export --audience public` cannot tell different stories.
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime

from exports.summary import CompiledSummary, ExportedRespondent
from synthesis.result_codec import ResultCodec

FORMAT = 1


def _codec() -> ResultCodec:
    from synthesis.opinion_groups import DistinguishingPosition

    return ResultCodec(
        names={
            "DistinguishingPosition": DistinguishingPosition,
            "ExportedRespondent": ExportedRespondent,
        },
        codecs={datetime: (datetime.isoformat, datetime.fromisoformat)},
    )


def freeze(summary: CompiledSummary) -> bytes:
    """`summary` as compressed JSON."""
    document = {"format": FORMAT, "summary": _codec().encode(summary)}
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 6)


def thaw(content: bytes) -> CompiledSummary:
    """The summary `freeze` made; ValueError for bytes of another format."""
    document = json.loads(zlib.decompress(content))
    if document.get("format") != FORMAT:
        raise ValueError(f"frozen summary has format {document.get('format')}, not {FORMAT}")
    summary: CompiledSummary = _codec().decode(CompiledSummary, document["summary"])
    return summary
