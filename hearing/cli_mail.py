"""Mail commands for cron: send what is due, daily digests, reminders to invited bodies.

Each command queues its messages in the outbox and then sends every message that is due, in
this process, one after the other (a command cannot rely on an embedded task queue: it would
die with the command). All are idempotent: run them as often as you like.
"""

from __future__ import annotations

import click
from flask import current_app

from hearing.extensions import db
from hearing.models.types import utcnow
from hearing.services import invitees, outbox
from hearing.services.mail_compose import base_url
from hearing.services.response_mail import queue_digests


def _send_due() -> None:
    if not outbox.is_configured():
        click.echo("Ingen e-posttjener er satt opp (MAIL_SERVER): meldingene blir i køen.")
        return
    counts = outbox.deliver_due()
    if counts:
        click.echo("Utsending: " + ", ".join(f"{status} {n}" for status, n in counts.items()))
    else:
        click.echo("Ingen meldinger å sende nå.")


def _warn_without_base_url() -> None:
    if not current_app.config.get("PUBLIC_BASE_URL"):
        click.echo(
            "Merk: PUBLIC_BASE_URL er ikke satt, så lenkene i e-postene peker til "
            "http://127.0.0.1:5000/.",
            err=True,
        )


@click.command("send-mail")
def send_mail_command() -> None:
    """Send the outbox's due messages now (retries, and messages whose task was lost), and
    delete finished messages older than MAIL_OUTBOX_RETENTION_DAYS."""
    purged = outbox.purge_finished(int(current_app.config["MAIL_OUTBOX_RETENTION_DAYS"]))
    db.session.commit()
    if purged:
        click.echo(f"Slettet {purged} gamle meldinger fra utboksen.")
    _send_due()


@click.command("send-digests")
def send_digests_command() -> None:
    """Queue and send the daily digest of new responses to each user who chose one (at most
    one per user and day; run it from cron, e.g. every morning)."""
    _warn_without_base_url()
    queued = queue_digests(utcnow())
    db.session.commit()
    click.echo(f"{len(queued)} daglige oversikter lagt i køen.")
    _send_due()


@click.command("send-reminders")
def send_reminders_command() -> None:
    """Queue and send a reminder to each invited body (with an address, not answered) of the
    open consultations whose reminder day has come. Each body gets one reminder, however often
    this runs (cron: daily)."""
    _warn_without_base_url()
    queued = invitees.queue_reminders(utcnow(), base_url())
    db.session.commit()
    click.echo(f"{len(queued)} påminnelser lagt i køen.")
    _send_due()


COMMANDS = (send_mail_command, send_digests_command, send_reminders_command)
