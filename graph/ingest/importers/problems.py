"""Problems found while reading an import file, each named by its place (element or row) and
field, collected so that one run reports them all and nothing is written when there is one."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.errors import InvalidValueError


@dataclass(frozen=True)
class Problem:
    """One bad value: the file, the place in it (element or row), the field, and what."""

    file: str
    element: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, self.element, f"field {self.field}" if self.field else None) if part)
        return f"{where}: {self.message}"


class ImportProblems(InvalidValueError, ValueError):
    """The data has bad values; nothing was written. `problems` lists every one found."""

    what = "the data"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in {self.what}, nothing was imported:\n{shown}{more}")

    @classmethod
    def single(cls, file: str, name: str, message: str) -> ImportProblems:
        return cls([Problem(file, None, name, message)])


@dataclass
class Problems:
    """Collects every problem of one import."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, element: str | None, name: str | None, message: str) -> None:
        self.items.append(Problem(file, element, name, message))

    def raise_if_any(self, error: type[ImportProblems]) -> None:
        if self.items:
            raise error(self.items)
