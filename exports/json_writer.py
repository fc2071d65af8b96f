"""The compiled summary as JSON, for other tools and for archiving a published summary.

The document follows `exports/summary.schema.json` (JSON Schema 2020-12), which is the contract:
respondents are listed once and referenced everywhere else by their export id ("r1", …), so a
public file never needs the internal key or an e-mail address to tie answers, themes and groups
together. Times are ISO 8601 strings.
"""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from exports.summary import CompiledSummary, ExportedRespondent, QuestionSummary, SummaryRow
from exports.theme_stances import ThemeStance, ThemeStances
from synthesis.tabulation import PositionCounts

SCHEMA_PATH = Path(__file__).with_name("summary.schema.json")
SCHEMA_VERSION = "1"


def summary_document(summary: CompiledSummary) -> dict[str, Any]:
    """The summary as plain JSON-ready data, in the shape of the schema."""
    overview, provenance = summary.overview, summary.overview.provenance
    per_category = dict((info.label, count) for info, count in overview.by_category)
    stances = ThemeStances(summary)
    return {
        "schema_version": SCHEMA_VERSION,
        "audience": summary.audience,
        "locale": summary.locale,
        "consultation": {
            "slug": overview.slug,
            "title": overview.title,
            "summary": overview.summary,
            "opens_at": _time(overview.opens_at),
            "closes_at": _time(overview.closes_at),
        },
        "provenance": {
            "run_id": provenance.run_id,
            "parameters": {str(k): _plain(v) for k, v in provenance.parameters.items()},
            "software_version": provenance.software_version,
            "exported_at": _time(provenance.exported_at),
        },
        "overview": {
            "edition_note": overview.edition_note,
            "respondent_count": overview.respondent_count,
            "unpublished_count": overview.unpublished_count,
            "refused_positions_counted": overview.refused_positions_counted,
        },
        "scale": {"points": list(summary.scale.points), "dont_know": summary.scale.dont_know},
        "categories": [
            {
                "label": info.label,
                "name": info.name,
                "sector": info.sector.value if info.sector is not None else None,
                "display_label": info.display_label,
                "respondent_count": per_category.get(info.label, 0),
            }
            for info in summary.categories
        ],
        "questions": [
            {
                "code": q.code,
                "number": q.number,
                "text": q.text,
                "kind": str(q.kind),
                "heading": q.heading,
                "answered": q.answered,
                "not_answered": q.not_answered,
                "not_answered_line": q.not_answered_line,
            }
            for q in summary.questions
        ],
        "respondents": [_respondent(r, summary.audience) for r in summary.respondents],
        "answers": [
            _answer(question, row) for question in summary.questions for row in question.rows
        ],
        "tabulation": [
            {
                "question": t.question_code,
                "labels": list(t.labels),
                "answered": t.answered,
                "not_answered": t.not_answered,
                "overall": _counts(t.overall),
                "by_category": {label: _counts(c) for label, c in t.by_category.items()},
                "by_sector": {str(sector): _counts(c) for sector, c in t.by_sector.items()},
            }
            for t in summary.tabulations
        ],
        "themes": [
            {
                "question": theme.question_code,
                "id": theme.theme_id,
                "label": theme.label,
                "keywords": list(theme.keywords),
                "size": theme.size,
                "members": _ids(theme.members),
                "share_by_category": dict(theme.share_by_category),
                "share_by_sector": dict(theme.share_by_sector),
                "quotes": [
                    {"respondent": who.export_id, "text": text} for who, text in theme.quotes
                ],
                "stance": _stance(stances.of(theme)),
            }
            for theme in summary.themes
        ],
        "duplicates": [
            {
                "id": group.group_id,
                "kind": group.kind,
                "question": group.question_code,
                "members": _ids(group.members),
                "template": group.template,
                "additions": [
                    {"respondent": who.export_id, "text": text} for who, text in group.additions
                ],
            }
            for group in summary.duplicates
        ],
        "opinion_groups": [
            {
                "id": group.group_id,
                "size": group.size,
                "members": _ids(group.members),
                "composition": dict(group.composition),
                "distinguishing_positions": [_plain(p) for p in group.distinguishing_positions],
            }
            for group in summary.opinion_groups
        ],
    }


def write_json(summary: CompiledSummary, stream: BinaryIO) -> None:
    """Write the summary as UTF-8 JSON (non-ASCII letters kept readable) to a binary stream."""
    text = io.TextIOWrapper(stream, encoding="utf-8", write_through=True)
    try:
        json.dump(summary_document(summary), text, ensure_ascii=False, indent=1)
    finally:
        text.detach()


def json_bytes(summary: CompiledSummary) -> bytes:
    """The JSON document as bytes, for a download response."""
    buffer = io.BytesIO()
    write_json(summary, buffer)
    return buffer.getvalue()


def load_schema() -> dict[str, Any]:
    """The JSON Schema the documents follow (for validation in tests and by consumers)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _respondent(respondent: ExportedRespondent, audience: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": respondent.export_id,
        "name": respondent.display_name,
        "on_behalf_of": respondent.on_behalf_of,
        "category": respondent.category,
        "sector": respondent.sector.value if respondent.sector is not None else None,
        "consent": respondent.consent.value,
        "anonymised": respondent.anonymised,
        "submitted_at": _time(respondent.submitted_at),
    }
    if audience == "internal":
        data["key"] = respondent.key
        data["email"] = respondent.email
    return data


def _answer(question: QuestionSummary, row: SummaryRow) -> dict[str, Any]:
    data: dict[str, Any] = {
        "respondent": row.respondent.export_id,
        "question": question.code,
        "value": row.cell or None,
        "value_index": row.answer.value,
        "dont_know": row.answer.dont_know,
        "text": row.comment,
    }
    if question.kind.multiple:
        data["choices"] = list(row.answer.choices)
    return data


def _counts(counts: PositionCounts) -> dict[str, Any]:
    data: dict[str, Any] = {
        "counts": list(counts.counts),
        "dont_know": counts.dont_know,
        "total": counts.total,
        "percentages": list(counts.percentages),
        "mean": counts.mean,
        "net_agreement": counts.net_agreement,
    }
    if counts.choosers is not None:
        data["choosers"] = counts.choosers
    return data


def _stance(stance: ThemeStance | None) -> dict[str, Any] | None:
    if stance is None:
        return None
    return {"counts": list(stance.counts), "divided": stance.divided}


def _ids(members: tuple[ExportedRespondent, ...]) -> list[str]:
    return [member.export_id for member in members]


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(value: object) -> Any:
    """Parameters and positions as JSON values: containers and dataclasses kept, else text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    return str(value)
