"""`hearing synthesize SLUG` runs the synthesis in-process; `hearing worker` executes queued runs.

`synthesize` stores its run like the web pages do, so the analyst's pages and the exports show a
result computed on the command line. `worker` is the executor for `SYNTHESIS_EXECUTOR = "worker"`:
a separate process that polls the runs table, so long runs never share the web process. A worker
starting up is usually one restarted after a crash or a kill, so it first marks failed the runs
whose process died (`run_heartbeat`), which would otherwise show "running" until a page looks.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import click
from sqlalchemy import select

from hearing import audit
from hearing.extensions import db
from hearing.models import Consultation, RunStatus
from hearing.services import synthesis_runs
from hearing.services.run_heartbeat import recover_stale_runs
from hearing.services.snapshots import snapshot_of
from synthesis.pipeline import SynthesisResult

STAGE_NAMES = {
    "tabulation": "Tabellering",
    "duplicates": "Duplikater og kampanjer",
    "themes": "Temaer",
    "opinion_groups": "Meningsgrupper",
}


@click.command("synthesize")
@click.argument("slug")
@click.option(
    "--themes",
    "n_themes",
    type=click.IntRange(2, 30),
    default=None,
    help="Number of themes per question (default: chosen per question).",
)
@click.option("--random-state", type=int, default=None, help="Seed (default: config).")
@click.option("--campaigns-once", is_flag=True, help="Report tables counting each campaign once.")
@click.option("--force", is_flag=True, help="Run even if the latest run had the same input.")
def synthesize_command(
    slug: str, n_themes: int | None, random_state: int | None, campaigns_once: bool, force: bool
) -> None:
    """Tabulate positions, find duplicates, themes and opinion groups, and store the run."""
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if consultation is None:
        raise click.ClickException(f"Fant ingen høring med adressen «{slug}».")
    parameters = synthesis_runs.run_parameters(
        random_state=random_state, n_themes=n_themes, count_campaigns_once=campaigns_once
    )
    try:
        requested = synthesis_runs.request_run(consultation, parameters, force=force)
    except synthesis_runs.RunRefused as refused:
        raise click.ClickException(str(refused)) from None
    if requested.reused:
        db.session.rollback()
        click.echo(
            f"Kjøring {requested.run.id} ({requested.run.status}) har allerede de samme svarene "
            "og parameterne; ingenting å gjøre. Bruk --force for å kjøre likevel."
        )
        return
    run = requested.run
    audit.record(
        "synthesis.start", target=run, consultation_id=consultation.id, actor="cli", **parameters
    )
    db.session.commit()
    click.echo(f"Kjøring {run.id} for «{consultation.title}»")

    shown: list[str] = []

    def echo_stage(stage: str, percent: int) -> None:
        if not shown or shown[-1] != stage:
            shown.append(stage)
            click.echo(f"  {percent:3d} %  {STAGE_NAMES.get(stage, stage)} …")

    synthesis_runs.execute_run(run.id, on_progress=echo_stage)
    db.session.refresh(run)
    if run.status != RunStatus.DONE:
        raise click.ClickException(f"Kjøring {run.id} feilet: {run.error}")
    click.echo("  100 %  ferdig")
    names = {r.key: r.name for r in snapshot_of(consultation).respondents}
    for line in summary_lines(SynthesisResult.from_dict(run.result or {}), names):
        click.echo(line)


def summary_lines(result: SynthesisResult, names: Mapping[str, str]) -> list[str]:
    """Stage timings and a short account of what the run found."""
    lines = ["Tid per steg:"]
    lines += [
        f"  {STAGE_NAMES.get(stage, stage)}: {seconds:.2f} s"
        for stage, seconds in result.timings.items()
    ]
    lines.append(f"Svar analysert: {result.respondent_count}")
    once = bool(result.parameters.get("count_campaigns_once"))
    lines.append("Standpunkter" + (" (kampanjer telt én gang):" if once else ":"))
    for table in result.reported_tabulations:
        tally = ", ".join(
            f"{label} {count}"
            for label, count in zip(table.labels, table.overall.counts, strict=True)
        )
        lines.append(
            f"  {table.question_code}: {tally} "
            f"({table.answered} svarte, {table.not_answered} svarte ikke)"
        )
    lines.append("Temaer:")
    for found in result.themes:
        references = len(found.cross_references)
        lines.append(
            f"  {found.question_code}: {len(found.themes)} temaer"
            + (f", {references} kryssreferanser" if references else "")
        )
    campaigns = sum(group.kind == "campaign" for group in result.duplicate_groups)
    lines.append(
        f"Duplikatgrupper: {len(result.duplicate_groups) - campaigns}, kampanjer: {campaigns}"
    )
    lines.append(f"Mulige dobbeltinnsendinger: {len(result.resubmissions)}")
    for flag in result.resubmissions:
        pair = " / ".join(names.get(key, key) for key in flag.respondent_keys)
        lines.append(f"  {pair}: {flag.reason}")
    silhouette = (
        f"{result.opinion_silhouette:.2f}" if result.opinion_silhouette is not None else "–"
    )
    lines.append(f"Meningsgrupper: {len(result.opinion_groups)} (silhuett {silhouette})")
    return lines


@click.command("worker")
@click.option("--once", is_flag=True, help="Execute the runs queued now, then exit.")
@click.option(
    "--interval",
    type=click.FloatRange(0.1),
    default=2.0,
    show_default=True,
    help="Seconds between looks at the queue.",
)
def worker_command(once: bool, interval: float) -> None:
    """Execute queued synthesis runs (for SYNTHESIS_EXECUTOR = "worker")."""
    recovered = recover_stale_runs()
    if recovered:
        click.echo(f"Merket {recovered} kjøring(er) uten livstegn som feilet.")
    while True:
        executed = synthesis_runs.execute_queued_runs()
        if executed:
            click.echo(f"Utførte {executed} kjøring(er).")
        if once:
            return
        db.session.remove()  # let go of the connection between looks
        time.sleep(interval)


COMMANDS = (synthesize_command, worker_command)
