"""A run's result in parts (no database): the steps' parts read back as the whole result, lists
per answer in bounded chunks, theme edits applied per question, and the streamed input hash
equal to the hash of the whole snapshot as earlier versions computed it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from hearing.imports.compiled import parse_compiled
from synthesis import result_parts
from synthesis.answer_source import SnapshotSource
from synthesis.pipeline import SynthesisPipeline, assemble, result_codec, summed_timings
from synthesis.result_parts import (
    Part,
    PartedResult,
    finish_parts,
    outline_of,
    positions_parts,
    preparation_parts,
    question_parts,
)
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Scale,
    Sector,
)
from synthesis.theme_edits import MarkReviewed, RenameTheme, anchor_of
from tests.result_support import assert_same_result

DEMO_FILE = (
    Path(__file__).resolve().parent.parent / "hearing" / "demo_data" / "compiled_responses.txt"
)


class Store:
    """Parts kept as the database keeps them: JSON text per (question, stage, chunk)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, int], str] = {}

    def add(self, parts: Any) -> None:
        for part in parts:
            assert isinstance(part, Part)
            self.rows[(part.question_code, part.stage, part.chunk)] = json.dumps(part.data)

    def load(self, question_code: str, stage: str) -> list[Any]:
        chunks = sorted(
            (c, t) for (q, s, c), t in self.rows.items() if (q, s) == (question_code, stage)
        )
        return [json.loads(text) for _, text in chunks]


def _with_campaign(snapshot: ConsultationSnapshot) -> ConsultationSnapshot:
    """Seed 004 and four members of a campaign on question 4, so every kind of part exists."""
    template = (
        "Vi i foreningen mener at tjenestene må samordnes bedre, og at brukerne skal få "
        "én fast kontaktperson gjennom hele forløpet."
    )
    category = snapshot.respondents[0].category
    members = tuple(
        Respondent(f"member-{n}", f"Medlem {n}", category, answers={"4": Answer("4", text=text)})
        for n, text in enumerate([template, template, f"{template} Hilsen Kari.", template])
    )
    return replace(snapshot, respondents=snapshot.respondents + members)


@pytest.fixture(scope="module")
def stepwise() -> tuple[Any, Store, Any]:
    """The seed's run by steps, each step's output stored as parts, and the whole result."""
    snapshot = _with_campaign(parse_compiled(DEMO_FILE.read_text(encoding="utf-8")).snapshot)
    pipeline, codec, store = SynthesisPipeline(n_themes=3), result_codec(), Store()
    source = SnapshotSource(snapshot)
    prepared = pipeline.prepare(source)
    store.add(preparation_parts(prepared))
    found = pipeline.positions(source)
    store.add(positions_parts(codec, found))
    outcomes = [
        pipeline.question(source, code, prepared.background) for code in prepared.question_codes
    ]
    for outcome in outcomes:
        store.add(question_parts(codec, outcome))
    finished = pipeline.finish(source, [g for o in outcomes for g in o.duplicate_groups])
    store.add(finish_parts(codec, finished))
    timings = summed_timings([prepared.timings, *(o.timings for o in outcomes), finished.timings])
    whole = assemble(pipeline.get_params(), prepared, found, outcomes, finished)
    outline = outline_of(store.load, pipeline.get_params(), timings)
    return whole, store, PartedResult(outline, store.load, codec)


def test_the_parts_read_back_as_the_whole_result(stepwise):
    whole, _, parted = stepwise
    assert "campaign" in {group.kind for group in whole.duplicate_groups}
    assert whole.collapse_map and whole.opinion_groups
    assert_same_result(parted, whole)
    assert parted.theme_codes == whole.theme_codes == ("1.a", "1.b", "2", "3", "4")
    assert parted.question_themes("4") == whole.question_themes("4")
    assert parted.passages_of("4") == whole.passages_of("4")
    assert parted.question_themes("nope") is None and parted.passages_of("nope") == ()


def test_steps_give_what_the_whole_run_gives(stepwise):
    whole, _, _ = stepwise
    again = SynthesisPipeline(n_themes=3).run(
        _with_campaign(parse_compiled(DEMO_FILE.read_text(encoding="utf-8")).snapshot)
    )
    assert_same_result(again, whole)


def test_theme_edits_are_applied_per_question_as_it_is_read(stepwise):
    whole, _, parted = stepwise
    theme = whole.question_themes("2").themes[0]
    edits = {"2": [RenameTheme(anchor_of(theme), "Mål for barn"), MarkReviewed(("borte",))]}
    edited, expected = parted.with_theme_edits(edits), whole.with_theme_edits(edits)
    assert edited.question_themes("2") == expected.question_themes("2")
    assert any(t.label == "Mål for barn" for t in edited.question_themes("2").themes)
    assert [d.edit for d in edited.question_themes("2").dropped_edits] == [MarkReviewed(("borte",))]
    assert edited.themes == expected.themes
    assert parted.question_themes("2") == whole.question_themes("2")  # the original untouched


def test_no_part_holds_more_than_a_chunk_of_rows(monkeypatch):
    monkeypatch.setattr(result_parts, "ROWS_PER_CHUNK", 3)
    snapshot = _with_campaign(parse_compiled(DEMO_FILE.read_text(encoding="utf-8")).snapshot)
    whole = SynthesisPipeline(n_themes=3).run(snapshot)
    store, codec = Store(), result_codec()
    pipeline, source = SynthesisPipeline(n_themes=3), SnapshotSource(snapshot)
    prepared = pipeline.prepare(source)
    store.add(preparation_parts(prepared))
    store.add(positions_parts(codec, pipeline.positions(source)))
    outcomes = [pipeline.question(source, c, prepared.background) for c in prepared.question_codes]
    for outcome in outcomes:
        store.add(question_parts(codec, outcome))
    store.add(
        finish_parts(
            codec, pipeline.finish(source, [g for o in outcomes for g in o.duplicate_groups])
        )
    )
    chunked = {
        result_parts.THEME_MEMBERS,
        result_parts.THEME_PASSAGES,
        result_parts.PASSAGES,
        result_parts.DUPLICATE_MEMBERS,
        result_parts.OPINION_MEMBERS,
        result_parts.OPINION_PROJECTION,
        result_parts.COLLAPSE_MAP,
    }
    sizes = [
        len(json.loads(text)) for (_, stage, _), text in store.rows.items() if stage in chunked
    ]
    assert max(sizes) == 3 and len(sizes) > 20
    parted = PartedResult(outline_of(store.load, pipeline.get_params(), {}), store.load, codec)
    for name in ("themes", "passages", "duplicate_groups", "opinion_groups", "collapse_map"):
        assert getattr(parted, name) == getattr(whole, name), name


def test_the_streamed_input_hash_is_the_hash_of_the_whole_snapshot():
    """Values computed by the version that hashed one JSON text of the whole snapshot: stored
    runs stay current after the change."""
    snapshot = ConsultationSnapshot(
        slug="h",
        title="Høring om «skole»",
        document="Dokumentet.\n\nAndre avsnitt.",
        scale=Scale(dont_know="Vet ikke"),
        categories=(
            Category("Kommune", Sector.PUBLIC),
            Category("Privatperson", Sector.INDIVIDUAL),
        ),
        questions=(
            Question("1", "Enig?", QuestionKind.SCALE_TEXT),
            Question("2", "Valg", QuestionKind.MULTIPLE_CHOICE),
            Question("3", "Hvorfor?", QuestionKind.TEXT),
        ),
        respondents=(
            Respondent(
                "a",
                "Åse",
                "Kommune (Offentlig)",
                answers={
                    "3": Answer("3", text="Mer tid – og «ro»."),
                    "1": Answer("1", value=2, text="Ja"),
                },
            ),
            Respondent(
                "b",
                "Bjørn",
                "Privatperson (Enkeltperson)",
                answers={"1": Answer("1", dont_know=True), "2": Answer("2", choices=(0, 2))},
            ),
            Respondent(
                "c",
                "Skjult",
                "Kommune (Offentlig)",
                hidden=True,
                answers={"3": Answer("3", text="Nei")},
            ),
            Respondent("d", "Dag", ""),
        ),
    )
    assert (
        SynthesisPipeline(n_themes=3).input_hash(snapshot)
        == "dc272ea4f5fd53f5dede4ce2f6e5e7e514df309b4834cd2593d61d8a34164a9b"
    )
    assert (
        SynthesisPipeline().input_hash(snapshot)
        == "6de7020f442559b8867dbebb342e24433fb13a2e4f7f84a97f9d0921494f73fa"
    )
