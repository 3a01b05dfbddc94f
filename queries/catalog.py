"""Lists and loads the .rq files of the query library.

Each file starts with a comment header:

    # title: Everything linked to an actor at a date
    # description: One line, or several `# description:` lines that are joined.
    # param: actor iri The actor to start from
    # param: at date Only relations valid on this day (optional)
    # example: actor=https://w3id.org/actorgraph/id/state/nigeria at=2015-01-01

`param` lines give a variable name (bound with substitutions, never formatted into the text), a
type (iri, date, string, integer) and a description; a description that contains "(optional)"
marks an optional parameter. The `example` line holds `name=value` pairs, separated by spaces;
quote a value that contains spaces (`sector="civil society"`).

Writing a query for substitution (pyoxigraph 0.5):

- A substituted variable must be projected by the SELECT (and be in its GROUP BY, if any).
- An optional parameter that is not given stays unbound. Test it with an expression that errors
  on an unbound value inside COALESCE, as in `FILTER(COALESCE(?start <= ?at, true))`.
  `BOUND(?at)` does not work: the planner sees that no pattern binds ?at and folds it to false
  before the substitution applies. For the same reason, `BIND(?x AS ?y)` in a group where no
  pattern mentions ?x leaves ?y unbound.
- A FILTER inside a nested OPTIONAL sees substituted variables, but not variables bound outside
  its own OPTIONAL (SPARQL scoping): check those outside.
- The planner orders joins before the substitution applies, so it takes a substituted variable
  for unbound and may start from the largest pattern. Start from a pattern on the parameter and
  reach the rest through OPTIONAL blocks of one or two patterns (nested where a step needs the
  previous one), each anchored on a variable bound before it, checked with FILTER(BOUND(...))
  where required: an OPTIONAL like that is evaluated once per row it extends. Measure on the
  synthetic graph (`actorgraph synth`): the library/ queries are written that way.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent
PARAM_TYPES = frozenset({"iri", "date", "string", "integer"})
# A SPARQL variable name, restricted to ASCII so it reads the same in URLs and on the command line.
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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
    # Engines the query is known to answer wrongly on, each with what goes wrong (`# wrong-on:`).
    wrong_on: tuple[tuple[str, str], ...] = ()

    def wrong_on_engine(self, engine: str) -> str | None:
        """Why this query's answers on `engine` (GraphStore.engine) cannot be trusted, or None."""
        return next((reason for name, reason in self.wrong_on if name == engine), None)

    @property
    def short_name(self) -> str:
        """The name without its folder: 'chain_of_command' for 'library/chain_of_command'."""
        return self.name.rsplit("/", 1)[-1]

    def param(self, name: str) -> Param | None:
        """The declared parameter called `name`, or None."""
        return next((param for param in self.params if param.name == name), None)

    def example_params(self) -> dict[str, str]:
        """The `# example:` line as a mapping; empty for '(no parameters)' or no example."""
        if "=" not in self.example:
            return {}
        try:
            words = shlex.split(self.example)
        except ValueError as error:
            raise QueryHeaderError(f"{self.path}: the example line does not parse: {error}") from None
        pairs = {}
        for word in words:
            key, equals, value = word.partition("=")
            if not equals:
                raise QueryHeaderError(f"{self.path}: the example line needs name=value pairs, got {word!r}")
            pairs[key] = value
        return pairs

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


def header(text: str) -> list[tuple[int, str, str]]:
    """The `# key: value` comment lines that open a query file, as (line number, key, value); every
    reader of .rq headers (the library, inference rules, SHACL templates) goes through here."""
    fields = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        fields.append((number, key.strip(), value.strip()))
    return fields


def body(text: str) -> str:
    """The query without the comment header that opens it."""
    return "\n".join(text.splitlines()[len(header(text)) :]).strip()


def parse_header(name: str, path: Path, text: str) -> NamedQuery:
    """Read the `# key: value` comment lines at the top of a query file."""
    title = ""
    description: list[str] = []
    params: list[Param] = []
    example = ""
    wrong_on: list[tuple[str, str]] = []
    for number, key, value in header(text):
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        elif key == "example":
            example = value
        elif key == "wrong-on":
            engine, _, reason = value.partition(" ")
            if not engine or not reason.strip():
                raise QueryHeaderError(f"{path}:{number}: a wrong-on line needs 'ENGINE what goes wrong' (ENGINE as in a store URL: virtuoso)")
            wrong_on.append((engine, reason.strip()))
        elif key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1] not in PARAM_TYPES:
                raise QueryHeaderError(
                    f"{path}:{number}: a param line needs 'NAME TYPE description' with TYPE one of "
                    f"{', '.join(sorted(PARAM_TYPES))}"
                )
            if not _PARAM_NAME.fullmatch(parts[0]):
                raise QueryHeaderError(f"{path}:{number}: {parts[0]!r} is not a valid parameter (variable) name")
            if any(param.name == parts[0] for param in params):
                raise QueryHeaderError(f"{path}:{number}: parameter {parts[0]!r} is declared twice")
            text_part = parts[2] if len(parts) > 2 else ""
            params.append(Param(parts[0], parts[1], text_part, "(optional)" in text_part))
    if not title:
        raise QueryHeaderError(f"{path}: the header has no '# title:' line")
    return NamedQuery(name, path, title, " ".join(description), text, tuple(params), example, tuple(wrong_on))


@cache
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
