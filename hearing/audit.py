"""Recording secretariat actions. Adds to the session; the request's single commit stores it."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from hearing.extensions import db
from hearing.models import AuditEvent


def record(
    action: str,
    *,
    target: Any = None,
    consultation_id: int | None = None,
    actor: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Log `action` by the current user (or `actor`, for CLI commands) on `target`."""
    user = current_user if current_user and current_user.is_authenticated else None
    event = AuditEvent(
        user_id=user.id if user else None,
        actor=actor or (user.email if user else "system"),
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=str(getattr(target, "id", "") or "") if target is not None else "",
        consultation_id=consultation_id,
        details={key: value for key, value in details.items() if value is not None},
    )
    db.session.add(event)
    return event
