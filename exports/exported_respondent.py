"""A respondent as the compiled summary shows them, apart from how the summary is built.

`exports.synthesis_view` resolves the synthesis's respondent keys to these, and
`exports.summary` builds them; keeping the type in neither lets both import it without
importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from synthesis.snapshot import Consent, Sector


@dataclass(frozen=True, slots=True)
class ExportedRespondent:
    """A respondent as the summary shows them; `key` and `email` are empty in public output."""

    export_id: str  # "r1", "r2", … in respondent order; safe to publish, unlike the key
    key: str
    display_name: str
    on_behalf_of: str
    category: str  # the category label, e.g. "Forvaltning (Offentlig)"
    sector: Sector | None
    email: str
    submitted_at: datetime | None
    consent: Consent
    anonymised: bool
    # The id of the respondent's own public page (a published edition's respondents only).
    page_id: str = ""
