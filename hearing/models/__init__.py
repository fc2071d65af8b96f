"""The domain model (typed SQLAlchemy 2.0)."""

from hearing.models.attachment import Attachment, LetterPassage
from hearing.models.audit import AuditEvent
from hearing.models.coding import AnswerNote, AnswerReview, Code, CodeAssignment
from hearing.models.consultation import Consultation, Question, RespondentCategory, Status
from hearing.models.invitee import (
    InvitationSettings,
    Invitee,
    MatchMethod,
    MatchStatus,
    SubmissionOrgNumber,
)
from hearing.models.mail_preference import MailPreference, NoticeChoice
from hearing.models.outbox import MessageKind, MessageStatus, OutboxMessage
from hearing.models.private_link import PrivateLink
from hearing.models.publication import Publication, PublicationStatus, PublishedSummary
from hearing.models.redaction import Redaction, RedactionReason
from hearing.models.response_page import ResponsePage
from hearing.models.submission import (
    Answer,
    Source,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
)
from hearing.models.synthesis_run import (
    RunScope,
    RunStatus,
    StepStatus,
    SynthesisRun,
    SynthesisRunPart,
    SynthesisRunStep,
    ThemeEdit,
)
from hearing.models.user import Role, User

__all__ = [
    "Answer",
    "AnswerNote",
    "AnswerReview",
    "Attachment",
    "AuditEvent",
    "Code",
    "CodeAssignment",
    "Consultation",
    "InvitationSettings",
    "Invitee",
    "LetterPassage",
    "MailPreference",
    "MatchMethod",
    "MatchStatus",
    "MessageKind",
    "MessageStatus",
    "NoticeChoice",
    "OutboxMessage",
    "PrivateLink",
    "Publication",
    "PublicationStatus",
    "PublishedSummary",
    "Question",
    "Redaction",
    "RedactionReason",
    "RespondentCategory",
    "ResponsePage",
    "Role",
    "RunScope",
    "RunStatus",
    "Source",
    "Status",
    "StepStatus",
    "Submission",
    "SubmissionOrgNumber",
    "SubmissionStatus",
    "SubmissionVersion",
    "SynthesisRun",
    "SynthesisRunPart",
    "SynthesisRunStep",
    "ThemeEdit",
    "User",
]
