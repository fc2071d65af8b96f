"""A compiled summary frozen to bytes and thawed back: the content of a published edition.

A publication must not change when the live data does, so what it shows is kept exactly as it
was built: the whole `CompiledSummary` (rows, tables, themes, names as displayed), encoded with
the same type-driven codec as the synthesis results and compressed. Every public file and page
of that edition is rendered from the thawed object, so the page, the four downloads and
`hearing export --audience public` cannot tell different stories.

Format 2 carries each row's whole `Answer` (format 1 spelled out a scale label, a comment, an
index and "don't know"); editions frozen in format 1 are read by turning their rows into the
same shape, so an edition published before stays online unchanged.
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime
from typing import Any

from exports.summary import CompiledSummary, ExportedRespondent
from synthesis.question_kinds import QuestionKind
from synthesis.result_codec import ResultCodec

FORMAT = 2


def _codec() -> ResultCodec:
    from synthesis.opinion_groups import DistinguishingPosition

    return ResultCodec(
        names={
            "DistinguishingPosition": DistinguishingPosition,
            "ExportedRespondent": ExportedRespondent,
        },
        codecs={
            datetime: (datetime.isoformat, datetime.fromisoformat),
            QuestionKind: (str, QuestionKind),
        },
    )


def freeze(summary: CompiledSummary) -> bytes:
    """`summary` as compressed JSON."""
    document = {"format": FORMAT, "summary": _codec().encode(summary)}
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 6)


def thaw(content: bytes) -> CompiledSummary:
    """The summary `freeze` made; ValueError for bytes of another format."""
    document = json.loads(zlib.decompress(content))
    if document.get("format") == 1:
        _rows_of_format_1(document["summary"])
    elif document.get("format") != FORMAT:
        raise ValueError(f"frozen summary has format {document.get('format')}, not {FORMAT}")
    summary: CompiledSummary = _codec().decode(CompiledSummary, document["summary"])
    return summary


def _rows_of_format_1(summary: dict[str, Any]) -> None:
    """Rewrite format 1's rows, in place, as format 2 writes them (only scale and text
    questions existed then, so the scale label was both the label and the cell)."""
    for question in summary["questions"]:
        for group in question["groups"]:
            group["rows"] = [
                {
                    "respondent": row["respondent"],
                    "answer": {
                        "question_code": question["code"],
                        "value": row["value_index"],
                        "dont_know": row["dont_know"],
                        "text": row["comment"] or None,
                    },
                    "label": row["scale_label"],
                    "cell": row["scale_label"],
                }
                for row in group["rows"]
            ]
