"""HermiT finds the bundled demo data consistent with the ontology, and the CLI check says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from graph.ingest import setup
from ontology import reasoner


def test_hermit_finds_demo_data_consistent() -> None:
    paths = [path for paths in setup.demo_files().values() for path in paths]
    assert len(paths) >= 6  # five real-data files and the fictional scenario
    report = reasoner.check_consistency(paths)
    assert report.consistent, report.explanation
    assert report.inconsistent_classes == []


def test_cli_check_with_data_reports_consistency(tmp_path: Path) -> None:
    actorgraph = Path(sys.executable).with_name("actorgraph")
    store = tmp_path / "store"
    subprocess.run([str(actorgraph), "init", "--demo", "--store", str(store)], check=True, capture_output=True)
    result = subprocess.run(
        [str(actorgraph), "check", "--with-data", "--store", str(store)], capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "consistent" in result.stdout
