"""The høringsliste: who was invited, who has answered, invitations and reminders.

Whether an invited body has answered is worked out when asked, from the responses as they are:

- its organisation number is on a submitted response (the form's optional field): answered;
- the secretariat linked a response to it (a confirmed name proposal, or chosen by hand):
  answered while that response stays submitted;
- a submitted response names the same body (the same body name, see
  `synthesis.resubmissions.body_name`, or the body among those it answers on behalf of):
  *proposed*, until the secretariat confirms or rejects it. A proposal is not yet an answer,
  but a body that probably answered is neither reminded nor listed in public as silent.

Service functions only flush; the view or command commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from hearing.extensions import db
from hearing.imports.invitee_file import InviteeRow
from hearing.models import (
    Consultation,
    InvitationSettings,
    Invitee,
    MatchMethod,
    MatchStatus,
    MessageKind,
    RespondentCategory,
    Status,
    Submission,
    SubmissionOrgNumber,
    SubmissionStatus,
)
from hearing.services import outbox
from hearing.services.references import hash_token
from synthesis import org_number
from synthesis.minhash import words
from synthesis.resubmissions import body_name
from synthesis.snapshot import Sector

PRIVATE_CATEGORY_WORDS = ("privatperson", "enkeltperson", "private person", "individual")


class InvitationRefused(Exception):
    """Invitations cannot go out now (the consultation has no public page yet)."""


@dataclass(frozen=True)
class Respondent:
    """A submitted response as matching sees it."""

    submission_id: int
    reference: str
    name: str
    body: str  # body_name(name)
    behalf_words: tuple[str, ...]  # the words of "on behalf of", in order
    org_number: str | None


@dataclass(frozen=True)
class InviteeStatus:
    invitee: Invitee
    status: MatchStatus  # NONE: not answered; PROPOSED: to confirm; CONFIRMED: answered
    method: str  # MatchMethod, or "" when none
    respondent: Respondent | None

    @property
    def answered(self) -> bool:
        return self.status == MatchStatus.CONFIRMED

    @property
    def may_have_answered(self) -> bool:
        return self.status != MatchStatus.NONE


# The list ------------------------------------------------------------------------------------


def settings_or_default(consultation: Consultation) -> InvitationSettings:
    """The stored settings, or the defaults (no reminder, not listed), not added."""
    found = db.session.get(InvitationSettings, consultation.id)
    return found or InvitationSettings(consultation_id=consultation.id, list_not_answered=False)


def settings_of(consultation: Consultation) -> InvitationSettings:
    """The consultation's settings, added to the session when there were none."""
    found = db.session.get(InvitationSettings, consultation.id)
    if found is None:
        found = InvitationSettings(consultation_id=consultation.id, list_not_answered=False)
        db.session.add(found)
    return found


def invitees_of(consultation: Consultation) -> list[Invitee]:
    return list(
        db.session.scalars(
            select(Invitee)
            .where(Invitee.consultation_id == consultation.id)
            .order_by(Invitee.category, Invitee.name, Invitee.id)
        )
    )


def is_private_category(consultation: Consultation, category: str) -> bool:
    """A category that names private persons: the consultation's own individual categories,
    or words like "Privatperson"."""
    folded = category.strip().casefold()
    if not folded:
        return False
    if any(word in folded for word in PRIVATE_CATEGORY_WORDS):
        return True
    return any(
        c.sector == Sector.INDIVIDUAL and folded in (c.name.casefold(), c.label.casefold())
        for c in db.session.scalars(
            select(RespondentCategory).where(RespondentCategory.consultation_id == consultation.id)
        )
    )


@dataclass(frozen=True)
class ImportCount:
    added: int
    updated: int


def import_rows(consultation: Consultation, rows: Iterable[InviteeRow]) -> ImportCount:
    """Add the rows' bodies, or update those already listed (same organisation number, or the
    same name when a row has none): importing a corrected file again changes, not doubles."""
    existing = invitees_of(consultation)
    by_number = {i.org_number: i for i in existing if i.org_number}
    by_name = {_name_key(i.name): i for i in existing if not i.org_number}
    added = updated = 0
    for row in rows:
        found = by_number.get(row.org_number) if row.org_number else None
        found = found or by_name.get(_name_key(row.name))
        if found is None:
            found = Invitee(consultation_id=consultation.id, rejected_submission_ids=[])
            db.session.add(found)
            added += 1
        else:
            updated += 1
        found.name = row.name
        found.org_number = row.org_number
        found.email = row.email
        found.category = row.category
        found.private_person = is_private_category(consultation, row.category)
        if row.org_number:
            by_number[row.org_number] = found
        else:
            by_name[_name_key(row.name)] = found
    db.session.flush()
    return ImportCount(added, updated)


def _name_key(name: str) -> str:
    return " ".join(words(name))


# Matching ------------------------------------------------------------------------------------


def respondents_of(consultation: Consultation) -> list[Respondent]:
    found = db.session.execute(
        select(
            Submission.id,
            Submission.reference,
            Submission.respondent_name,
            Submission.on_behalf_of,
            SubmissionOrgNumber.org_number,
        )
        .outerjoin(SubmissionOrgNumber, SubmissionOrgNumber.submission_id == Submission.id)
        .where(
            Submission.consultation_id == consultation.id,
            Submission.status == SubmissionStatus.SUBMITTED,
        )
        .order_by(Submission.submitted_at, Submission.id)
    )
    return [
        Respondent(sid, reference, name, body_name(name), tuple(words(behalf)), number)
        for sid, reference, name, behalf, number in found
    ]


def statuses(consultation: Consultation) -> list[InviteeStatus]:
    """Every invitee with whether (and how) it has answered."""
    respondents = respondents_of(consultation)
    by_id = {r.submission_id: r for r in respondents}
    by_number: dict[str, Respondent] = {}
    by_body: dict[str, list[Respondent]] = defaultdict(list)
    for respondent in respondents:
        if respondent.org_number:
            by_number.setdefault(respondent.org_number, respondent)
        if respondent.body:
            by_body[respondent.body].append(respondent)
    return [
        _status(invitee, by_id, by_number, by_body, respondents)
        for invitee in invitees_of(consultation)
    ]


def _status(
    invitee: Invitee,
    by_id: dict[int, Respondent],
    by_number: dict[str, Respondent],
    by_body: dict[str, list[Respondent]],
    respondents: list[Respondent],
) -> InviteeStatus:
    if invitee.org_number and invitee.org_number in by_number:
        respondent = by_number[invitee.org_number]
        return InviteeStatus(invitee, MatchStatus.CONFIRMED, MatchMethod.ORG_NUMBER, respondent)
    if invitee.match_status == MatchStatus.CONFIRMED and invitee.submission_id in by_id:
        respondent = by_id[invitee.submission_id]
        return InviteeStatus(invitee, MatchStatus.CONFIRMED, invitee.match_method, respondent)
    rejected = set(invitee.rejected_submission_ids or ())
    for respondent in _named(invitee, by_body, respondents):
        if respondent.submission_id not in rejected:
            return InviteeStatus(invitee, MatchStatus.PROPOSED, MatchMethod.NAME, respondent)
    return InviteeStatus(invitee, MatchStatus.NONE, "", None)


def _named(
    invitee: Invitee, by_body: dict[str, list[Respondent]], respondents: list[Respondent]
) -> list[Respondent]:
    """Responses that name the invitee: as their body, or among those answered for."""
    found = list(by_body.get(body_name(invitee.name), ()))
    wanted = tuple(words(invitee.name))
    if wanted:
        size = len(wanted)
        found += [
            r
            for r in respondents
            if r not in found
            and any(
                r.behalf_words[i : i + size] == wanted
                for i in range(len(r.behalf_words) - size + 1)
            )
        ]
    return found


def confirm(invitee: Invitee, submission_id: int, method: MatchMethod) -> None:
    """The secretariat says this response is the invitee's answer."""
    invitee.submission_id = submission_id
    invitee.match_status = MatchStatus.CONFIRMED
    invitee.match_method = method
    invitee.rejected_submission_ids = [
        i for i in invitee.rejected_submission_ids or () if i != submission_id
    ]
    db.session.flush()


def reject(invitee: Invitee, submission_id: int) -> None:
    """The secretariat says this response is not the invitee's: never proposed again."""
    invitee.rejected_submission_ids = sorted(
        {*(invitee.rejected_submission_ids or ()), submission_id}
    )
    if invitee.submission_id == submission_id:
        unlink(invitee)
    db.session.flush()


def unlink(invitee: Invitee) -> None:
    invitee.submission_id = None
    invitee.match_status = MatchStatus.NONE
    invitee.match_method = ""
    db.session.flush()


def submitted_response(consultation: Consultation, reference: str) -> Submission | None:
    """A submitted response of the consultation by its reference (to link by hand)."""
    return db.session.scalar(
        select(Submission).where(
            Submission.consultation_id == consultation.id,
            Submission.reference == reference.strip().upper(),
            Submission.status == SubmissionStatus.SUBMITTED,
        )
    )


def public_not_answered(consultation: Consultation) -> tuple[str, ...]:
    """Names of invited bodies that have not answered, for the public summary, when the
    secretariat chose to list them. Organisations only: a private person is never named,
    whatever the list says, and nor is a body that may have answered (a proposal)."""
    settings = db.session.get(InvitationSettings, consultation.id)
    if settings is None or not settings.list_not_answered:
        return ()
    return tuple(
        sorted(
            (
                s.invitee.name
                for s in statuses(consultation)
                if not s.may_have_answered and not s.invitee.private_person
            ),
            key=str.casefold,
        )
    )


# Org numbers on responses --------------------------------------------------------------------


def keep_org_number(token: str, written: str | None, *, new: bool) -> None:
    """Store (or clear) the organisation number given on the response form (flush only). The
    form has checked it already; an invalid one here is not stored. A `new` response without
    one costs nothing."""
    number = org_number.normalise(written or "")
    if new and not number:
        return
    submission_id = db.session.scalar(
        select(Submission.id).where(Submission.resume_token_hash == hash_token(token))
    )
    if submission_id is None:
        return
    stored = db.session.get(SubmissionOrgNumber, submission_id)
    if number and org_number.is_valid(number):
        if stored is None:
            db.session.add(SubmissionOrgNumber(submission_id=submission_id, org_number=number))
        else:
            stored.org_number = number
    elif stored is not None:
        db.session.delete(stored)
    db.session.flush()


def org_number_of(submission: Submission) -> str:
    stored = db.session.get(SubmissionOrgNumber, submission.id)
    return stored.org_number if stored is not None else ""


# Invitations and reminders -------------------------------------------------------------------


def queue_invitations(consultation: Consultation, base_url: str, now: datetime) -> list[int]:
    """An invitation to every listed body with an address that has not had one (flush only)."""
    if consultation.status_at(now) not in (Status.OPEN, Status.SCHEDULED):
        raise InvitationRefused(consultation.status_at(now))
    queued = []
    for invitee in invitees_of(consultation):
        if not invitee.email or invitee.invited_at is not None:
            continue
        message = outbox.enqueue(
            MessageKind.INVITATION,
            invitee.email,
            language=consultation.language or "nb",
            params={"invitee_id": invitee.id, "base_url": base_url},
            consultation_id=consultation.id,
            dedupe_key=f"invitation:{invitee.id}",
        )
        invitee.invited_at = now
        if message is not None:
            queued.append(message.id)
    db.session.flush()
    return queued


def reminders_due(consultation: Consultation, now: datetime) -> bool:
    settings = db.session.get(InvitationSettings, consultation.id)
    if settings is None or not settings.reminder_days_before or consultation.closes_at is None:
        return False
    starts = consultation.closes_at - timedelta(days=settings.reminder_days_before)
    return starts <= now and consultation.is_accepting_responses(now)


def queue_reminders(now: datetime, base_url: str) -> list[int]:
    """A reminder, once, to every body with an address that may not have answered, in each
    open consultation whose reminder day has come (flush only; `hearing send-reminders`)."""
    queued = []
    open_ones = db.session.scalars(
        select(Consultation)
        .join(InvitationSettings, InvitationSettings.consultation_id == Consultation.id)
        .where(Consultation.status == Status.OPEN, InvitationSettings.reminder_days_before > 0)
    )
    for consultation in open_ones:
        if not reminders_due(consultation, now):
            continue
        for status in statuses(consultation):
            invitee = status.invitee
            if status.may_have_answered or not invitee.email or invitee.reminded_at:
                continue
            message = outbox.enqueue(
                MessageKind.REMINDER,
                invitee.email,
                language=consultation.language or "nb",
                params={"invitee_id": invitee.id, "base_url": base_url},
                consultation_id=consultation.id,
                dedupe_key=f"reminder:{invitee.id}",
            )
            invitee.reminded_at = now
            if message is not None:
                queued.append(message.id)
    db.session.flush()
    return queued


def may_have_answered(invitee: Invitee) -> bool:
    """For a reminder about to be sent: has the body answered (or probably) since?"""
    return any(
        s.may_have_answered for s in statuses(invitee.consultation) if s.invitee.id == invitee.id
    )
