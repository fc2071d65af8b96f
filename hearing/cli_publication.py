"""`hearing publish SLUG [--yes]` and `hearing withdraw-publication SLUG --reason …`.

The terminal does what the publication page does: it shows what will become public (published
by name, anonymised, left out and why, the public synthesis run used), runs the synthesis of
the publishable answers when there is no current one, asks before publishing (`--yes` answers
for you), and audits the act.
"""

from __future__ import annotations

import click
from sqlalchemy import select

from hearing.extensions import db
from hearing.models import Consultation, RunScope
from hearing.models.types import utcnow
from hearing.services import publication as publishing
from hearing.services import synthesis_runs
from hearing.services.consultations import settle_statuses

ACTOR = "cli"


def _consultation(slug: str) -> Consultation:
    settle_statuses(utcnow())  # a deadline passed with no web request since is closed first
    found = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if found is None:
        raise click.ClickException(f"Fant ingen høring med adressen «{slug}».")
    return found


def _describe(plan: publishing.PublicationPlan) -> None:
    counts = plan.counts
    click.echo(f"Publiseres med navn: {counts.named}")
    click.echo(f"Publiseres anonymisert: {counts.anonymised}")
    click.echo(f"Utelates, respondenten ønsket ikke publisering: {counts.refused}")
    click.echo(f"Utelates, skjult av sekretariatet: {counts.hidden}")
    click.echo(f"Ikke med: {plan.drafts} utkast, {plan.withdrawn} trukket")


@click.command("publish")
@click.argument("slug")
@click.option("--yes", is_flag=True, help="Publish without asking (and run the synthesis).")
@click.option(
    "--count-refused-positions/--no-count-refused-positions",
    default=None,
    help="Count the scale answers of respondents who refused publication in the tables.",
)
def publish_command(slug: str, yes: bool, count_refused_positions: bool | None) -> None:
    """Publish the summary of consultation SLUG (a new edition if it is published already)."""
    consultation = _consultation(slug)
    plan = publishing.plan(consultation)
    _describe(plan)
    if plan.run is None:
        click.echo("Ingen sammenstilling av de publiserbare svarene er oppdatert.")
        if not yes and not click.confirm("Kjøre den nå?", default=True):
            raise click.ClickException("Ikke publisert: sammenstillingen må kjøres først.")
        latest = synthesis_runs.latest_result(consultation)
        parameters = latest.run.parameters if latest else synthesis_runs.run_parameters()
        synthesis_runs.run_inline(consultation, parameters, scope=RunScope.PUBLIC)
        plan = publishing.plan(consultation)
    assert plan.run is not None
    click.echo(f"Temaer og kampanjer fra sammenstilling {plan.run.run.id}.")
    if not yes and not click.confirm("Publisere?", default=False):
        db.session.rollback()
        raise click.ClickException("Ikke publisert.")
    try:
        made = publishing.publish(
            consultation,
            actor=ACTOR,
            expected_input_hash=plan.input_hash,
            count_refused_positions=count_refused_positions,
        )
    except publishing.PublishRefused as refused:
        db.session.rollback()
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"Publisert: utgave {made.number} av «{consultation.title}».")


@click.command("withdraw-publication")
@click.argument("slug")
@click.option("--reason", required=True, help="Why; shown where the summary was published.")
def withdraw_publication_command(slug: str, reason: str) -> None:
    """Take the published summary of consultation SLUG down."""
    consultation = _consultation(slug)
    try:
        withdrawn = publishing.withdraw(consultation, actor=ACTOR, reason=reason.strip())
    except publishing.PublishRefused as refused:
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"Utgave {withdrawn.number} er trukket tilbake.")


COMMANDS = (publish_command, withdraw_publication_command)
