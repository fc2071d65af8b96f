"""Public downloads of a published summary, written once per publication and language.

Anyone may download a published summary, and writing one means rendering a workbook: seconds of
CPU for a large consultation. Rebuilt per request, a handful of visitors (or one script) could
keep the server busy. So each file is written once into the instance folder from the
publication's frozen summary (`hearing.services.publication`) and served from there, under a
name made of the publication, the language and the software version. Finding that name costs
one indexed query. Files are written to a temporary name and renamed, so a reader never sees
half a file; files of any other publication of the consultation are removed when a new one is
written, and all of them when the consultation is republished or withdrawn
(`hearing.services.publication.remove_published_files`), so an erased respondent does not
linger on disk.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from hearing.export_formats import ExportFormat
from hearing.models import Publication
from hearing.services.publication import published_summary, store_directory
from hearing.version import software_version


def published_version(publication: Publication, locale: str) -> str:
    """A short digest naming the files of `publication` in `locale`."""
    parts = (publication.id, publication.number, locale, software_version())
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:24]


def published_file(publication: Publication, export_format: ExportFormat, locale: str) -> Path:
    """The public summary file of this publication, written now if it does not exist yet."""
    directory = store_directory() / str(publication.consultation_id)
    prefix = f"{locale}-{export_format.name}-"
    path = directory / f"{prefix}{published_version(publication, locale)}.{export_format.name}"
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    summary = published_summary(publication, locale)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".writing-")
    try:
        with os.fdopen(handle, "wb") as output:
            export_format.write(summary, output)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for older in directory.glob(f"{prefix}*"):
        if older != path:
            older.unlink(missing_ok=True)
    return path
