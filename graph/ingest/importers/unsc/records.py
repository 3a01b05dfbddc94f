"""What one consolidated list holds, read and checked, before any triple is built; and the
problems found on the way, each named by its element and field, so nothing is written on error."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from graph.errors import InvalidValueError


@dataclass(frozen=True)
class ElementProblem:
    """One bad value: the file, the element (kind, position, reference), the field, and what."""

    file: str
    element: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, self.element, f"field {self.field}" if self.field else None) if part)
        return f"{where}: {self.message}"


class UnscImportError(InvalidValueError, ValueError):
    """The list has bad values; nothing was written. `problems` lists every one found."""

    def __init__(self, problems: list[ElementProblem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the UN Security Council list, nothing was imported:\n{shown}{more}")

    @classmethod
    def single(cls, file: str, name: str, message: str) -> UnscImportError:
        return cls([ElementProblem(file, None, name, message)])


@dataclass
class Problems:
    """Collects every problem of one file, so that one run reports them all."""

    items: list[ElementProblem] = field(default_factory=list)

    def add(self, file: str, element: str | None, name: str | None, message: str) -> None:
        self.items.append(ElementProblem(file, element, name, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise UnscImportError(self.items)


@dataclass(frozen=True)
class Alias:
    """Another name. The list grades them: good (or a.k.a.), low, and formerly known as."""

    name: str
    quality: str  # "good", "low" or "former"


@dataclass(frozen=True)
class BirthDate:
    """A date of birth as the list gives it: an exact day or year, an approximate year, or a range
    of years (every year of it is a possible birth year)."""

    exact: str | None = None  # YYYY-MM-DD or YYYY
    approximate_years: tuple[int, ...] = ()


@dataclass
class Entry:
    """One INDIVIDUAL or ENTITY element."""

    kind: str  # "individual" or "entity"
    position: int  # 1-based among the elements of its kind
    reference: str
    name: str
    regime: str
    listed_on: date
    data_id: str | None = None
    original_script: list[str] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    birth_dates: list[BirthDate] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    designations: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    comments: str | None = None

    @property
    def where(self) -> str:
        return element_name(self.kind, self.position, self.reference)


def element_name(kind: str, position: int, reference: str | None) -> str:
    """'INDIVIDUAL 12 (KPi.033)': how problems and skips name an element."""
    return f"{kind.upper()} {position}" + (f" ({reference})" if reference else "")


@dataclass
class ConsolidatedList:
    """A whole list: when it was generated, and its entries in file order."""

    file: str
    generated: datetime
    entries: list[Entry] = field(default_factory=list)

    @property
    def day(self) -> date:
        return self.generated.date()
