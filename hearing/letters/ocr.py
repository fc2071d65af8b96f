"""Text recognition of a scanned page with Tesseract, a program run once per picture.

Tesseract reads the picture from its standard input and writes the text to its standard output,
so nothing is written to disk, and it is stopped when it takes longer than the time it is
given. It runs on one thread (OMP_THREAD_LIMIT), as several letters may be read at once. It is
optional: without it (or without its Norwegian language) a scanned letter is kept and the
secretariat is told to type its text.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
from typing import Any

LANGUAGE = "nor"
_EXTRA_LANGUAGE = "eng"  # English quotations and names in Norwegian letters
_LANGUAGE_CHECK_SECONDS = 15


class OcrFailed(Exception):
    """Tesseract failed on a picture, or took longer than it was given."""


def ocr_available() -> bool:
    """Whether `tesseract` is on PATH with the Norwegian language."""
    return _languages() is not None


def read_picture(picture: Any, seconds: float, dpi: int | None = None) -> str:
    """The text Tesseract reads in `picture` (a Pillow image), within `seconds`."""
    languages = _languages()
    if languages is None:
        raise OcrFailed("tesseract is not available")
    executable, language = languages
    png = io.BytesIO()
    picture.save(png, format="PNG", compress_level=1)
    command = [executable, "-", "-", "-l", language]
    if dpi:
        command += ["--dpi", str(dpi)]
    try:
        completed = subprocess.run(
            command,
            input=png.getvalue(),
            capture_output=True,
            timeout=max(seconds, 0.1),
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise OcrFailed(f"tesseract took more than {seconds:.0f} s") from error
    except OSError as error:
        raise OcrFailed(str(error)) from error
    if completed.returncode != 0:
        raise OcrFailed(completed.stderr.decode("utf-8", "replace")[-500:])
    return completed.stdout.decode("utf-8", "replace")


def _languages() -> tuple[str, str] | None:
    """(the tesseract program, its -l argument), or None without it or its Norwegian."""
    executable = shutil.which("tesseract")
    return None if executable is None else _installed_languages(executable)


@functools.lru_cache(maxsize=8)
def _installed_languages(executable: str) -> tuple[str, str] | None:
    try:
        completed = subprocess.run(
            [executable, "--list-langs"],
            capture_output=True,
            timeout=_LANGUAGE_CHECK_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    listed = (completed.stdout + completed.stderr).decode("utf-8", "replace").split()
    if LANGUAGE not in listed:
        return None
    extra = f"+{_EXTRA_LANGUAGE}" if _EXTRA_LANGUAGE in listed else ""
    return executable, LANGUAGE + extra
