"""A submission as a self-contained JSON document, in one form for both of its uses.

Every edit keeps the submission as it was (`SubmissionVersion.data`), and the respondent-data
export (`hearing.services.privacy.respondent_data`) shows the submission as it is and each kept
version beside it: both write `submission_data`, so an earlier version and the current one read
alike. Answers carry their stored value and its words as the question's kind writes them, so
the document stays readable after the scale or the options change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hearing.models import Submission
from hearing.services.response_rows import answer_label


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def submission_data(submission: Submission) -> dict[str, Any]:
    """What the respondent gave (name, category, contact, consent, answers) and when."""
    scale = submission.consultation.scale
    category = submission.category
    return {
        "status": submission.status,
        "submitted_at": iso(submission.submitted_at),
        "received_at": iso(submission.received_at),
        "respondent_name": submission.respondent_name,
        "category": category.label if category else "",
        "on_behalf_of": submission.on_behalf_of,
        "email": submission.email,
        "consent": submission.consent,
        "answers": [
            {
                "question": answer.question.code,
                "value": answer.value,
                "value_label": answer_label(answer, scale) or None,
                "dont_know": answer.dont_know,
                "choices": answer.choices,
                "text": answer.text,
            }
            for answer in sorted(submission.answers, key=lambda a: a.question.position)
        ],
    }
