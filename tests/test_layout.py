"""The layout holds: dependencies point one way (api → graph → ontology, graph → queries →
ontology), so that a folder can be read, tested and replaced without the ones above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ontology", "queries", "graph", "api")
# What each top-level package may import of the others.
ALLOWED: dict[str, frozenset[str]] = {
    "ontology": frozenset(),
    "queries": frozenset({"ontology"}),
    "graph": frozenset({"ontology", "queries"}),
    "api": frozenset({"ontology", "queries", "graph"}),
}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """(top-level project package, line) for every import in a module, wherever it sits."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update((name.split(".")[0], node.lineno) for name in names if name.split(".")[0] in PACKAGES)
    return found


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_every_package_has_modules() -> None:
    for package in PACKAGES:
        assert modules(package), f"no modules found under {package}/"


@pytest.mark.parametrize("package", PACKAGES)
def test_dependencies_point_one_way(package: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {other}"
        for path in modules(package)
        for other, line in sorted(imported_packages(path))
        if other != package and other not in ALLOWED[package]
    ]
    assert not wrong, "imports against the layout (see the README's Layout):\n" + "\n".join(wrong)


def test_the_checker_sees_a_wrong_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f() -> None:\n    from api.web import app\n    import graph.store\n")
    assert imported_packages(module) == {("api", 2), ("graph", 3)}
