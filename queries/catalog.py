"""Lists and loads the .rq files of the query library.

Each file starts with a comment header:

    # title: Everything linked to an actor at a date
    # description: One line, or several `# description:` lines that are joined.
    # param: actor iri The actor to start from
    # param: at date Only relations valid on this day (optional)
    # example: actor=https://w3id.org/actorgraph/id/state/nigeria at=2015-01-01

`param` lines give a variable name (bound with substitutions, never formatted into the text), a
type (iri, date, string, integer) and a description; a description that contains "(optional)"
marks an optional parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent
PARAM_TYPES = frozenset({"iri", "date", "string", "integer"})


class QueryNotFound(KeyError):
    """No query of that name exists in the library."""


class QueryHeaderError(ValueError):
    """A .rq file's header is malformed."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    optional: bool


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = field(default_factory=tuple)
    example: str = ""

    @property
    def form(self) -> str:
        """SELECT, CONSTRUCT, ASK, DESCRIBE, INSERT or DELETE: the first keyword after the prologue."""
        for line in self.text.splitlines():
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            word = stripped.split(None, 1)[0].upper()
            if word not in {"PREFIX", "BASE"}:
                return word
        return ""


def parse_header(name: str, path: Path, text: str) -> NamedQuery:
    """Read the `# key: value` comment lines at the top of a query file."""
    title = ""
    description: list[str] = []
    params: list[Param] = []
    example = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        value = value.strip()
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        elif key == "example":
            example = value
        elif key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1] not in PARAM_TYPES:
                raise QueryHeaderError(
                    f"{path}:{number}: a param line needs 'NAME TYPE description' with TYPE one of "
                    f"{', '.join(sorted(PARAM_TYPES))}"
                )
            text_part = parts[2] if len(parts) > 2 else ""
            params.append(Param(parts[0], parts[1], text_part, "(optional)" in text_part))
    if not title:
        raise QueryHeaderError(f"{path}: the header has no '# title:' line")
    return NamedQuery(name, path, title, " ".join(description), text, tuple(params), example)


@lru_cache(maxsize=None)
def load(name: str) -> NamedQuery:
    """Load a query by name: its path below queries/ without '.rq', such as 'library/actor_links'."""
    path = (QUERIES_DIR / f"{name}.rq").resolve()
    if QUERIES_DIR not in path.parents or not path.is_file():
        raise QueryNotFound(name)
    return parse_header(name, path, path.read_text(encoding="utf-8"))


def text(name: str) -> str:
    """The SPARQL text of a query, for code that runs a query of the library by name."""
    return load(name).text


def list_queries(folder: str = "library") -> list[NamedQuery]:
    """Every query in one folder of the library, sorted by name."""
    directory = QUERIES_DIR / folder
    return [load(f"{folder}/{path.stem}") for path in sorted(directory.glob("*.rq"))]
