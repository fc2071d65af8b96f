"""Respondents who may be one body answering twice: names, departments, e-mail, answers."""

from __future__ import annotations

import pytest

from synthesis.resubmissions import (
    IDENTICAL_ANSWER,
    SAME_BODY,
    SAME_EMAIL,
    ResubmissionFlag,
    ResubmissionReason,
    body_name,
    find_resubmissions,
)
from synthesis.snapshot import Respondent


def respondent(key: str, name: str, **fields) -> Respondent:
    return Respondent(key=key, name=name, category=fields.pop("category", "Kommune"), **fields)


def flags(*respondents: Respondent, identical=()) -> dict[tuple[str, str], ResubmissionFlag]:
    found = find_resubmissions(list(respondents), identical)
    return {flag.respondent_keys: flag for flag in found}


@pytest.mark.parametrize(
    "department",
    [
        "Bergen Kommune/etat for barn og familie",
        "Bergen kommune / Etat for barn og familie",
        "Bergen kommune, Etat for barn og familie",
        "Bergen kommune - Etat for barn og familie",
        "Bergen kommune – etat for barn og familie",
        "Bergen kommune v/ etat for barn og familie",
        "Bergen kommune (etat for barn og familie)",
        "BERGEN KOMMUNE: Etat for barn og familie",
    ],
)
def test_one_body_with_a_department_is_flagged(department):
    found = flags(respondent("a", "Bergen kommune"), respondent("b", department))
    assert found[("a", "b")].reasons == (ResubmissionReason(SAME_BODY, {"name": "bergen kommune"}),)


def test_a_regional_centre_joined_by_hyphens_is_another_body():
    assert body_name("Kompetansesenter rus-Midt-Norge") == "kompetansesenter rus midt norge"
    assert body_name("Kompetansesenter rus") == "kompetansesenter rus"
    found = flags(
        respondent("a", "Kompetansesenter rus"),
        respondent("b", "Kompetansesenter rus-Midt-Norge"),
        respondent("c", "Kompetansesenter rus Midt-Norge"),  # the same centre, spelt apart
    )
    assert set(found) == {("b", "c")}


def test_on_behalf_of_e_mail_and_identical_answers_are_reasons_too():
    found = flags(
        respondent("a", "Kari Hansen", on_behalf_of="Bergen kommune", email="post@bergen.no"),
        respondent("b", "Ola Berg", on_behalf_of="Bergen kommune, Byrådsavdelingen"),
        respondent("c", "Nils Dahl", email=" POST@bergen.no ", category="Privatperson"),
        identical=[("2", ("a", "c"))],
    )
    assert [r.kind for r in found[("a", "b")].reasons] == [SAME_BODY]
    assert [r.kind for r in found[("a", "c")].reasons] == [SAME_EMAIL, IDENTICAL_ANSWER]
    assert found[("a", "c")].reasons[1].params == {
        "question": "2",
        "category": "Kommune",
        "other_category": "Privatperson",
    }
    assert set(found) == {("a", "b"), ("a", "c")}


def test_reasons_are_data_and_still_read_as_one_english_line():
    flag = flags(
        respondent("a", "Stavanger kommune, Oppvekst", email="x@y.no"),
        respondent("b", "Stavanger kommune, Helse", email="x@y.no"),
    )[("a", "b")]
    assert {reason.kind for reason in flag.reasons} == {SAME_BODY, SAME_EMAIL}
    assert flag.reason == 'same leading name "stavanger kommune"; same contact e-mail'


def test_a_shared_placeholder_name_pairs_each_with_the_first_only():
    many = [respondent(f"r{i}", "Anonym") for i in range(40)]
    assert set(flags(*many)) == {("r0", f"r{i}") for i in range(1, 40)}
