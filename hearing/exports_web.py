"""The last export layer: a compiled summary as an HTTP download.

The file is written once into a spooled temporary file (in memory while small, on disk beyond
`SPOOL_MAX_BYTES`) and streamed from there, so a large consultation is never held as one giant
byte string, let alone two. Headers: the format's Content-Type, an attachment
Content-Disposition whose non-ASCII names use RFC 5987 `filename*` (Werkzeug writes both forms),
`X-Content-Type-Options: nosniff`, and `Cache-Control: no-store` for internal editions, which hold
names and e-mail addresses that must not linger in shared caches.
"""

from __future__ import annotations

import tempfile

from flask import send_file
from werkzeug.wrappers import Response

from exports.summary import CompiledSummary
from hearing.export_formats import ExportFormat, export_filename

SPOOL_MAX_BYTES = 8 * 1024 * 1024


def download_response(summary: CompiledSummary, export_format: ExportFormat) -> Response:
    """Write `summary` in `export_format` and return it as an attachment."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115 (closed by the response)
    export_format.write(summary, spool)
    size = spool.tell()
    spool.seek(0)
    response = send_file(
        spool,
        mimetype=export_format.mimetype,
        as_attachment=True,
        download_name=export_filename(summary.overview.slug, summary.audience, export_format.name),
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.content_length = size
    response.headers["X-Content-Type-Options"] = "nosniff"
    if summary.audience == "internal":
        response.headers["Cache-Control"] = "no-store, private"
    return response
