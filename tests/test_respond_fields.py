"""The response form's fields: each kind's turn form data into an answer and back, losslessly."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from werkzeug.datastructures import MultiDict

from forms.answer_fields import AnswerField
from forms.response import ResponseContent, build_response_form
from synthesis.snapshot import Answer, Options, QuestionKind, Scale


@dataclass
class FakeQuestion:
    id: int
    code: str
    kind: str
    required: bool = False
    text: str = "Spørsmål?"
    help_text: str = ""
    options: Options = field(default_factory=lambda: Options(("Ja", "Nei", "Annet"), other=True))


QUESTIONS = [
    FakeQuestion(1, "1", QuestionKind.SCALE, required=True),
    FakeQuestion(2, "1.a", QuestionKind.TEXT),
    FakeQuestion(3, "2", QuestionKind.SCALE_TEXT, required=True),
]
SCALE = Scale(dont_know="Vet ikke")
CATEGORIES = [(7, "Forvaltning (Offentlig)"), (8, "Privatperson (Enkeltperson)")]


def _form(data: dict[str, str] | None = None, **kwargs):
    formdata = MultiDict(data) if data is not None else None
    return build_response_form(
        QUESTIONS,
        SCALE,
        CATEGORIES,
        max_chars=50,
        formdata=formdata,
        meta={"csrf": False},
        **kwargs,
    )


@pytest.mark.parametrize("kind", list(QuestionKind))
def test_every_question_kind_makes_its_form_fields(app, kind):
    field = AnswerField(FakeQuestion(5, "5", kind), SCALE, max_chars=10)
    with app.test_request_context():
        assert set(field.unbound_fields()) == set(field.names.values())
    assert field.first_name == field.names[field.specs[0].part]


@pytest.mark.parametrize(
    "content",
    [
        ResponseContent(
            respondent_name="Kari",
            category_id=8,
            on_behalf_of="Nabolaget",
            email="kari@example.no",
            consent="anonymous",
            answers={
                1: Answer("1", value=4),
                2: Answer("1.a", text="Første linje\n  andre linje  "),
                3: Answer("2", dont_know=True, text="Usikker"),
            },
        ),
        ResponseContent(answers={1: Answer("1"), 2: Answer("1.a"), 3: Answer("2")}),
    ],
)
def test_load_then_post_gives_back_the_same_content(app, content):
    with app.test_request_context():
        shown = _form()
        shown.load(content)
        posted = {f.name: str(f.data) for f in shown if f.data not in (None, "", "None")}
        assert _form(posted).content() == content


def test_required_questions_and_identity_are_checked_only_on_submit(app):
    with app.test_request_context():
        form = _form({"q3_text": "Bare en kommentar"})
        assert form.validate()  # a draft: limits only
        assert not form.check_complete()
        assert form["q1_value"].errors and form["q3_value"].errors  # scale part of scale+text
        assert not form["q2_text"].errors  # optional
        assert form.respondent_name.errors and form.category.errors and form.consent.errors


def test_limits_apply_to_drafts_too(app):
    with app.test_request_context():
        form = _form({"q2_text": "x" * 51, "q1_value": "9"})
        assert not form.validate()
        assert form["q2_text"].errors and form["q1_value"].errors


def test_email_is_validated_and_optional_for_letters(app):
    with app.test_request_context():
        base = {"respondent_name": "A", "category": "7", "consent": "named", "q1_value": "0"}
        base["q3_value"] = "dont_know"
        assert not _form({**base, "email": "a@"}).check_complete()
        assert _form({**base, "email": "a@b.no"}).check_complete()
        assert _form(base, require_email=False).check_complete()
        assert not _form(base).check_complete()


def test_answer_fields_are_reusable_objects(app):
    field = AnswerField(QUESTIONS[2], SCALE, max_chars=10)
    with app.test_request_context():
        assert set(field.unbound_fields()) == {"q3_value", "q3_text"}
    assert field.kind is QuestionKind.SCALE_TEXT
