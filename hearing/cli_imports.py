"""`hearing import-compiled` and `hearing import-responses`: responses from elsewhere into the DB.

Each command reads and checks the whole file first and commits once at the end, so an import
either happens completely or not at all. Row errors are worded in the app's default locale.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from hearing import audit
from hearing.extensions import db
from hearing.imports.compiled import CompiledFormatError, read_compiled_file
from hearing.imports.compiled_report import compiled_report, report_lines
from hearing.imports.consent import (
    CONSENT_CHOICES,
    consent_lines,
    document_tally,
    parse_choice,
)
from hearing.imports.limits import ImportLimits, LimitExceeded
from hearing.imports.long_format import LongFormatError
from hearing.imports.messages import message
from hearing.services.compiled_loader import already_imported, store_compiled
from hearing.services.long_import import (
    ConsultationNotFound,
    LongImportPlan,
    apply_long_import,
    find_consultation,
    plan_long_import,
    rejected_csv,
)
from hearing.services.snapshots import snapshot_of

MAX_ERRORS_SHOWN = 200


@click.command("import-compiled")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", default=None, help="Address of the new consultation (default: from title).")
def import_compiled_command(file: Path, slug: str | None) -> None:
    """Create a closed consultation from a compiled hearing document (.txt or .pdf)."""
    locale = current_app.config.get("BABEL_DEFAULT_LOCALE", "nb")
    data = file.read_bytes()
    try:
        document = read_compiled_file(data, file.name, _limits())
    except CompiledFormatError as error:
        raise click.ClickException(str(error)) from error
    except LimitExceeded as error:
        raise click.ClickException(message(error.code, locale, error.params)) from error
    slug = slug or document.snapshot.slug
    existing = find_consultation(slug)
    if existing is not None:
        if not already_imported(existing, data):
            raise click.ClickException(
                f"Det finnes allerede en høring med adressen «{slug}». Velg en annen --slug."
            )
        click.echo(f"Filen er allerede importert til «{slug}»; ingenting er endret.")
        return
    consultation = store_compiled(document, data, slug=slug)
    stored = snapshot_of(consultation)
    report = compiled_report(stored)
    audit.record(
        "import.compiled",
        target=consultation,
        consultation_id=consultation.id,
        actor="cli",
        file=file.name,
        respondents=report.respondents,
        consistent=report.consistent,
    )
    db.session.commit()
    click.echo(f"Importerte «{consultation.title}» som /h/{slug}.")
    for line in report_lines(report):
        click.echo(line)
    for line in consent_lines(document_tally(document.snapshot), locale):
        click.echo(line)
    for problem in document.problems:
        click.echo(f"Merknad: {problem}")


@click.command("import-responses")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", required=True, help="The consultation to import into.")
@click.option("--create", is_flag=True, help="Make the consultation from the file if missing.")
@click.option("--title", default=None, help="Title of a consultation made with --create.")
@click.option("--scale", "scale", default=None, help='Scale points in order: "Label 1,Label 2,…".')
@click.option("--skip-invalid", is_flag=True, help="Import the good rows, write the bad ones.")
@click.option(
    "--consent",
    type=click.Choice(CONSENT_CHOICES),
    default=None,
    help=(
        "Publication consent for respondents whose rows state none (default: private persons "
        "anonymous, organisations named). A consent stated in the file is kept."
    ),
)
@click.option(
    "--rejected",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where --skip-invalid writes rejected rows (default: FILE.rejected.csv).",
)
def import_responses_command(
    file: Path,
    slug: str,
    create: bool,
    title: str | None,
    scale: str | None,
    skip_invalid: bool,
    consent: str | None,
    rejected: Path | None,
) -> None:
    """Import responses in the long format (CSV or XLSX, one row per respondent × question)."""
    locale = current_app.config.get("BABEL_DEFAULT_LOCALE", "nb")
    try:
        plan = plan_long_import(
            file.read_bytes(),
            file.name,
            slug=slug,
            create=create,
            title=title,
            scale_points=scale.split(",") if scale else None,
            locale=locale,
            max_text=current_app.config.get("ANSWER_MAX_CHARS", 20_000),
            consent=parse_choice(consent),
            limits=_limits(),
        )
    except (LongFormatError, LimitExceeded) as error:
        raise click.ClickException(message(error.code, locale, error.params)) from error
    except ConsultationNotFound as error:
        raise click.ClickException(
            f"Fant ingen høring med adressen «{slug}». Bruk --create for å lage den fra filen."
        ) from error
    _echo_plan(plan, locale)
    if plan.validated.errors and not skip_invalid:
        db.session.rollback()
        raise click.ClickException(
            f"{len(plan.validated.rejected)} rader har feil; ingenting er importert. "
            "Rett filen, eller bruk --skip-invalid for å importere de gyldige radene."
        )
    if plan.validated.rejected:
        target = rejected or file.with_name(f"{file.stem}.rejected.csv")
        target.write_bytes(rejected_csv(plan, locale))
        click.echo(f"Avviste rader er skrevet til {target}.")
    outcome = apply_long_import(plan, skip_invalid=skip_invalid)
    audit.record(
        "import.responses",
        target=outcome.consultation,
        consultation_id=outcome.consultation.id,
        actor="cli",
        file=file.name,
        consent=consent or "default",
        created_consultation=outcome.created_consultation,
        rows=plan.validated.rows_read,
        rejected=len(plan.validated.rejected),
        respondents=outcome.loaded.created,
        skipped_existing=outcome.loaded.skipped_existing,
    )
    db.session.commit()
    if outcome.created_consultation:
        click.echo(f"Opprettet høringen «{outcome.consultation.title}» (/h/{slug}).")
    click.echo(
        f"Importerte {outcome.loaded.created} svar med {outcome.loaded.answers} enkeltsvar; "
        f"{outcome.loaded.skipped_existing} fantes fra før og ble hoppet over."
    )


def _limits() -> ImportLimits:
    return ImportLimits.from_config(current_app.config)


def _echo_plan(plan: LongImportPlan, locale: str) -> None:
    validated = plan.validated
    click.echo(
        f"Rader: {validated.rows_read} ({validated.rows_valid} gyldige, "
        f"{len(validated.rejected)} med feil). Respondenter: {len(validated.respondents)} "
        f"({plan.already_imported} fantes fra før)."
    )
    for code, count in plan.answers_per_question():
        click.echo(f"  Spørsmål {code}: {count} svar")
    for line in consent_lines(validated.consent, locale):
        click.echo(line)
    if validated.consent.defaulted and validated.consent.chosen is None:
        click.echo(message("consent_hint_cli", locale))
    for error in validated.errors[:MAX_ERRORS_SHOWN]:
        click.echo(error.describe(locale), err=True)
    if len(validated.errors) > MAX_ERRORS_SHOWN:
        click.echo(f"… og {len(validated.errors) - MAX_ERRORS_SHOWN} feil til.", err=True)


COMMANDS = (import_compiled_command, import_responses_command)
