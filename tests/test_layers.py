"""The dependency rule: `synthesis` and `exports` never import Flask, `hearing` or `forms`.

They work on plain snapshots so the same code runs in a request, a CLI command, a worker, a
benchmark and a test without a database; one stray import would tie them to the web app. The
check reads every module's import statements (also the lazy ones inside functions and the
`TYPE_CHECKING` ones), so it fails on the line that breaks the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("flask", "flask_babel", "flask_login", "flask_wtf", "werkzeug", "hearing", "forms")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("package", ["synthesis", "exports"])
def test_flask_free_layers_import_no_web_code(package):
    offending = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN
    ]
    assert not offending, "\n".join(offending)


def test_the_check_sees_a_forbidden_import(tmp_path):
    module = tmp_path / "stray.py"
    module.write_text("def f():\n    from hearing.models import Consultation\n")
    assert imported_modules(module) == [(2, "hearing.models")]
