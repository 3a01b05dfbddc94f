"""Query results as a table that fits the terminal: columns share the width, the widest give way
first, and a cut value ends in "…". The full rows are one `--format csv` or `--format json` away,
and the table says so when it cut anything."""

from __future__ import annotations

import shutil
from collections.abc import Sequence

GAP = "  "
NARROWEST = 4  # a column is never cut below this many characters (3 and the ellipsis)


def terminal_width() -> int:
    """The terminal's width, else $COLUMNS, else 80 (output to a pipe or a file)."""
    return max(shutil.get_terminal_size((80, 24)).columns, 20)


def column_widths(natural: Sequence[int], width: int) -> list[int]:
    """How wide each column may be so that the row fits `width`: a column narrower than its fair
    share keeps its natural width, and what it leaves is shared by the others."""
    available = width - len(GAP) * max(len(natural) - 1, 0)
    if sum(natural) <= available:
        return list(natural)
    widths = list(natural)
    remaining = sorted(range(len(natural)), key=lambda i: natural[i])
    left = available
    while remaining:
        share = left // len(remaining)
        column = remaining[0]
        if natural[column] <= share:
            widths[column] = natural[column]
            left -= natural[column]
            remaining.pop(0)
            continue
        for position, index in enumerate(remaining):
            # The first columns in the order get the remainder, one character each.
            widths[index] = max(share + (1 if position < left - share * len(remaining) else 0), NARROWEST)
        break
    return widths


def _fit(cell: str, width: int) -> str:
    """The cell cut to `width`; an IRI keeps its end, where the name is (…/unit/bde-7)."""
    if len(cell) <= width:
        return cell
    if cell.startswith(("http://", "https://", "urn:")):
        return "…" + cell[len(cell) - width + 1 :]
    return cell[: width - 1] + "…"


def render(names: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None) -> str:
    """A header, a rule, the rows and a line counting them, no line longer than `width` (the
    terminal's by default) unless there are too many columns for even the narrowest cut."""
    width = width or terminal_width()
    body = [[" ".join(cell.split()) if "\n" in cell or "\t" in cell else cell for cell in row] for row in rows]
    natural = [max([len(name), *(len(row[i]) for row in body)]) for i, name in enumerate(names)]
    widths = column_widths(natural, width)
    cut = widths != natural

    def line(cells: Sequence[str]) -> str:
        return GAP.join(_fit(cell, w).ljust(w) for cell, w in zip(cells, widths)).rstrip()

    lines = [line(names), GAP.join("-" * w for w in widths)] + [line(row) for row in body]
    count = f"({len(body)} row{'s' if len(body) != 1 else ''}"
    if cut:
        count += "; values cut to fit the terminal: --format csv or --format json gives them whole"
    lines.append(count + ")")
    return "\n".join(lines)
