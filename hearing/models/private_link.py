"""A sealed copy of a respondent's private link, so it can be sent again by e-mail.

The link's token is never stored in clear (only its hash is on the submission). To send it
again ("send me my link again", the receipt) the token is kept sealed with a key derived from
the app's secret (hearing.services.private_links): the database alone opens no response. The
row hangs off the submission's token hash, so erasing the submission erases it.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hearing.extensions import db


class PrivateLink(db.Model):
    __tablename__ = "private_links"

    token_hash: Mapped[str] = mapped_column(
        String(64),
        ForeignKey("submissions.resume_token_hash", ondelete="CASCADE"),
        primary_key=True,
    )
    sealed: Mapped[str] = mapped_column(String(128))
