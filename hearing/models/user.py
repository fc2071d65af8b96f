"""Secretariat accounts and their roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, validates
from werkzeug.security import check_password_hash, generate_password_hash

from hearing.extensions import db
from hearing.models.types import UTCDateTime, utcnow


class Role(StrEnum):
    """Admins manage users and consultations; analysts read, synthesise and export."""

    ADMIN = "admin"
    ANALYST = "analyst"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.ANALYST)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of every session's user id (see get_id): raising it ends all the user's sessions,
    # even a session cookie copied elsewhere, since a cookie cannot be recalled.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: "<user id>:<session version>"."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Make every existing session of this user invalid on its next request."""
        self.session_version = (self.session_version or 0) + 1

    @validates("password_hash", "role", "active")
    def _end_sessions_on_change(self, key: str, value: object) -> object:
        """A new password, another role or deactivation ends the user's sessions.

        Done here, whichever code changes them (the CLI's password reset, the admin pages, a
        future password form), so no path can forget it. A user being created has no sessions.
        """
        current = getattr(self, key)
        if current is not None and current != value:
            self.end_sessions()
        return value

    def set_password(self, password: str) -> None:
        # werkzeug's default is scrypt with a random salt.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles
