"""Modules stay small enough to read in one sitting: one job each, about 400 lines at most."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 420  # "about 400": a little slack, so a docstring line does not force a split
FOLDERS = ("ontology", "queries", "graph", "api", "bench", "tests/support")
SUFFIXES = (".py", ".js")


def oversized(limit: int = LIMIT) -> list[str]:
    found = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file():
                lines = len(path.read_text(encoding="utf-8").splitlines())
                if lines > limit:
                    found.append(f"{path.relative_to(ROOT)}: {lines} lines")
    return found


def test_no_production_module_is_over_about_400_lines() -> None:
    assert not oversized(), "split these by job:\n" + "\n".join(oversized())


def test_the_check_sees_a_long_module() -> None:
    assert oversized(limit=100), "a 100-line limit must catch some module; the walk finds nothing"
