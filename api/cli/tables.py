"""Tables that fit the terminal: columns share the width, the widest give way first, and a cut
value ends in "…". The full rows are one `--format csv` or `--format json` away, and the table says
so when it cut anything. Every command that prints a table renders it here: `query`, `queries run`,
`graphs list`, `keys list`, `cases list` and `vetting-runs` through `show`, with `FormatOption`;
`vet-program` and `screen`, whose CSV and JSON are their own reports, through `render` and `wrap`."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
import textwrap
from collections.abc import Sequence
from enum import Enum
from typing import Annotated

import typer

GAP = "  "
NARROWEST = 4  # a column is never cut below this many characters (3 and the ellipsis)


class Format(str, Enum):
    """How a command prints its rows: a table that fits the terminal, or every value whole."""

    table = "table"
    csv = "csv"
    json = "json"


FormatOption = Annotated[
    Format,
    typer.Option("--format", help="table (fits the terminal; a cut value ends in …), or csv or json (the full rows)."),
]


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


def fit(cell: str, width: int) -> str:
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
        return GAP.join(fit(cell, w).ljust(w) for cell, w in zip(cells, widths)).rstrip()

    lines = [line(names), GAP.join("-" * w for w in widths)] + [line(row) for row in body]
    count = f"({len(body)} row{'s' if len(body) != 1 else ''}"
    if cut:
        count += "; values cut to fit: --format csv or --format json gives them whole"
    lines.append(wrap(count + ")", width, indent=" "))
    return "\n".join(lines)


def wrap(text: str, width: int | None = None, *, indent: str = "") -> str:
    """Prose wrapped at spaces to the terminal's width, its continuation lines indented by
    `indent`; a word longer than a line (an IRI) is cut as a table cuts it."""
    width = width or terminal_width()
    lines = textwrap.wrap(text, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
    return "\n".join(_cut(line, width) for line in lines or [""])


def _cut(line: str, width: int) -> str:
    if len(line) <= width:
        return line
    words = line.lstrip()
    lead = line[: len(line) - len(words)]
    return lead + fit(words, max(width - len(lead), NARROWEST))


_NUMBER = re.compile(r"[-+]?[0-9][0-9,.]*")


def safe_cell(cell: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula, by the vetting CSVs' rule, except
    that a number (a query's -3, +1.5) stays a number."""
    from graph.vetting.report import safe_cell as vetting_safe_cell  # only when CSV is written: `stats` starts without it

    return cell if _NUMBER.fullmatch(cell) else vetting_safe_cell(cell)


def as_csv(names: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The rows whole, as CSV with a header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def show(names: Sequence[str], rows: Sequence[Sequence[str]], fmt: Format, *, records: object = None) -> None:
    """Print the rows as `fmt` asks: a table that fits the terminal, CSV, or JSON. `records` is
    what JSON prints when the command has a richer form than the table's cells (typed values,
    nested lists); without it, JSON is one object per row, keyed by the column names."""
    if fmt is Format.json:
        shown = records if records is not None else [dict(zip(names, row)) for row in rows]
        typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))
    elif fmt is Format.csv:
        sys.stdout.write(as_csv(names, rows))
    else:
        typer.echo(render(names, rows))
