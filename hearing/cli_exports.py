"""`hearing export SLUG --format … --output PATH`: the compiled summary as a file, at the terminal.

The secretariat runs it, so the default edition is the internal one (names and e-mail addresses);
`--audience public` writes exactly what the public download of a published summary holds. The
file is written to a temporary name beside PATH and renamed at the end, so an interrupted export
never leaves half a workbook where the real one is expected. Each export is audit-logged.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import click
from flask import current_app
from sqlalchemy import select

from hearing import audit
from hearing.export_formats import FORMAT_NAMES, FORMATS, summary_for
from hearing.extensions import db
from hearing.models import Consultation


@click.command("export")
@click.argument("slug")
@click.option("--format", "format_name", type=click.Choice(FORMAT_NAMES), required=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Where to write the file (replaced if it exists).",
)
@click.option(
    "--audience",
    type=click.Choice(["public", "internal"]),
    default="internal",
    show_default=True,
    help="internal: names and e-mail addresses; public: as published, private persons numbered.",
)
@click.option(
    "--locale",
    type=click.Choice(["nb", "en"]),
    default=None,
    help="Language of headings and labels (default: the app's default language).",
)
def export_command(
    slug: str, format_name: str, output: Path, audience: str, locale: str | None
) -> None:
    """Export the compiled summary of consultation SLUG."""
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if consultation is None:
        raise click.ClickException(f"Fant ingen høring med adressen «{slug}».")
    locale = locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "nb")
    summary = summary_for(
        consultation, audience="public" if audience == "public" else "internal", locale=locale
    )
    _write_atomically(output, lambda stream: FORMATS[format_name].write(summary, stream))
    count = summary.overview.respondent_count
    audit.record(
        "export.cli",
        target=consultation,
        consultation_id=consultation.id,
        actor="cli",
        format=format_name,
        audience=audience,
        locale=locale,
        respondents=count,
        output=str(output),
    )
    db.session.commit()
    edition = "intern utgave" if audience == "internal" else "offentlig utgave"
    click.echo(f"Skrev {output} ({format_name}, {edition}, {count} svar).")
    if summary.overview.unpublished_count:
        click.echo(f"{summary.overview.unpublished_count} svar er utelatt i denne utgaven.")


def _write_atomically(output: Path, write: Callable[[BinaryIO], None]) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


COMMANDS = (export_command,)
