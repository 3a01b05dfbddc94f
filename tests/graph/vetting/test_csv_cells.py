"""Every CSV the vetting writes (findings, screening results) guards its cells the same way."""

from __future__ import annotations

import pytest

from graph.vetting.report import safe_cell


@pytest.mark.parametrize("text", ["=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(("value", "cell"), [("Brigade 7", "Brigade 7"), (None, ""), (3, "3"), ("", "")])
def test_other_values_are_left_alone(value: object, cell: str) -> None:
    assert safe_cell(value) == cell
