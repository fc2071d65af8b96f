"""Where a run's result is stored and how it is read back: the one reader of results.

Since format 3 a run stores its result in parts (`synthesis.result_parts`): one
`SynthesisRunPart` row per question and stage, per-answer lists in numbered chunks, each
payload zlib-compressed JSON, so no value grows with the whole run. The run's own `result`
column then holds only its outline (input hash, parameters, timings, which questions have
parts). Runs stored before hold their whole result in that column, and are read as before.

Pages, exports and the publication all read through `stored_result`, which returns an object
with the interface of `SynthesisResult` that decodes a stage (and a question) only when asked
for it: the positions page decodes the tables, a question's theme page that question's themes.
Writers only flush; the executing step commits (`hearing.services.run_execution`).
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select

from hearing.extensions import db
from hearing.models import SynthesisRun, SynthesisRunPart
from hearing.models.types import utcnow
from synthesis.pipeline import RESULT_FORMAT, SynthesisResult, result_codec
from synthesis.result_parts import PARTS_FORMAT, Loader, Outline, Part, PartedResult

RunResult = SynthesisResult | PartedResult
COMPRESSION_LEVEL = 3  # zlib: a third of level 9's time, nearly its size on JSON text
INSERTS_PER_STATEMENT = 50  # parts of up to a few megabytes each: a bounded statement
log = logging.getLogger(__name__)


def encode_payload(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), COMPRESSION_LEVEL)


def decode_payload(payload: bytes) -> Any:
    return json.loads(zlib.decompress(payload).decode("utf-8"))


def store_parts(run_id: int, parts: Iterable[Part]) -> int:
    """Insert the parts of a run (flush only); how many. Encoded as they are inserted, so
    only a statement's worth of compressed payloads is held at once."""
    now, batch, count = utcnow(), [], 0
    for part in parts:
        batch.append(
            {
                "run_id": run_id,
                "question_code": part.question_code,
                "stage": part.stage,
                "chunk": part.chunk,
                "payload": encode_payload(part.data),
                "created_at": now,
            }
        )
        if len(batch) == INSERTS_PER_STATEMENT:
            db.session.execute(insert(SynthesisRunPart), batch)
            count, batch = count + len(batch), []
    if batch:
        db.session.execute(insert(SynthesisRunPart), batch)
        count += len(batch)
    return count


def delete_parts(
    run_id: int, question_code: str | None = None, stages: Iterable[str] | None = None
) -> None:
    """Remove a run's parts, or one question's (or the run's own: ""), or only some stages of
    them (flush only)."""
    statement = delete(SynthesisRunPart).where(SynthesisRunPart.run_id == run_id)
    if question_code is not None:
        statement = statement.where(SynthesisRunPart.question_code == question_code)
    if stages is not None:
        statement = statement.where(SynthesisRunPart.stage.in_(list(stages)))
    db.session.execute(statement)


def loader(run_id: int) -> Loader:
    """`load(question_code, stage)`: the decoded chunks of one stored stage, in order."""

    def load(question_code: str, stage: str) -> list[Any]:
        payloads = db.session.scalars(
            select(SynthesisRunPart.payload)
            .where(
                SynthesisRunPart.run_id == run_id,
                SynthesisRunPart.question_code == question_code,
                SynthesisRunPart.stage == stage,
            )
            .order_by(SynthesisRunPart.chunk)
        )
        return [decode_payload(payload) for payload in payloads]

    return load


def outline_dict(outline: Outline) -> dict[str, Any]:
    """The value a run in parts keeps in its `result` column."""
    encoded: dict[str, Any] = result_codec().encode(outline)
    return encoded


def stored_result(run: SynthesisRun) -> RunResult | None:
    """The run's result as stored (no theme edits applied); None when it has none or it was
    stored in a format this version cannot read (a new run replaces it)."""
    data = run.result
    if data is None:
        return None
    if data.get("format") == PARTS_FORMAT:
        outline = result_codec().decode(Outline, data)
        return PartedResult(outline, loader(run.id), result_codec())
    if data.get("format") == RESULT_FORMAT:
        return SynthesisResult.from_dict(data)
    log.warning("synthesis run %s has a result in an older format", run.id)
    return None
