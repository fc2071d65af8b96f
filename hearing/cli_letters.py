"""`hearing import-letters PATH --slug S [--yes]`: letters that came by post or e-mail, many at
once, from a folder or a zip of PDF, DOCX and ODT files; each file one response.

Every file that can be read is registered, awaiting review; a file that cannot is listed with
its reason and the others go on. With `--yes` a letter whose sender and category are known is
confirmed as proposed; the others wait for review on the consultation's letters page, and the
command says how many. The same file registered again is found, not doubled.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from hearing import audit
from hearing.extensions import db
from hearing.models import Submission, SubmissionStatus
from hearing.models.types import utcnow
from hearing.services import letters
from hearing.services.attachments import AttachmentLimits
from hearing.services.letter_batch import BatchLimits, from_path, register_batch
from hearing.services.long_import import find_consultation


def _describe(submission: Submission) -> str:
    """ "Helsedirektoratet (Statlig etat (Offentlig)); tekst til spørsmål 2, 4; venter på
    gjennomgang": who, where its text went, and what is left to do."""
    who = submission.respondent_name or "ukjent avsender"
    if submission.category is not None:
        who += f" ({submission.category.label})"
    answered = sorted((a for a in submission.answers if a.text), key=lambda a: a.question.position)
    codes = ", ".join(a.question.code for a in answered)
    parts = [who, f"tekst til spørsmål {codes}" if codes else "ingen tekst under spørsmål"]
    letter = letters.letter_of(submission)
    if letter is not None and letter.needs_text:
        parts.append("trenger tekst")
    parts.append(
        "venter på gjennomgang" if submission.status == SubmissionStatus.REVIEW else "bekreftet"
    )
    return "; ".join(parts)


@click.command("import-letters")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--slug", required=True, help="The consultation the letters answer.")
@click.option(
    "--yes",
    is_flag=True,
    help="Confirm letters whose sender and category are known without review.",
)
def import_letters_command(path: Path, slug: str, yes: bool) -> None:
    """Register letters (a folder or a zip of PDF, DOCX and ODT files; one response each)."""
    config = current_app.config
    locale = config.get("BABEL_DEFAULT_LOCALE", "nb")
    consultation = find_consultation(slug)
    if consultation is None:
        raise click.ClickException(f"Fant ingen høring med adressen «{slug}».")
    now = utcnow()
    outcome = register_batch(
        consultation,
        from_path(path, BatchLimits.from_config(config)),
        reading=AttachmentLimits.for_letters(config),
        now=now,
        locale=locale,
    )
    found = [submission for _, submission in outcome.registered + outcome.existing]
    confirmed = [s for s in found if letters.confirm_proposed(s, now)] if yes else []
    audit.record(
        "letters.register",
        target=consultation,
        consultation_id=consultation.id,
        actor="cli",
        path=path.name,
        registered=len(outcome.registered),
        confirmed=len(confirmed),
        existing=len(outcome.existing),
        refused=len(outcome.refused),
    )
    db.session.commit()
    for name, submission in outcome.registered:
        click.echo(f"Registrert: {name}: {_describe(submission)}")
    for name, submission in outcome.existing:
        click.echo(f"Fantes fra før: {name} (svar {submission.reference})")
    for name, reason in outcome.refused:
        click.echo(f"Avvist: {name}: {reason}")
    waiting = sum(1 for s in found if s.status == SubmissionStatus.REVIEW)
    click.echo(
        f"{len(outcome.registered)} brev registrert, {len(confirmed)} bekreftet, "
        f"{waiting} venter på gjennomgang, {len(outcome.refused)} avvist."
    )
    if waiting:
        click.echo(
            f"Gå gjennom brevene på /admin/consultations/{consultation.slug}/letters; "
            "de teller ikke med før de er bekreftet."
        )
    if not outcome.registered and not outcome.existing and outcome.refused:
        raise click.ClickException("Ingen av filene kunne registreres.")


COMMANDS = (import_letters_command,)
