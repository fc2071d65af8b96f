"""The JSON document: valid against the published schema, ids instead of keys, nothing private."""

from __future__ import annotations

import json
from dataclasses import replace

import jsonschema
import pytest

from exports.json_writer import json_bytes, load_schema
from exports.report_notes import ReportNotes
from exports.synthesis_view import SynthesisInputs
from tests.exports_sample import SYNTHESIS, THEME, summary_of


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("audience", ["public", "internal"])
@pytest.mark.parametrize("locale", ["nb", "en"])
def test_documents_validate(validator, audience, locale):
    document = json.loads(json_bytes(summary_of(audience, locale=locale)))
    validator.validate(document)


def test_public_document_content(validator):
    document = json.loads(json_bytes(summary_of("public")))

    assert document["audience"] == "public"
    assert [r["name"] for r in document["respondents"]][:3] == [
        "NTNU",
        "Helsedirektoratet",
        "Privatperson 1",
    ]
    assert all("email" not in r and "key" not in r for r in document["respondents"])
    raw = json_bytes(summary_of("public")).decode()
    for secret in ("Kari Nordmann", "Ola Hansen", "Per Skjult", "k3", "@"):
        assert secret not in raw
    ids = {r["id"] for r in document["respondents"]}
    assert {a["respondent"] for a in document["answers"]} <= ids
    assert [(q["code"], q["answered"], q["not_answered"]) for q in document["questions"]] == [
        ("1", 5, 1),
        ("1.a", 3, 3),
        ("2", 2, 4),
    ]
    first = document["answers"][0]
    assert first == {
        "respondent": "r1",
        "question": "1",
        "value": "Hverken eller",
        "value_index": 2,
        "dont_know": False,
        "text": "",
    }
    (tabulation,) = [t for t in document["tabulation"] if t["question"] == "1"]
    assert tabulation["overall"]["counts"] == [0, 2, 1, 1, 0]
    assert tabulation["overall"]["dont_know"] == 1
    (theme,) = document["themes"]
    assert theme["members"] == ["r2", "r3"]
    assert theme["quotes"] == [{"respondent": "r3", "text": "Mer penger til tjenestene."}]
    assert [d["id"] for d in document["duplicates"]] == ["d1"]
    (opinion,) = document["opinion_groups"]
    assert (opinion["id"], opinion["members"], opinion["size"]) == ("0", ["r1", "r3"], 2)
    assert opinion["distinguishing_positions"] == [
        {"question_code": "1", "group_agreement": 0.5, "rest_agreement": -0.25, "difference": 0.75}
    ]
    assert document["provenance"]["run_id"] == "run-7"
    assert document["provenance"]["parameters"] == {"random_state": 0, "n_themes": None}
    assert document["overview"]["unpublished_count"] == 2


def test_internal_document_has_keys_and_emails(validator):
    document = json.loads(json_bytes(summary_of("internal")))
    first = document["respondents"][0]
    assert (first["key"], first["email"]) == ("k1", "post@ntnu.example")


def test_schema_refuses_an_email_in_a_public_document(validator):
    document = json.loads(json_bytes(summary_of("public")))
    document["respondents"][0]["email"] = "leak@example.no"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def _themes_with(**changes) -> SynthesisInputs:
    return replace(SYNTHESIS, themes=(replace(SYNTHESIS.themes[0], **changes),))


def test_a_theme_carries_its_stance_as_the_word_report_words_it(validator):
    """Each theme says how its members answered the scale: the synthesis's count when it made
    one, else the members' own rows; null when none took a position (a text question)."""
    counted = replace(THEME, stance=(1, 0, 0, 0, 1))
    for synthesis, expected in (
        (SYNTHESIS, None),  # question 1.a is text alone and the synthesis counted nothing
        (_themes_with(themes=(counted,)), {"counts": [1, 0, 0, 0, 1], "divided": True}),
        (
            _themes_with(question_code="1"),  # counted from the members' answers to question 1
            {"counts": [0, 2, 0, 0, 0], "divided": False},
        ),
    ):
        summary = summary_of("public", synthesis=synthesis)
        document = json.loads(json_bytes(summary))
        validator.validate(document)
        (theme,) = document["themes"]
        assert theme["stance"] == expected
        word = ReportNotes(summary).stance(summary.themes[0])
        assert (word is None) == (expected is None)


def test_the_schema_refuses_a_stance_without_counts(validator):
    document = json.loads(json_bytes(summary_of("public")))
    document["themes"][0]["stance"] = {"divided": False}
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)
