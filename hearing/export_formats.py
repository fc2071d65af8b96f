"""The download formats, and the compiled summary of a stored consultation ready to write.

The middle of the three export layers (rows → bytes → HTTP response): `exports` shapes rows and
writes bytes without knowing about the database; this module loads a consultation, picks the
latest synthesis results and names the files. The CLI (`hearing export`) and the download views
both go through here, so a file made at the terminal equals the one a browser downloads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from exports.csv_writer import write_csv
from exports.docx_writer import write_docx
from exports.json_writer import write_json
from exports.summary import Audience, CompiledSummary, build_summary
from exports.xlsx_writer import write_xlsx
from hearing.models import Consultation
from hearing.models.types import utcnow
from hearing.services.publication import public_summary
from hearing.services.snapshots import snapshot_of
from hearing.services.synthesis_runs import latest_inputs
from hearing.version import software_version


@dataclass(frozen=True)
class ExportFormat:
    """A file format: how to write it and how to announce it over HTTP."""

    name: str
    label: str  # what a link says, e.g. "Excel (XLSX)"
    mimetype: str
    write: Callable[[CompiledSummary, BinaryIO], None]


FORMATS: dict[str, ExportFormat] = {
    "xlsx": ExportFormat(
        "xlsx",
        "Excel (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        write_xlsx,
    ),
    "csv": ExportFormat("csv", "CSV", "text/csv", write_csv),
    "json": ExportFormat("json", "JSON", "application/json", write_json),
    "docx": ExportFormat(
        "docx",
        "Word (DOCX)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        write_docx,
    ),
}
FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)
# The download routes' converter: `<any(xlsx, csv, json, docx):format_name>`, from FORMATS alone.
FORMAT_ROUTE = ", ".join(FORMAT_NAMES)


def summary_for(consultation: Consultation, *, audience: Audience, locale: str) -> CompiledSummary:
    """The compiled summary of the consultation's submitted responses, as `audience` may see it.

    The public edition of a published consultation is its frozen publication, so a file made
    here equals the public download; before publication it is what publishing now would show."""
    if audience == "public":
        return public_summary(consultation, locale)
    return build_summary(
        snapshot_of(consultation),
        audience=audience,
        locale=locale,
        synthesis=latest_inputs(consultation),
        exported_at=utcnow(),
        software_version=software_version(),
    )


def export_filename(slug: str, audience: Audience, format_name: str) -> str:
    """`<slug>-oppsummering.xlsx`; the internal edition says so in its name (`…-intern.xlsx`)."""
    edition = "oppsummering" if audience == "public" else "oppsummering-intern"
    return f"{slug}-{edition}.{format_name}"
