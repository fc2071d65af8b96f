"""A file of personal data as a download: an attachment, never sniffed, never cached.

Responses' files and the rows an import rejected hold names and words of respondents; they go
to one signed-in user and must not linger in a shared cache, nor be shown by a browser that
guesses a type (an uploaded file is untrusted).
"""

from __future__ import annotations

from typing import IO

from flask import send_file
from werkzeug.wrappers import Response


def private_download(stream: IO[bytes], *, mimetype: str, name: str) -> Response:
    response = send_file(
        stream,
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store, private"
    return response
