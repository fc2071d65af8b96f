"""The installed version of the tool, stamped on every export and part of cached files' names."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def software_version() -> str:
    try:
        return version("hearing")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"
