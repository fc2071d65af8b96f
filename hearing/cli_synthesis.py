"""`hearing synthesize SLUG` runs the synthesis in-process; `hearing worker` executes queued tasks.

`synthesize` stores its run like the web pages do, so the analyst's pages and the exports show a
result computed on the command line. `worker` starts Dramatiq's worker for the app's Redis
broker (`hearing.tasks`): a supervisor process and `--processes` worker processes of
`--threads` threads each, on as many hosts as needed. Redis gives each task to one worker and
gives the unfinished tasks of a worker that died to another.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import click
from dramatiq import cli as dramatiq_cli
from flask import current_app
from sqlalchemy import select

from hearing import audit, tasks
from hearing.extensions import db
from hearing.models import Consultation, RunStatus, Submission
from hearing.services import run_execution, run_results, synthesis_runs
from hearing.services.run_results import RunResult

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

    run_execution.execute_run(run.id, on_progress=echo_stage)
    db.session.refresh(run)
    if run.status != RunStatus.DONE:
        raise click.ClickException(f"Kjøring {run.id} feilet: {run.error}")
    click.echo("  100 %  ferdig")
    result = run_results.stored_result(run)
    assert result is not None
    flagged = {key for flag in result.resubmissions for key in flag.respondent_keys}
    for line in summary_lines(result, respondent_names(consultation, flagged)):
        click.echo(line)


def respondent_names(consultation: Consultation, keys: Collection[str]) -> dict[str, str]:
    """The names of the respondents with these keys (references)."""
    wanted = sorted(keys)
    names: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        rows = db.session.execute(
            select(Submission.reference, Submission.respondent_name).where(
                Submission.consultation_id == consultation.id,
                Submission.reference.in_(wanted[start : start + 500]),
            )
        )
        names.update((reference, name) for reference, name in rows)
    return names


def summary_lines(result: RunResult, names: Mapping[str, str]) -> list[str]:
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
@click.option(
    "--processes",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Worker processes on this host.",
)
@click.option(
    "--threads",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Tasks at once per process. The memory limit is per process: with 1, each run has "
    "SYNTHESIS_MEMORY_LIMIT_MB to itself.",
)
def worker_command(processes: int, threads: int) -> None:
    """Execute queued tasks (synthesis runs) from Redis until stopped (Ctrl+C or SIGTERM: the
    tasks under way finish first)."""
    if current_app.config["TASK_BROKER"] != "redis":
        raise click.ClickException(
            "Køen er innebygd i webserveren (TASK_BROKER = embedded), så kjøringene utføres "
            "der. Sett REDIS_URL for å bruke egne arbeidsprosesser."
        )
    arguments = [tasks.WORKER_BROKER, "--processes", str(processes), "--threads", str(threads)]
    raise SystemExit(dramatiq_cli.main(dramatiq_cli.make_argument_parser().parse_args(arguments)))


COMMANDS = (synthesize_command, worker_command)
