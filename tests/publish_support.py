"""Publishing in tests as the secretariat would: a public synthesis run, then a publication."""

from __future__ import annotations

from hearing.extensions import db
from hearing.models import Consultation, Publication, RunScope, Status
from hearing.services import publication as publishing
from hearing.services import synthesis_runs


def publish_now(
    consultation: Consultation, *, count_refused_positions: bool = False
) -> Publication:
    """Close if needed, run the synthesis of the publishable answers, publish, commit."""
    if consultation.status not in (Status.CLOSED, Status.PUBLISHED):
        consultation.status = Status.CLOSED
    synthesis_runs.run_inline(consultation, synthesis_runs.run_parameters(), scope=RunScope.PUBLIC)
    made = publishing.publish(
        consultation, actor="test", count_refused_positions=count_refused_positions
    )
    db.session.commit()
    return made
