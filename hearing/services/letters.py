"""Letters as responses: registering one, the secretariat's review, and the answers it gives.

A letter that came by post or e-mail becomes a response in three steps. Registering reads its
text, proposes its sender (organisation, person, date, e-mail, organisation number) and cuts
the text into passages, each filed under the question it says it answers ("Til punkt 4",
"Spørsmål 2") or with the general comments. The response then waits in status "review": like
a draft it counts nowhere — not in the tallies, the synthesis, the search or anything public —
until the secretariat has confirmed or corrected the sender, category, consent and the filing
of each passage on the review page. Confirming makes it a submitted response.

The passages are the letter's answers: those filed under a question that takes text are that
question's answer (joined, in the letter's order), the rest the answer to the consultation's
question for general comments. They are written through the one path every response takes
(`responses.apply_content`, `response_rows`), so the reading page, the search, the synthesis
and the exports see a letter's words exactly as they see typed ones. A letter carries no
position on a scale unless the secretariat sets one: it is counted in the tallies only where
it states a position. Service functions only flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from forms.registration import oslo_day, start_of_day
from forms.response import ResponseContent
from hearing.extensions import db
from hearing.imports.consent import default_consent
from hearing.imports.limits import ImportLimits
from hearing.letters.extract import extract_letter
from hearing.letters.passages import QuestionRef, split_passages
from hearing.letters.sender import SenderProposal, propose_sender
from hearing.models import (
    Attachment,
    Consultation,
    Invitee,
    LetterPassage,
    Question,
    Source,
    Submission,
    SubmissionStatus,
)
from hearing.models.invitee import SubmissionOrgNumber
from hearing.services import attachments
from hearing.services.form_shapes import CategoryShape, QuestionShape, form_shape
from hearing.services.response_rows import ResponseRows, answer_of, store_responses
from hearing.services.responses import apply_content
from synthesis import org_number
from synthesis.answers import Answer
from synthesis.crossref import is_general_question
from synthesis.minhash import words
from synthesis.question_kinds import QuestionKind
from synthesis.snapshot import Sector

KEY_PREFIX = "letter:"
GENERAL_QUESTION_TEXT = {"en": "General comments"}  # other languages: bokmål
GENERAL_QUESTION_TEXT_NB = "Generelle kommentarer"


class ReviewIncomplete(ValueError):
    """A letter cannot be confirmed without a sender and a category."""


def letter_key(sha256: str) -> str:
    """The imported response's stable key: the same file registered again is found again."""
    return (KEY_PREFIX + sha256)[:64]


# Questions a letter can answer ---------------------------------------------------------------


def takes_text(question: QuestionShape) -> bool:
    return QuestionKind(question.kind).has_text


def has_scale(question: QuestionShape) -> bool:
    return QuestionKind(question.kind).has_scale


def text_questions(consultation: Consultation) -> list[QuestionShape]:
    """The questions a passage can be filed under: those whose answers hold text."""
    return [q for q in form_shape(consultation).questions if takes_text(q)]


def scale_questions(consultation: Consultation) -> list[QuestionShape]:
    """The questions the secretariat may give a letter a position on."""
    return [q for q in form_shape(consultation).questions if has_scale(q)]


def general_question(consultation: Consultation) -> QuestionShape | None:
    """Where passages that answer no question go: the last text question asking for general
    comments ("Har du andre kommentarer?"), if the consultation has one."""
    found = [q for q in text_questions(consultation) if is_general_question(q.text)]
    return found[-1] if found else None


def question_refs(consultation: Consultation) -> list[QuestionRef]:
    """Every question as letters refer to it: by the code the form shows ("4", "2.a"), and by
    its text."""
    return [
        QuestionRef(code=q.code, number=q.code, title=q.text)
        for q in form_shape(consultation).questions
    ]


def add_general_question(consultation: Consultation) -> Question:
    """A text question for general comments at the end of the form, and every letter's
    unfiled passages written to it (flush only)."""
    taken = {q.code for q in consultation.questions}
    numbers = [int(code) for code in taken if code.isdecimal()]
    code = str(max(numbers, default=0) + 1)
    while code in taken:
        code = str(int(code) + 1)
    question = Question(
        code=code,
        text=GENERAL_QUESTION_TEXT.get(consultation.language, GENERAL_QUESTION_TEXT_NB),
        kind=QuestionKind.TEXT,
        required=False,
        help_text="",
        position=len(consultation.questions),
    )
    consultation.questions.append(question)
    db.session.flush()
    for submission, letter in letters_of(consultation):
        write_answers(submission, letter)
    return question


# Letters of a consultation -------------------------------------------------------------------


def letter_of(submission: Submission) -> Attachment | None:
    """The response's letter, if it is one (a registered letter, or a letter alone)."""
    return db.session.scalar(
        select(Attachment)
        .where(Attachment.submission_id == submission.id, Attachment.is_letter.is_(True))
        .order_by(Attachment.id)
        .limit(1)
    )


def letters_of(consultation: Consultation) -> list[tuple[Submission, Attachment]]:
    """Every response that is a letter, those awaiting review first, then as they came."""
    rows = db.session.execute(
        select(Submission, Attachment)
        .join(Attachment, Attachment.submission_id == Submission.id)
        .where(
            Submission.consultation_id == consultation.id,
            Attachment.is_letter.is_(True),
            Submission.status != SubmissionStatus.DRAFT,
        )
        .order_by(
            (Submission.status == SubmissionStatus.REVIEW).desc(), Submission.id, Attachment.id
        )
    ).all()
    seen: set[int] = set()
    found = []
    for submission, letter in rows:
        if submission.id not in seen:
            seen.add(submission.id)
            found.append((submission, letter))
    return found


def next_awaiting(consultation: Consultation, after: Submission) -> Submission | None:
    """The next letter awaiting review, for the secretariat working through a batch."""
    return db.session.scalar(
        select(Submission)
        .join(Attachment, Attachment.submission_id == Submission.id)
        .where(
            Submission.consultation_id == consultation.id,
            Submission.status == SubmissionStatus.REVIEW,
            Submission.id != after.id,
            Attachment.is_letter.is_(True),
        )
        .order_by((Submission.id < after.id), Submission.id)
        .limit(1)
    )


def find_registered(consultation: Consultation, sha256: str) -> Submission | None:
    return db.session.scalar(
        select(Submission).where(
            Submission.consultation_id == consultation.id,
            Submission.external_key == letter_key(sha256),
        )
    )


# Registering ---------------------------------------------------------------------------------


def register(
    consultation: Consultation, read: attachments.ReadFile, now: datetime
) -> tuple[Submission, bool]:
    """The letter as a response awaiting review, with its sender and passages proposed;
    `(response, True)`, or `(the response registered before, False)` for a file already in."""
    existing = find_registered(consultation, read.sha256)
    if existing is not None:
        return existing, False
    proposal = propose_sender(read.letter.text)
    category = propose_category(consultation, proposal)
    sector = category.sector if category is not None else None
    content = ResponseContent(
        respondent_name=(proposal.organisation or proposal.person or "")[:300],
        category_id=category.id if category is not None else None,
        email=_email_or_blank(proposal.email),
        consent=default_consent(sector).value,
    )
    # The day it came: the letter's own date where it has one (letters are posted the day
    # they are written), else today; the secretariat corrects it on review.
    written_on = proposal.written_on
    today = oslo_day(now)
    received = written_on if written_on is not None and written_on <= today else today
    shape = form_shape(consultation)
    rows = ResponseRows(consultation.id, shape.categories, shape.questions)
    response = rows.from_content(
        content,
        status=SubmissionStatus.REVIEW,
        source=Source.IMPORT,
        submitted_at=now,
        received_at=start_of_day(received),
    )
    (submission_id,) = store_responses(
        rows, [replace(response, external_key=letter_key(read.sha256))], now
    )
    submission = db.session.get_one(Submission, submission_id)
    letter = attachments.add(submission, read, is_letter=True)
    letter.written_on = written_on
    letter.signed_by = (proposal.person or "")[:300] if proposal.organisation else ""
    keep_org_number(submission, proposal.organisation_number or "")
    file_passages(consultation, letter)
    write_answers(submission, letter)
    return submission, True


def attach_letter_alone(submission: Submission, letter: Attachment) -> None:
    """A web response given by letter alone: the file is the letter, its passages the answers."""
    letter.is_letter = True
    file_passages(submission.consultation, letter)
    write_answers(submission, letter)


def propose_category(consultation: Consultation, proposal: SenderProposal) -> CategoryShape | None:
    """The sender's category where it is known: the høringsliste's category of the invited
    body with the letter's organisation number or name, or the one private-person category
    when a person writes for no organisation. None when unsure: the secretariat chooses."""
    categories = form_shape(consultation).categories
    if proposal.organisation:
        invitee = _invitee_for(consultation, proposal.organisation, proposal.organisation_number)
        if invitee is None or not invitee.category:
            return None
        wanted = invitee.category.strip().casefold()
        matching = [c for c in categories if wanted in (c.name.casefold(), c.label.casefold())]
        return matching[0] if len(matching) == 1 else None
    if proposal.person:
        individual = [c for c in categories if c.sector == Sector.INDIVIDUAL]
        return individual[0] if len(individual) == 1 else None
    return None


def _invitee_for(consultation: Consultation, name: str, number: str | None) -> Invitee | None:
    invitees = db.session.scalars(
        select(Invitee).where(Invitee.consultation_id == consultation.id)
    ).all()
    normalised = org_number.normalise(number or "")
    if normalised:
        by_number = [i for i in invitees if i.org_number == normalised]
        if by_number:
            return by_number[0]
    key = words(name)
    by_name = [i for i in invitees if words(i.name) == key]
    return by_name[0] if len(by_name) == 1 else None


def _email_or_blank(text: str | None) -> str:
    try:
        return validate_email(text or "", check_deliverability=False).normalized[:254]
    except EmailNotValidError:
        return ""


def keep_org_number(submission: Submission, written: str) -> None:
    """Store the letter's organisation number (valid ones only), or clear it."""
    number = org_number.normalise(written)
    stored = db.session.get(SubmissionOrgNumber, submission.id)
    if number and org_number.is_valid(number):
        if stored is None:
            db.session.add(SubmissionOrgNumber(submission_id=submission.id, org_number=number))
        else:
            stored.org_number = number
    elif stored is not None:
        db.session.delete(stored)
    db.session.flush()


# Passages and answers ------------------------------------------------------------------------


def file_passages(consultation: Consultation, letter: Attachment) -> None:
    """Cut the letter's text into passages anew, each under the question it names when that
    question takes text, else with the general comments (flush only)."""
    ids = {q.code: q.id for q in text_questions(consultation)}
    letter.passages.clear()
    db.session.flush()
    for position, passage in enumerate(split_passages(letter.text, question_refs(consultation))):
        code = passage.question_code or ""
        letter.passages.append(
            LetterPassage(
                position=position,
                heading=(passage.heading or "")[:300],
                text=passage.text,
                question_id=ids.get(code),
                proposed_code=code[:20],
            )
        )
    db.session.flush()


def letter_answers(
    consultation: Consultation, letter: Attachment, positions: Mapping[int, Answer]
) -> dict[int, Answer]:
    """The answers the letter gives, by question id: its filed passages' text under each text
    question, unfiled ones under the general question (their heading kept, since no question
    says what they are about), and the positions the secretariat set."""
    general = general_question(consultation)
    general_id = general.id if general is not None else None
    texts: dict[int, list[str]] = {}
    for passage in letter.passages:
        target = passage.question_id if passage.question_id is not None else general_id
        if target is None:
            continue
        text = passage.text.strip()
        if passage.question_id is None and passage.heading:
            text = f"{passage.heading}\n{text}".strip()
        if text:
            texts.setdefault(target, []).append(text)
    answers = {}
    for question in form_shape(consultation).questions:
        position = positions.get(question.id) or Answer(question.code)
        text = "\n\n".join(texts.get(question.id, ())) or None
        answer = Answer(
            question.code,
            value=position.value if has_scale(question) else None,
            dont_know=position.dont_know if has_scale(question) else False,
            text=text if takes_text(question) else None,
        )
        if not answer.is_empty:
            answers[question.id] = answer
    return answers


def positions_of(submission: Submission) -> dict[int, Answer]:
    """The positions the letter has now (set by the secretariat), by question id."""
    codes = {q.id: q.code for q in form_shape(submission.consultation).questions}
    return {
        row.question_id: answer_of(row, codes[row.question_id])
        for row in submission.answers
        if row.question_id in codes and (row.value is not None or row.dont_know)
    }


def unfiled_text(consultation: Consultation, letter: Attachment) -> str:
    """The letter's passages that reach no answer: unfiled, with no general question to go
    to. The review page shows them, so the secretariat can add that question."""
    if general_question(consultation) is not None:
        return ""
    return "\n\n".join(p.text for p in letter.passages if p.question_id is None and p.text)


def write_answers(
    submission: Submission, letter: Attachment, positions: Mapping[int, Answer] | None = None
) -> None:
    """The letter's answers onto its response, its sender's details left as they are."""
    consultation = submission.consultation
    chosen = positions_of(submission) if positions is None else positions
    content = ResponseContent(
        respondent_name=submission.respondent_name,
        category_id=submission.category_id,
        on_behalf_of=submission.on_behalf_of,
        email=submission.email,
        consent=submission.consent,
        answers=letter_answers(consultation, letter, chosen),
    )
    apply_content(submission, content)
    db.session.flush()


# The review ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """What the secretariat confirms or corrects on a letter's review page."""

    respondent_name: str
    signed_by: str
    category_id: int | None
    received_on: date
    written_on: date | None
    email: str
    org_number: str
    consent: str  # "" applies the rule: organisations named, private persons anonymous
    publish_original: bool
    placements: Mapping[int, int | None]  # passage id → question id (None: general comments)
    positions: Mapping[int, Answer]  # scale question id → the position set (absent: none)
    text: str | None = None  # the letter's text typed in, where it needed text


def apply_review(
    submission: Submission, letter: Attachment, review: Review, *, confirm: bool, now: datetime
) -> None:
    """Store the review; with `confirm`, the letter becomes a submitted response that counts.
    Raises `ReviewIncomplete` when confirming without a sender or a category."""
    consultation = submission.consultation
    categories = form_shape(consultation).categories_by_id
    category = categories.get(review.category_id or -1)
    if confirm and (not review.respondent_name.strip() or category is None):
        raise ReviewIncomplete("a sender and a category are needed")
    if review.text is not None and review.text.strip() != letter.text.strip():
        letter.text = review.text.strip()
        letter.needs_text = not letter.text
        letter.notes = []  # they were about the text read, which is now typed in
        file_passages(consultation, letter)
    else:
        targets = {q.id for q in text_questions(consultation)}
        for passage in letter.passages:
            if passage.id in review.placements:
                chosen = review.placements[passage.id]
                passage.question_id = chosen if chosen in targets else None
    sector = category.sector if category is not None else None
    # Who the sender is; `write_answers` stores it with the answers, as any response's.
    submission.respondent_name = review.respondent_name.strip()[:300]
    submission.category_id = category.id if category is not None else None
    submission.email = review.email.strip()
    submission.consent = review.consent or default_consent(sector).value
    submission.received_at = start_of_day(review.received_on)
    letter.written_on = review.written_on
    letter.signed_by = review.signed_by.strip()[:300]
    letter.publish_original = review.publish_original
    keep_org_number(submission, review.org_number)
    db.session.flush()
    write_answers(submission, letter, review.positions)
    if confirm and submission.status == SubmissionStatus.REVIEW:
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = now
    db.session.flush()


def stated_consent(submission: Submission) -> str:
    """The letter's consent where it is not the rule's for its category ("" where it is), so
    that choosing another category on the review page applies the rule anew."""
    category = form_shape(submission.consultation).categories_by_id.get(
        submission.category_id or -1
    )
    rule = default_consent(category.sector if category is not None else None)
    return "" if submission.consent == rule.value else submission.consent


def is_known(submission: Submission) -> bool:
    """Whether a letter's proposals can be confirmed unseen: sender and category known."""
    return bool(submission.respondent_name.strip()) and submission.category_id is not None


def confirm_proposed(submission: Submission, now: datetime) -> bool:
    """Confirm a letter as proposed, where its sender and category are known (the command's
    `--yes`); False, and left awaiting review, otherwise."""
    if submission.status != SubmissionStatus.REVIEW or not is_known(submission):
        return False
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = now
    db.session.flush()
    return True


def read_again(submission: Submission, letter: Attachment, reading: ImportLimits) -> None:
    """Read the letter's file again with the secretariat's budgets (text recognition of its
    scanned pages included), and file the new text's passages. Raises `LetterRejected`."""
    extracted = extract_letter(letter.data, reading)
    letter.text = extracted.text
    letter.pages = extracted.pages
    letter.needs_text = extracted.needs_text
    letter.ocr_pages = extracted.ocr_pages
    letter.notes = list(extracted.notes)
    file_passages(submission.consultation, letter)
    write_answers(submission, letter)
