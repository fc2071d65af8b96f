"""Publishing a consultation's summary: a deliberate, audited act that freezes a public edition.

What becomes public is built from the publishable answers alone (`synthesis.publishable`) and the
latest *public* synthesis run, which analysed exactly those answers; a run that no longer matches
them (a response withdrawn, hidden or erased since) is refused, never used. The edition is frozen
(`hearing.models.publication`): later runs, theme edits or changes do not alter it, the
secretariat is told it is out of date (`out_of_date_reasons`) and republishes. Hiding or erasing
a response of a published consultation republishes at once (`republish_at_once`), computing a
fresh public run in the same transaction, so the removed words are gone from every public
output when the request commits. Adding a redaction does the same
(`hearing.services.redactions`); the public snapshot is redacted (`synthesis.publishable`).
Each published response's page is read from the edition too: it freezes the page ids and the
letters those pages show (`hearing.services.response_pages`).

Service functions only flush; the caller commits once.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from exports.frozen_summary import freeze, thaw
from exports.summary import CompiledSummary, SynthesisInputs, build_summary
from hearing import audit
from hearing.caching import app_cache
from hearing.extensions import db
from hearing.models import (
    Consultation,
    Publication,
    PublicationStatus,
    PublishedSummary,
    RunScope,
    Status,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    SynthesisRun,
    ThemeEdit,
)
from hearing.models.types import utcnow
from hearing.services import redactions, response_pages, synthesis_runs
from hearing.services.input_fingerprint import remembered
from hearing.services.invitees import public_not_answered
from hearing.services.snapshots import snapshot_of
from hearing.version import software_version
from synthesis.publishable import PublicationCounts, publication_counts, publishable

DIRECTORY = "published"  # in the instance folder unless PUBLISHED_FILES_DIR says otherwise
THAWED_KEY = "hearing_published_summaries"
THAWED_MAX = 16


class PublishRefused(Exception):
    """Publishing cannot go ahead; the message (translated) says why and what to do."""


@dataclass(frozen=True)
class PublicationPlan:
    """What publishing now would make public, for the confirmation page and the terminal."""

    counts: PublicationCounts
    drafts: int
    withdrawn: int
    awaiting_review: int  # registered letters not yet confirmed: they count nowhere until then
    run: synthesis_runs.LatestResult | None  # the current public run, if there is one

    @property
    def input_hash(self) -> str:
        return self.run.run.input_hash if self.run is not None else ""


def plan(consultation: Consultation) -> PublicationPlan:
    """Counts of what would be published, left out and why, and the public run to use."""
    statuses = dict(
        db.session.execute(
            select(Submission.status, func.count(Submission.id))
            .where(Submission.consultation_id == consultation.id)
            .group_by(Submission.status)
        ).all()
    )
    return PublicationPlan(
        # Every answer is read once per change of the responses, not once per page view.
        counts=remembered(
            consultation,
            "publication counts",
            lambda: publication_counts(snapshot_of(consultation)),
        ),
        drafts=statuses.get(SubmissionStatus.DRAFT, 0),
        withdrawn=statuses.get(SubmissionStatus.WITHDRAWN, 0),
        awaiting_review=statuses.get(SubmissionStatus.REVIEW, 0),
        run=synthesis_runs.current_public_result(consultation),
    )


def publish(
    consultation: Consultation,
    *,
    actor: str,
    expected_input_hash: str | None = None,
    count_refused_positions: bool | None = None,
    reason: str = "",
) -> Publication:
    """Make a new current publication from the current public run (flush only; audited).

    `expected_input_hash`: the run the secretariat confirmed; if the answers changed since the
    confirmation page was shown, publishing is refused rather than publishing something else."""
    if consultation.status not in (Status.CLOSED, Status.PUBLISHED):
        raise PublishRefused(_("Bare en lukket høring kan publiseres."))
    if count_refused_positions is not None:
        consultation.count_refused_positions = count_refused_positions
    current = plan(consultation)
    if current.run is None:
        raise PublishRefused(
            _(
                "Ingen sammenstilling av de publiserbare svarene er oppdatert. "
                "Kjør sammenstillingen for publisering først."
            )
        )
    if expected_input_hash is not None and expected_input_hash != current.input_hash:
        raise PublishRefused(
            _("Svarene er endret siden du så oversikten. Se over det som blir publisert på nytt.")
        )
    made = _make_publication(consultation, current, actor=actor, reason=reason)
    audit.record(
        "publication.publish",
        target=consultation,
        consultation_id=consultation.id,
        actor=actor,
        number=made.number,
        run_id=made.run_id,
        **made.counts,
    )
    return made


def republish_at_once(
    consultation: Consultation, *, actor: str | None, reason: str
) -> Publication | None:
    """After a response was hidden or erased: a new edition without it, now (flush only).

    Nothing happens unless the consultation is published. The public run is computed here, with
    the parameters of the run the previous edition used."""
    previous = current_publication(consultation)
    if previous is None:
        return None
    synthesis_runs.run_inline(consultation, _parameters_of(previous), scope=RunScope.PUBLIC)
    publication = _make_publication(
        consultation, plan(consultation), actor=actor_name(actor), reason=reason
    )
    audit.record(
        "publication.republish",
        target=consultation,
        consultation_id=consultation.id,
        actor=actor,
        number=publication.number,
        reason=reason,
    )
    return publication


def _make_publication(
    consultation: Consultation, current: PublicationPlan, *, actor: str, reason: str
) -> Publication:
    assert current.run is not None
    for older in db.session.scalars(
        select(Publication).where(
            Publication.consultation_id == consultation.id,
            Publication.status == PublicationStatus.CURRENT,
        )
    ):
        older.status = PublicationStatus.SUPERSEDED
        older.summaries.clear()  # not served any more, and may hold what was just removed
    number = (
        db.session.scalar(
            select(func.max(Publication.number)).where(
                Publication.consultation_id == consultation.id
            )
        )
        or 0
    ) + 1
    now = utcnow()
    consultation.status = Status.PUBLISHED
    if consultation.published_at is None:
        consultation.published_at = now
    db.session.flush()  # the consultation's version below is then the published one's
    publication = Publication(
        consultation_id=consultation.id,
        number=number,
        status=PublicationStatus.CURRENT,
        run_id=current.run.run.id,
        input_hash=current.input_hash,
        theme_edit_watermark=_theme_edit_watermark(consultation),
        consultation_version=consultation.updated_at,
        count_refused_positions=consultation.count_refused_positions,
        counts={
            "named": current.counts.named,
            "anonymised": current.counts.anonymised,
            "refused": current.counts.refused,
            "hidden": current.counts.hidden,
            "drafts": current.drafts,
            "withdrawn": current.withdrawn,
            # Frozen like the rest: who was invited and had not answered when it was published.
            "invited_not_answered": list(public_not_answered(consultation)),
            "redactions": redactions.fingerprint(consultation.id),
        },
        reason=reason,
        created_at=now,
        created_by=actor,
    )
    inputs = synthesis_runs.summary_inputs(current.run)
    snapshot = snapshot_of(consultation)
    # Every published response gets (or keeps) its page; the edition freezes the ids.
    ids = response_pages.page_ids(consultation, (r.key for r in publishable(snapshot).respondents))
    for locale in current_app.config["LANGUAGES"]:
        summary = _public_summary(
            consultation, snapshot, inputs, locale, exported_at=now, page_ids=ids
        )
        summary = replace(
            summary, letters=response_pages.published_letters(consultation, summary, ids)
        )
        publication.summaries.append(PublishedSummary(locale=locale, content=freeze(summary)))
    db.session.add(publication)
    remove_published_files(consultation)
    db.session.flush()
    return publication


def _public_summary(
    consultation: Consultation,
    snapshot: Any,
    inputs: SynthesisInputs | None,
    locale: str,
    *,
    exported_at: Any,
    page_ids: dict[str, str] | None = None,
) -> CompiledSummary:
    return build_summary(
        snapshot,
        audience="public",
        locale=locale,
        synthesis=inputs,
        exported_at=exported_at,
        software_version=software_version(),
        count_refused_positions=consultation.count_refused_positions,
        page_ids=page_ids,
    )


def preview_summary(
    consultation: Consultation,
    locale: str,
    current: synthesis_runs.LatestResult | None = None,
) -> CompiledSummary:
    """The public summary publishing now would freeze (themes only from a current public run;
    `current`, when the caller has already found it, saves hashing every answer again)."""
    if current is None:
        current = synthesis_runs.current_public_result(consultation)
    inputs = synthesis_runs.summary_inputs(current) if current is not None else None
    return _public_summary(
        consultation, snapshot_of(consultation), inputs, locale, exported_at=utcnow()
    )


def public_summary(consultation: Consultation, locale: str) -> CompiledSummary:
    """The current publication's frozen summary; before publication, what it would be."""
    publication = current_publication(consultation)
    if publication is None:
        return preview_summary(consultation, locale)
    return published_summary(publication, locale)


def withdraw(consultation: Consultation, *, actor: str, reason: str) -> Publication:
    """Take the current publication down (flush only; audited); the page then says so."""
    publication = current_publication(consultation)
    if publication is None:
        raise PublishRefused(_("Høringen har ingen publisert oppsummering."))
    publication.status = PublicationStatus.WITHDRAWN
    publication.withdrawn_at = utcnow()
    publication.withdrawn_by = actor
    publication.withdrawn_reason = reason
    publication.summaries.clear()
    remove_published_files(consultation)
    consultation.status = Status.CLOSED
    audit.record(
        "publication.withdraw",
        target=consultation,
        consultation_id=consultation.id,
        actor=actor,
        number=publication.number,
        reason=reason,
    )
    db.session.flush()
    return publication


def current_publication(consultation: Consultation) -> Publication | None:
    return db.session.scalar(
        select(Publication).where(
            Publication.consultation_id == consultation.id,
            Publication.status == PublicationStatus.CURRENT,
        )
    )


def latest_publication(consultation: Consultation) -> Publication | None:
    """The newest publication whatever its status (to tell a withdrawn summary from none)."""
    return db.session.scalar(
        select(Publication)
        .where(Publication.consultation_id == consultation.id)
        .order_by(Publication.number.desc())
        .limit(1)
    )


def published_summary(publication: Publication, locale: str) -> CompiledSummary:
    """The frozen public summary of `publication` in `locale` (thawed once per process)."""

    def thawed() -> CompiledSummary:
        stored = db.session.scalar(
            select(PublishedSummary).where(
                PublishedSummary.publication_id == publication.id,
                PublishedSummary.locale == locale,
            )
        )
        if stored is None:
            raise LookupError(f"publication {publication.id} has no summary in {locale!r}")
        return thaw(stored.content)

    cache = app_cache(THAWED_KEY, THAWED_MAX)
    summary: CompiledSummary = cache.get_or_make((publication.id, locale), thawed)
    return summary


def out_of_date_reasons(consultation: Consultation, publication: Publication) -> list[str]:
    """Why the current edition no longer shows what publishing now would (translated)."""
    reasons = []
    if (
        publication.consultation_version is not None
        and consultation.updated_at > publication.consultation_version
    ):
        reasons.append(_("Høringen (tittel, spørsmål eller kategorier) er endret."))
    if _theme_edit_watermark(consultation) > publication.theme_edit_watermark:
        reasons.append(_("Temaene er redigert."))
    if list(public_not_answered(consultation)) != publication.counts.get(
        "invited_not_answered", []
    ):
        reasons.append(_("Listen over inviterte som ikke har svart, er endret."))
    if consultation.count_refused_positions != publication.count_refused_positions:
        reasons.append(
            _("Valget om å telle standpunkter fra svar som ikke skal publiseres, er endret.")
        )
    made_with = publication.counts.get("redactions", redactions.NONE_FINGERPRINT)
    if redactions.fingerprint(consultation.id) != made_with:
        reasons.append(_("Sladdingen av svar er endret."))
    if _corrected_since(consultation, publication):
        reasons.append(_("Svar er rettet etter publiseringen."))
    parameters = _parameters_of(publication)
    now = synthesis_runs.input_hash_now(consultation, parameters, RunScope.PUBLIC)
    if now != publication.input_hash:
        reasons.append(_("De publiserbare svarene er endret."))
    newer_run = db.session.scalar(
        select(func.max(SynthesisRun.id)).where(
            SynthesisRun.consultation_id == consultation.id,
            SynthesisRun.scope == RunScope.PUBLIC,
            SynthesisRun.result.is_not(None),
        )
    )
    if newer_run is not None and publication.run_id is not None and newer_run > publication.run_id:
        reasons.append(_("Det finnes en nyere sammenstilling for publisering."))
    return reasons


def _corrected_since(consultation: Consultation, publication: Publication) -> bool:
    """Whether a response was changed after the edition (each change keeps a version): the
    answers' hash misses a corrected date, consent or "on behalf of"."""
    corrected = (
        select(SubmissionVersion.id)
        .join(Submission)
        .where(
            Submission.consultation_id == consultation.id,
            SubmissionVersion.created_at > publication.created_at,
        )
    )
    return db.session.scalar(corrected.limit(1)) is not None


def actor_name(actor: str | None) -> str:
    """Who acts: the given name (the terminal's "cli"), else the signed-in user's e-mail."""
    if actor:
        return actor
    user = current_user if current_user and current_user.is_authenticated else None
    return user.email if user is not None else "system"


def _parameters_of(publication: Publication) -> dict[str, Any]:
    """The parameters of the run the publication used (the defaults if it is gone)."""
    run = db.session.get(SynthesisRun, publication.run_id) if publication.run_id else None
    return run.parameters if run is not None else synthesis_runs.run_parameters()


def store_directory() -> Path:
    """Where the public files of publications are kept (see hearing.published_files)."""
    configured = current_app.config.get("PUBLISHED_FILES_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / DIRECTORY


def remove_published_files(consultation: Consultation) -> None:
    """Delete every cached public file of the consultation; the current publication's are
    rewritten from its frozen summary on the next download."""
    shutil.rmtree(store_directory() / str(consultation.id), ignore_errors=True)


def _theme_edit_watermark(consultation: Consultation) -> int:
    return (
        db.session.scalar(
            select(func.max(ThemeEdit.id)).where(ThemeEdit.consultation_id == consultation.id)
        )
        or 0
    )
