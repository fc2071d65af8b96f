"""The dependency rule, and no import cycles inside the Flask-free layers.

`synthesis` and `exports` never import Flask, `hearing` or `forms`, and `synthesis` never imports
`exports` (DESIGN.md): they work on plain snapshots so the same code runs in a request, a CLI
command, a worker, a benchmark and a test without a database; one stray import would tie them
to the web app. `hearing.letters` (reading letters) may use the Flask-free parsing of
`hearing.imports` and nothing else of the app; `hearing.imports` parses files without touching
the database (its loaders live in `hearing.services`).

Inside those layers no two modules import each other, directly or round a longer loop: a cycle
makes the import order matter and hides which module is the lower one. The checks read every
module's import statements (also the lazy ones inside functions and the `TYPE_CHECKING` ones),
so they fail on the line that breaks the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB = ("flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "werkzeug")
# package → (forbidden top-level names or dotted prefixes, allowed dotted prefixes among them)
LAYERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "synthesis": ((*WEB, "flask_babel", "hearing", "forms", "exports"), ()),
    "exports": ((*WEB, "flask_babel", "hearing", "forms"), ()),
    "hearing/letters": (
        (*WEB, "sqlalchemy", "hearing", "forms"),
        ("hearing.letters", "hearing.imports"),
    ),
    "hearing/imports": (
        (*WEB, "sqlalchemy", "hearing"),
        ("hearing.imports",),
    ),
}
CYCLE_FREE = ("synthesis", "exports", "hearing/letters", "hearing/imports")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in `path`; `from a import b` also yields "a.b",
    which is a module when `b` is one, and relative imports are made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def modules_of(package: str) -> dict[str, Path]:
    return {module_name(path): path for path in sorted((ROOT / package).rglob("*.py"))}


def breaks_rule(module: str, forbidden: tuple[str, ...], allowed: tuple[str, ...]) -> bool:
    def under(prefixes: tuple[str, ...]) -> bool:
        return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)

    return under(forbidden) and not under(allowed)


@pytest.mark.parametrize("package", list(LAYERS))
def test_flask_free_layers_import_no_web_code(package):
    forbidden, allowed = LAYERS[package]
    offending: dict[str, str] = {}  # one line per import statement, with the module it names
    for path in modules_of(package).values():
        for line, module in imported_modules(path):
            if breaks_rule(module, forbidden, allowed):
                offending.setdefault(f"{path.relative_to(ROOT)}:{line}", module)
    assert not offending, "\n".join(f"{where}: {module}" for where, module in offending.items())


def import_cycles(modules: dict[str, Path]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each a cycle."""
    graph = {
        name: sorted({m for _, m in imported_modules(path) if m in modules and m != name})
        for name, path in modules.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                component.append(member)
            if component:
                cycles.append(sorted([*component, node]))

    for node in graph:
        if node not in index:
            visit(node)
    return cycles


def test_flask_free_layers_have_no_import_cycle():
    modules = {name: path for package in CYCLE_FREE for name, path in modules_of(package).items()}
    assert import_cycles(modules) == []


def test_the_checks_see_a_lazy_forbidden_import_and_a_type_only_cycle(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from hearing.models import Consultation\n")
    (package / "b.py").write_text("from typing import TYPE_CHECKING\nfrom pkg import c\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import X\n"
    )
    assert (2, "hearing.models") in imported_modules(package / "a.py")
    assert breaks_rule("hearing.models", *LAYERS["exports"])
    assert not breaks_rule("hearing.imports.pdf_text", *LAYERS["hearing/letters"])
    assert breaks_rule("hearing.models", *LAYERS["hearing/letters"])
    assert import_cycles(modules_of("pkg")) == [["pkg.b", "pkg.c"]]
