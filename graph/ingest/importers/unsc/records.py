"""What one consolidated list holds, read and checked, before any triple is built."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from graph.ingest.importers.problems import ImportProblems


class UnscImportError(ImportProblems):
    """The list has bad values; nothing was written."""

    what = "the UN Security Council list"


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
