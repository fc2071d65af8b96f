"""Question kinds: every kind keeps the contract the form, storage, tabulation and writers rely
on, and what is generic to kinds with options works for any such kind, shown here with one
defined by the test alone (it touches no other file)."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from exports.frozen_summary import thaw
from exports.json_writer import summary_document
from exports.summary import build_summary
from hearing.extensions import db
from hearing.models import Status
from hearing.services.long_loader import load_respondents
from hearing.services.snapshots import add_respondents, create_consultation, snapshot_of
from synthesis.answers import Answer
from synthesis.question_kinds import Options, QuestionKind
from synthesis.question_kinds.base import FieldSpec, QuestionLike
from synthesis.snapshot import (
    Category,
    ConsultationSnapshot,
    Question,
    Respondent,
    Scale,
    Sector,
)
from synthesis.tabulation import tabulate
from tests.exports_sample import EXPORTED_AT, summary_of

PUBLIC = Category("Forvaltning", Sector.PUBLIC)
PRIVATE = Category("Organisasjon", Sector.PRIVATE)
OPTIONS = Options(("Barnehage", "Skole", "Helsestasjon"))


@pytest.fixture
def several() -> Iterator[QuestionKind]:
    """A kind that counts an answer under each option it chose, defined here and nowhere else."""

    class SeveralKind(QuestionKind):
        name = "test_several"
        title = "Flere"
        order = 999
        has_options = True
        tabulated = True
        multiple = True

        def fields(self, question: QuestionLike, scale: Scale) -> tuple[FieldSpec, ...]:
            choices = tuple((str(i), label) for i, label in enumerate(question.options.labels))
            return (FieldSpec("choices", "checkboxes", "Spørsmål %(code)s", choices),)

        def read(self, question: QuestionLike, scale: Scale, data: Mapping[str, Any]) -> Answer:
            return Answer(question.code, choices=tuple(int(c) for c in data.get("choices", ())))

        def form_data(self, answer: Answer, question: QuestionLike, scale: Scale) -> dict:
            return {"choices": [str(c) for c in answer.choices]}

        def label(self, answer: Answer, question: QuestionLike, scale: Scale) -> str:
            return ", ".join(question.options.labels[c] for c in answer.choices)

        def columns(self, question: QuestionLike, scale: Scale) -> tuple[str, ...]:
            return question.options.labels

        def chosen(self, answer: Answer, question: QuestionLike, scale: Scale) -> tuple[int, ...]:
            return answer.choices

    yield QuestionKind("test_several")
    del QuestionKind._registered["test_several"]


def _snapshot(kind: QuestionKind, *choices: tuple[str, Category, tuple[int, ...]]):
    return ConsultationSnapshot(
        slug="k",
        title="K",
        categories=(PUBLIC, PRIVATE),
        questions=(Question("1", "Hvor?", kind, options=OPTIONS),),
        respondents=tuple(
            Respondent(key, key, category.label, answers={"1": Answer("1", choices=chosen)})
            for key, category, chosen in choices
        ),
    )


def test_every_kind_keeps_the_contract():
    question = Question("9", "?", QuestionKind.TEXT, options=Options(("Ja", "Nei", "Annet"), True))
    scale = Scale(dont_know="Vet ikke")
    kinds = list(QuestionKind)
    assert {"scale", "text", "scale_text"} <= set(kinds)
    assert [kind.order for kind in kinds] == sorted(kind.order for kind in kinds)
    for kind in kinds:
        assert QuestionKind(str(kind)) is kind and getattr(QuestionKind, kind.upper()) is kind
        specs = kind.fields(question, scale)
        assert specs and len({spec.part for spec in specs}) == len(specs)
        empty = Answer("9")
        shown = kind.form_data(empty, question, scale)
        assert set(shown) <= {spec.part for spec in specs}
        assert kind.read(question, scale, shown) == empty  # nothing given reads as nothing
        assert kind.label(empty, question, scale) == kind.cell(empty, question, scale) == ""
        assert bool(kind.columns(question, scale)) == kind.tabulated


def test_a_kind_that_chooses_several_is_tabulated_by_respondents(several):
    snapshot = _snapshot(
        several,
        ("a", PUBLIC, (0, 1)),
        ("b", PUBLIC, (1,)),
        ("c", PRIVATE, (0, 1, 2)),
        ("d", PRIVATE, ()),
    )
    (table,) = tabulate(snapshot)
    assert table.labels == OPTIONS.labels and not table.ordinal
    assert table.overall.counts == (2, 3, 1)
    assert table.overall.choosers == 3 and table.overall.total == 3
    assert [round(p) for p in table.overall.percentages] == [67, 100, 33]  # of respondents
    assert table.overall.mean is None and table.overall.net_agreement is None
    assert table.by_category[PUBLIC.label].counts == (1, 2, 0)
    assert table.by_sector["private"].choosers == 1
    assert table.answered == 3 and table.not_answered == 1


def test_the_summary_and_json_carry_the_choices(several):
    snapshot = _snapshot(several, ("a", PUBLIC, (0, 2)))
    summary = build_summary(
        snapshot, audience="internal", exported_at=EXPORTED_AT, software_version="t"
    )
    (row,) = summary.questions[0].rows
    assert (row.label, row.answer.choices) == ("Barnehage, Helsestasjon", (0, 2))
    document = summary_document(summary)
    assert document["answers"][0]["choices"] == [0, 2]
    assert document["tabulation"][0]["overall"]["choosers"] == 1


def test_options_and_choices_are_stored_and_read_back(app, several):
    snapshot = _snapshot(several, ("a", PUBLIC, (0, 2)))
    consultation = create_consultation(snapshot, slug="k", status=Status.OPEN)
    add_respondents(consultation, snapshot.respondents)
    bulk = Respondent("long:b", "b", PRIVATE.label, answers={"1": Answer("1", choices=(1,))})
    load_respondents(consultation, [bulk])
    db.session.expire_all()
    stored = snapshot_of(consultation)
    assert stored.questions[0].options == OPTIONS and stored.questions[0].kind is several
    assert [r.answers["1"].choices for r in stored.respondents] == [(0, 2), (1,)]


def test_an_edition_frozen_before_answers_had_one_shape_still_opens():
    """Format 1 rows spelled out a scale label, a comment, an index and "don't know"."""
    summary = summary_of("public")
    document = {"format": 1, "summary": json.loads(json.dumps(_format_1(summary)))}
    thawed = thaw(zlib.compress(json.dumps(document).encode()))
    assert thawed.questions == summary.questions
    assert thawed.respondents == summary.respondents


def _format_1(summary) -> dict:
    from exports.frozen_summary import _codec

    encoded = _codec().encode(summary)
    for question in encoded["questions"]:
        for group in question["groups"]:
            group["rows"] = [
                {
                    "respondent": row["respondent"],
                    "scale_label": row["label"],
                    "comment": row["answer"]["text"] or "",
                    "value_index": row["answer"]["value"],
                    "dont_know": row["answer"]["dont_know"],
                }
                for row in group["rows"]
            ]
    return encoded
