"""Data-safety commands: backup and restore, one respondent's data, erasure, e-mail retention."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Submission
from hearing.services.backup import BackupError, restore_backup, write_backup
from hearing.services.privacy import erase_respondent, purge_expired_emails, respondent_data


def _submission(reference: str) -> Submission:
    found = db.session.scalar(select(Submission).where(Submission.reference == reference))
    if found is None:
        raise click.ClickException(f"Fant ingen innsending med referanse {reference}.")
    return found


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write the whole database (consultations, responses, synthesis, users) to PATH."""
    with path.open("wb") as stream:
        counts = write_backup(stream)
    click.echo(
        f"Sikkerhetskopi skrevet til {path}: "
        + ", ".join(f"{name} {count}" for name, count in counts.items() if count)
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Empty a database that already holds data first.")
def restore_command(path: Path, replace: bool) -> None:
    """Restore a backup written by `hearing backup` into this (migrated) database."""
    try:
        with path.open("rb") as stream:
            counts = restore_backup(stream, replace=replace)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Gjenopprettet {sum(counts.values())} rader fra {path}.")


@click.command("respondent-data")
@click.argument("reference")
def respondent_data_command(reference: str) -> None:
    """Print everything held about the respondent with REFERENCE, as JSON."""
    json.dump(respondent_data(_submission(reference)), sys.stdout, ensure_ascii=False, indent=2)
    click.echo()


@click.command("erase-respondent")
@click.argument("reference")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_respondent_command(reference: str, yes: bool) -> None:
    """Erase one respondent's personal data and answers (logged in the audit trail)."""
    submission = _submission(reference)
    if not yes:
        click.confirm(f"Slette {submission.respondent_name or reference} for godt?", abort=True)
    erase_respondent(submission, actor="cli")
    db.session.commit()
    click.echo(f"Innsending {reference} er slettet.")


@click.command("purge-emails")
@click.option("--days", type=int, default=None, help="Override EMAIL_RETENTION_DAYS.")
def purge_emails_command(days: int | None) -> None:
    """Remove contact e-mails of consultations published longer ago than the retention period."""
    retention = days if days is not None else current_app.config["EMAIL_RETENTION_DAYS"]
    purged = purge_expired_emails(retention, actor="cli")
    db.session.commit()
    click.echo(f"Fjernet e-postadressen fra {purged} innsendinger (eldre enn {retention} dager).")


COMMANDS = (
    backup_command,
    restore_command,
    respondent_data_command,
    erase_respondent_command,
    purge_emails_command,
)
