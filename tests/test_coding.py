"""Coding as a service: the codebook, tags on answers and passages, notes, reviews, erasure."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import (
    AnswerNote,
    AnswerReview,
    AuditEvent,
    Code,
    CodeAssignment,
    Submission,
)
from hearing.services import coding
from hearing.services.coding import CodingRefused, Filter, Span, resolve_passage
from hearing.services.privacy import erase_respondent
from tests.coding_support import answer_of, make_coding_consultation


@pytest.fixture()
def consultation(app):
    return make_coding_consultation()


def test_codebook_names_are_unique_trimmed_and_ordered(consultation):
    money = coding.add_code(consultation, "  Finansiering ", "Penger og ressurser")
    voice = coding.add_code(consultation, "Barns stemme")
    assert (money.name, money.position, voice.position) == ("Finansiering", 0, 1)
    assert money.colour != voice.colour  # each new code gets the next colour
    with pytest.raises(CodingRefused):
        coding.add_code(consultation, "finansiering")
    with pytest.raises(CodingRefused):
        coding.add_code(consultation, "   ")
    with pytest.raises(CodingRefused):
        coding.add_code(consultation, "x" * 101)
    with pytest.raises(CodingRefused):
        coding.update_code(voice, "Finansiering", "")
    with pytest.raises(CodingRefused):
        coding.update_code(voice, "Barns stemme", "", colour="magenta")
    coding.update_code(voice, "Barn og unges stemme", "Medvirkning", colour="green")
    coding.move_code(voice, -1)
    assert [c.name for c in coding.codebook(consultation)] == [
        "Barn og unges stemme",
        "Finansiering",
    ]


def test_deleting_a_code_removes_its_tags_and_closes_the_gap(consultation):
    _first, second, _third = (coding.add_code(consultation, name) for name in "ABC")
    answer = answer_of(consultation, "Oslo kommune")
    coding.tag_answer(answer, second, user_id=None)
    assert coding.code_usage(second) == 1
    assert coding.delete_code(second) == 1
    db.session.commit()
    assert db.session.scalars(select(CodeAssignment)).all() == []
    assert [(c.name, c.position) for c in coding.codebook(consultation)] == [("A", 0), ("C", 1)]


def test_tagging_the_whole_answer_and_a_passage(consultation):
    money = coding.add_code(consultation, "Finansiering")
    answer = answer_of(consultation, "Bergen kommune")
    whole = coding.tag_answer(answer, money, user_id=None)
    passage = resolve_passage(answer.text, start=3, end=24, quote="trenger mer penger ti")
    tagged = coding.tag_answer(answer, money, user_id=None, passage=passage)
    db.session.commit()
    assert (whole.span_start, whole.is_passage) == (None, False)
    assert (tagged.span_start, tagged.span_end, tagged.quote) == (3, 24, "trenger mer penger ti")
    assert tagged.current_span() == (3, 24)
    with pytest.raises(CodingRefused):  # the same tag twice
        coding.tag_answer(answer, money, user_id=None)
    with pytest.raises(CodingRefused):
        coding.tag_answer(answer, money, user_id=None, passage=passage)


def test_a_code_of_another_consultation_is_refused(consultation, app):
    from tests.respond_support import make_consultation

    other = make_consultation(slug="annen")
    db.session.flush()
    foreign = coding.add_code(other, "Fremmed")
    with pytest.raises(CodingRefused):
        coding.tag_answer(answer_of(consultation, "Oslo kommune"), foreign, user_id=None)


@pytest.mark.parametrize(
    ("start", "end", "quote"),
    [
        (-1, 4, ""),  # before the text
        (5, 5, ""),  # empty
        (10, 9, ""),  # backwards
        (0, 1000, ""),  # past the end
        (0, 4, "Noe annet"),  # the text there is not what the analyst selected
        (8, 9, " "),  # only a space
        (None, 4, ""),  # half a span
    ],
)
def test_passage_spans_are_checked_against_the_answer_text(start, end, quote):
    with pytest.raises(CodingRefused):
        resolve_passage("Finansieringen er for svak.", start=start, end=end, quote=quote)


def test_passages_are_trimmed_found_by_quote_and_the_whole_text_is_the_whole_answer():
    text = "Finansieringen er for svak.\nVentetiden er lang."
    assert resolve_passage(text, start=14, end=27, quote=text[14:27]) == Span(15, 27, text[15:27])
    assert resolve_passage(text, quote="  Ventetiden er lang ") == Span(
        28, 46, "Ventetiden er lang"
    )
    with pytest.raises(CodingRefused):
        resolve_passage(text, quote="ikke i svaret")
    assert resolve_passage(text) is None
    assert resolve_passage(text, start=0, end=len(text), quote=text) is None
    emoji = "Bra 👍 tiltak"  # offsets are characters (code points), as the page's script sends
    assert resolve_passage(emoji, start=6, end=12, quote="tiltak") == Span(6, 12, "tiltak")


def test_a_passage_follows_an_edit_around_it_and_is_flagged_when_it_changes(consultation):
    money = coding.add_code(consultation, "Finansiering")
    answer = answer_of(consultation, "Oslo kommune")
    passage = resolve_passage(answer.text, quote="ventetiden er lang")
    assignment = coding.tag_answer(answer, money, user_id=None, passage=passage)
    answer.text = "Vi mener: " + answer.text
    assert answer.text[slice(*assignment.current_span())] == "ventetiden er lang"
    answer.text = "Finansieringen er for svak."
    assert assignment.current_span() is None


def test_notes_and_reviews(consultation, analyst):
    answer = answer_of(consultation, "Redd Barna")
    with pytest.raises(CodingRefused):
        coding.add_note(answer, "   ", user_id=analyst.id)
    with pytest.raises(CodingRefused):
        coding.add_note(answer, "x" * 5001, user_id=analyst.id)
    note = coding.add_note(answer, " Sjekk tallene. ", user_id=analyst.id)
    assert (note.text, note.author) == ("Sjekk tallene.", analyst)
    coding.set_reviewed(answer, True, user_id=analyst.id)
    coding.set_reviewed(answer, True, user_id=analyst.id)  # twice is once
    assert coding.review_of(answer).reviewed_by == analyst
    assert db.session.scalars(select(AnswerReview)).all() == [coding.review_of(answer)]
    coding.set_reviewed(answer, False, user_id=analyst.id)
    assert coding.review_of(answer) is None
    coding.delete_note(note)
    assert db.session.scalars(select(AnswerNote)).all() == []


def test_filters_and_progress(consultation):
    money = coding.add_code(consultation, "Finansiering")
    question = consultation.questions[0]
    bergen, oslo = (
        answer_of(consultation, "Bergen kommune"),
        answer_of(consultation, "Oslo kommune"),
    )
    coding.tag_answer(oslo, money, user_id=None)
    coding.set_reviewed(bergen, True, user_id=None)

    def names(show, code=None):
        query = coding.question_answers(consultation, question, show=show, code=code)
        return [a.submission.respondent_name for a in db.session.scalars(query)]

    assert names(Filter.ALL) == ["Bergen kommune", "Oslo kommune", "Redd Barna"]
    assert names(Filter.UNTAGGED) == ["Bergen kommune", "Redd Barna"]
    assert names(Filter.UNREVIEWED) == ["Oslo kommune", "Redd Barna"]
    assert names(Filter.ALL, money) == ["Oslo kommune"]
    first = coding.progress(consultation)[0]
    assert (first.question.code, first.answers, first.tagged, first.reviewed) == ("1", 3, 1, 1)


def test_hidden_withdrawn_and_draft_answers_are_not_coded(consultation):
    oslo = answer_of(consultation, "Oslo kommune")
    oslo.submission.hidden = True
    db.session.flush()
    assert coding.codable_answer(consultation, oslo.id) is None
    assert coding.codable_answer(consultation, answer_of(consultation, "Redd Barna").id)


def test_erasure_leaves_no_tag_note_or_quote(consultation, analyst):
    """Erasing a respondent deletes the tags, notes and review of their answers, and no quote or
    note text survives anywhere in the database (the audit log included)."""
    money = coding.add_code(consultation, "Finansiering")
    answer = answer_of(consultation, "Redd Barna")
    quote = "Barns stemme må høres i alle ledd"
    coding.tag_answer(
        answer, money, user_id=None, passage=resolve_passage(answer.text, quote=quote)
    )
    coding.add_note(answer, "Hemmelig notat om Redd Barna-svaret", user_id=analyst.id)
    coding.set_reviewed(answer, True, user_id=analyst.id)
    kept = coding.tag_answer(answer_of(consultation, "Oslo kommune"), money, user_id=None).id
    db.session.commit()
    erase_respondent(answer.submission)
    db.session.commit()
    db.session.expunge_all()
    assert [a.id for a in db.session.scalars(select(CodeAssignment))] == [kept]
    assert db.session.scalars(select(AnswerNote)).all() == []
    assert db.session.scalars(select(AnswerReview)).all() == []
    assert db.session.scalar(select(Code)) is not None  # the codebook is the secretariat's
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            flat = repr(tuple(row))
            assert quote not in flat and "Hemmelig notat" not in flat, table.name
    assert (
        db.session.scalar(select(Submission).where(Submission.respondent_name == "Redd Barna"))
        is None
    )


def test_every_change_is_audited_without_the_words(consultation, analyst):
    money = coding.add_code(consultation, "Finansiering")
    answer = answer_of(consultation, "Oslo kommune")
    coding.tag_answer(
        answer, money, user_id=None, passage=resolve_passage(answer.text, quote="ventetiden")
    )
    note = coding.add_note(answer, "Et notat", user_id=analyst.id)
    coding.delete_note(note)
    coding.set_reviewed(answer, True, user_id=None)
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == [
        "coding.code_add",
        "coding.tag",
        "coding.note_add",
        "coding.note_delete",
        "coding.review",
    ]
    assert events[1].details["reference"] == answer.submission.reference
    assert all(
        "ventetiden" not in repr(e.details) and "Et notat" not in repr(e.details) for e in events
    )


def test_overlapping_passages_are_highlighted_piece_by_piece(consultation):
    from hearing.admin.coding import segments

    money, voice = coding.add_code(consultation, "Penger"), coding.add_code(consultation, "Stemme")
    answer = answer_of(consultation, "Redd Barna")  # "Barns stemme må høres i alle ledd. …"
    coding.tag_answer(
        answer, voice, user_id=None, passage=resolve_passage(answer.text, start=0, end=18)
    )
    coding.tag_answer(
        answer, money, user_id=None, passage=resolve_passage(answer.text, start=6, end=25)
    )
    coding.tag_answer(answer, money, user_id=None)  # the whole answer: no highlight of its own
    assignments = db.session.scalars(select(CodeAssignment).order_by(CodeAssignment.id)).all()
    pieces = [
        (piece.text, [code.name for code in piece.codes])
        for piece in segments(answer.text, assignments)
    ]
    assert pieces[:3] == [
        ("Barns ", ["Stemme"]),
        ("stemme må hø", ["Stemme", "Penger"]),
        ("res i a", ["Penger"]),
    ]
    assert "".join(text for text, _codes in pieces) == answer.text
    answer.text = "Helt ny tekst."  # the passages are gone: nothing is highlighted
    assert [(p.text, p.codes) for p in segments(answer.text, assignments)] == [(answer.text, ())]
