"""Load the compiled-document importer as it was at an earlier commit, to measure against it.

`load_parser("56682ca")` reads `hearing/imports/compiled*.py` at that commit with `git show`,
writes them to a temporary package whose imports point at each other, and returns its
`parse_compiled`. The rest of the project (limits, consent, snapshots) is today's. Nothing is
checked out, so the working tree is left alone.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_IMPORTS = "hearing/imports"


def load_parser(revision: str) -> Callable:
    """`parse_compiled` of the importer at `revision`."""
    listing = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{revision}:{_IMPORTS}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    modules = [name for name in listing if name.startswith("compiled") and name.endswith(".py")]
    package = "compiled_at_" + re.sub(r"\W", "_", revision)
    folder = Path(tempfile.mkdtemp(prefix="compiled-baseline-")) / package
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    pattern = re.compile(r"hearing\.imports\.(compiled\w*)")
    for name in modules:
        source = subprocess.run(
            ["git", "show", f"{revision}:{_IMPORTS}/{name}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (folder / name).write_text(pattern.sub(rf"{package}.\1", source))
    sys.path.insert(0, str(folder.parent))
    return importlib.import_module(f"{package}.compiled").parse_compiled
