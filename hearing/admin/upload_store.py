"""Uploaded files kept between an import's preview and its confirmation.

The file is stored in the instance folder under a random name (never the uploaded filename,
which is untrusted), and what the preview decided (kind, options) is kept in the signed session
under the same token, so the confirm step imports exactly what was previewed. Files are deleted
once used; any left behind by abandoned previews are removed after a day.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Any

from flask import current_app, session

SESSION_KEY = "pending_imports"
DIRECTORY = "imports"
MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _directory() -> Path:
    directory = Path(current_app.instance_path) / DIRECTORY
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _remove_stale(directory: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in directory.glob("*.upload"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def stash(data: bytes, **details: Any) -> str:
    """Keep `data` and `details` for a later confirm; returns the token that names them."""
    directory = _directory()
    _remove_stale(directory)
    token = secrets.token_hex(16)
    (directory / f"{token}.upload").write_bytes(data)
    pending = dict(session.get(SESSION_KEY, {}))
    pending[token] = details
    session[SESSION_KEY] = pending
    return token


def retrieve(token: str) -> tuple[bytes, dict[str, Any]] | None:
    """The stashed file and its details, if `token` belongs to this session and still exists."""
    if not _TOKEN.match(token or ""):
        return None
    details = session.get(SESSION_KEY, {}).get(token)
    path = _directory() / f"{token}.upload"
    if details is None or not path.is_file():
        return None
    return path.read_bytes(), details


def update(token: str, **details: Any) -> bool:
    """Change what the preview decided for a stashed file (e.g. its whole-file consent);
    False when `token` is not one of this session's."""
    pending = dict(session.get(SESSION_KEY, {}))
    if token not in pending:
        return False
    pending[token] = {**pending[token], **details}
    session[SESSION_KEY] = pending
    return True


def discard(token: str) -> None:
    if _TOKEN.match(token or ""):
        (_directory() / f"{token}.upload").unlink(missing_ok=True)
    pending = dict(session.get(SESSION_KEY, {}))
    if pending.pop(token, None) is not None:
        session[SESSION_KEY] = pending
