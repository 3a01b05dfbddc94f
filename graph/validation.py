"""Fast SHACL validation: the shapes file compiled to SPARQL and run by pyoxigraph.

pyshacl evaluates shapes in Python and needs ~25 s for 12.6k triples. ActorGraph validates every
import before it lands, on graphs of a million triples, so here each (shape, constraint) of the
shapes file becomes one SPARQL SELECT, compiled once and run straight on the pyoxigraph store.

How a shape becomes queries (templates in queries/shacl/*.rq):

- Targets become a focus pattern that binds ?this. Focus nodes come from the data graphs only
  (a GRAPH pattern over ``named_graphs=``); everything else, including the rdfs:subClassOf closure
  from the ontology, is read in the default graph, which is the data plus the context graphs.
- sh:minCount walks the focus nodes (a node with no value leaves nothing else to scan).
- Per-value constraints and sh:maxCount are value-first: they scan the path's triples for offending
  values (or counts), and only then check that the subject is a focus node. A valid graph then
  costs one predicate scan per constraint instead of one lookup per focus node.
- Logical constraints (sh:or, sh:and, sh:not, sh:xone, sh:node) become boolean SPARQL expressions
  composed from the same per-constraint fragments.
- sh:sparql runs the shape's own SELECT with the focus pattern injected at the start of its WHERE
  clause, so that $this is bound to focus nodes.

Query text is only ever the templates, filled with string.Template using terms from the shapes
file serialized as SPARQL terms (IRIs in <>, literals escaped). No data value enters query text.
Anything in the shapes file this compiler cannot honour raises UnsupportedShapeError at compile
time rather than being skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import count, islice
from pathlib import Path
from string import Template

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from ontology.files import SHAPES_FILE
from ontology.namespaces import PREFIXES

__all__ = [
    "CompiledCheck",
    "ShapeValidator",
    "UnsupportedShapeError",
    "Violation",
    "default_validator",
]

# Rows a single compiled query may return; validate() also stops at its own `limit`.
MAX_ROWS_PER_CHECK = 10_000

# Prefixes every compiled query may use (the templates write rdf:type, rdfs:subClassOf, xsd:...).
QUERY_PREFIXES: Mapping[str, str] = {"rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)}

_VIOLATION = "sh:Violation"


class UnsupportedShapeError(ValueError):
    """The shapes file uses SHACL this compiler does not implement, or uses it wrongly."""


@dataclass(frozen=True)
class Violation:
    """One validation result, flattened to strings so it can be printed, logged or returned by the API."""

    focus_node: str  # IRI or blank-node id of the focus node
    shape: str  # IRI/id of the shape, or its sh:name
    path: str | None  # property path, as a readable prefixed name where possible (ag:confidence)
    constraint: str  # e.g. "sh:minCount", "sh:datatype", "sh:lessThanOrEquals"
    message: str  # human sentence: "Relation node has no source (prov:wasDerivedFrom)"
    value: str | None  # offending value where there is one
    severity: str = _VIOLATION  # "sh:Violation", "sh:Warning" or "sh:Info"

    def __str__(self) -> str:
        """One line: ``<focus> ag:confidence: message (sh:in) [value]``."""
        focus = self.focus_node if self.focus_node.startswith("_:") else "<" + self.focus_node + ">"
        where = focus + (" " + self.path if self.path else "")
        line = where + ": " + self.message + " (" + self.constraint + ")"
        if self.value is not None:
            line += " [" + self.value + "]"
        if self.severity != _VIOLATION:
            line = self.severity.removeprefix("sh:").lower() + ": " + line
        return line


@dataclass(frozen=True)
class CompiledCheck:
    """One (shape, constraint) pair compiled to a SELECT that returns the offending focus nodes."""

    shape: str
    path: str | None
    constraint: str
    message: str
    severity: str
    query: str
    prefixes: tuple[tuple[str, str], ...]

    def violations(self, solutions: ox.QuerySolutions, names: _Names) -> Iterator[Violation]:
        """Turn result rows into Violations; ?this is the focus, ?value and ?path are optional."""
        projected = {variable.value for variable in solutions.variables}
        for solution in solutions:
            row = {name: solution[name] for name in projected if solution[name] is not None}
            focus = row.get("this")
            if focus is None:  # a SHACL-SPARQL query may leave $this unbound; nothing to report
                continue
            path = self.path
            if "path" in row and isinstance(row["path"], ox.NamedNode):
                path = names.compact(row["path"].value)
            value = row.get("value")
            yield Violation(
                focus_node=_node_id(focus),
                shape=self.shape,
                path=path,
                constraint=self.constraint,
                message=_render_message(self.message, row, path, names),
                value=None if value is None else names.readable(value),
                severity=self.severity,
            )


class ShapeValidator:
    """Validates graphs of a pyoxigraph store against the shapes file, with compiled SPARQL."""

    def __init__(
        self,
        shapes_path: Path = SHAPES_FILE,
        max_rows_per_check: int = MAX_ROWS_PER_CHECK,
        workers: int | None = None,
    ) -> None:
        """Compile the shapes (cached per file version). `workers` threads run the checks:
        pyoxigraph releases the GIL while it evaluates, so checks run in parallel on several cores."""
        path = Path(shapes_path).resolve()
        self.shapes_path = path
        self.checks: tuple[CompiledCheck, ...] = _compile_file(path, path.stat().st_mtime_ns, max_rows_per_check)
        self.workers = max(1, workers if workers is not None else min(4, os.cpu_count() or 1))
        self._names = _names_for(path, path.stat().st_mtime_ns)

    def validate(
        self,
        store: ox.Store,
        data_graphs: Sequence[ox.NamedNode],
        context_graphs: Sequence[ox.NamedNode] = (),
        limit: int = 1000,
    ) -> list[Violation]:
        """Focus nodes are taken from `data_graphs` only; values/types/ontology are looked up in
        data_graphs + context_graphs (pass the ontology graph and other loaded graphs as context).

        Stops after `limit` violations, so a badly broken import costs no more than a clean one.
        """
        data = _unique(data_graphs)
        if limit <= 0 or not data:
            return []
        default = _unique([*data, *context_graphs])

        def run(check: CompiledCheck) -> list[Violation]:
            solutions = store.query(check.query, default_graph=default, named_graphs=data, prefixes=dict(check.prefixes))
            assert isinstance(solutions, ox.QuerySolutions)
            return list(islice(check.violations(solutions, self._names), limit))

        found: list[Violation] = []
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="shacl") as pool:
            # Results are gathered in check order, so the report does not depend on timing.
            for result in pool.map(run, self.checks):
                found.extend(result[: limit - len(found)])
                if len(found) >= limit:
                    pool.shutdown(wait=False, cancel_futures=True)
                    break
        return found


def default_validator() -> ShapeValidator:
    """The validator for the bundled shapes file; compiling is cached, so this is cheap to call."""
    return ShapeValidator()


# --------------------------------------------------------------------------------------------
# Reading results
# --------------------------------------------------------------------------------------------


def _node_id(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A focus node as the Violation reports it: the IRI itself, or _:id for a blank node."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def _unique(graphs: Sequence[ox.NamedNode]) -> list[ox.NamedNode]:
    """Graphs in order, each once; pyoxigraph would otherwise read a repeated graph twice."""
    seen: dict[str, ox.NamedNode] = {}
    for graph in graphs:
        seen.setdefault(graph.value, graph)
    return list(seen.values())


_MESSAGE_VARIABLE = re.compile(r"\{[?$](\w+)\}")


def _render_message(template: str, row: Mapping[str, object], path: str | None, names: _Names) -> str:
    """Fill SHACL message placeholders such as {?value} and {$this} from the result row."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "path" and path is not None and "path" not in row:
            return path
        term = row.get(name)
        return match.group(0) if term is None else names.readable(term)  # type: ignore[arg-type]

    return _MESSAGE_VARIABLE.sub(replace, template)


# --------------------------------------------------------------------------------------------
# Readable names
# --------------------------------------------------------------------------------------------

_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_](?:[\w.-]*[\w-])?$")


class _Names:
    """Prefixed names for IRIs, so that paths and values read like the Turtle people write."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # Longest namespace first, so that code: wins over a shorter namespace it extends.
        self._by_namespace = sorted(((ns, p) for p, ns in prefixes.items()), key=lambda item: -len(item[0]))

    def compact(self, iri: str) -> str:
        """ag:confidence for an IRI in a known namespace, else <iri>."""
        for namespace, prefix in self._by_namespace:
            if iri.startswith(namespace) and _LOCAL_NAME.match(iri[len(namespace) :]):
                return prefix + ":" + iri[len(namespace) :]
        return "<" + iri + ">"

    def readable(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
        """A result term in Turtle-like form: ag:x, _:b0, "2013-13-45"^^xsd:date, "x"@en."""
        if isinstance(term, ox.NamedNode):
            return self.compact(term.value)
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        if isinstance(term, ox.Literal):
            text = _sparql_string(term.value)
            if term.language:
                return text + "@" + term.language
            if term.datatype.value == str(XSD.string):
                return text
            return text + "^^" + self.compact(term.datatype.value)
        return str(term)

    def node(self, node: Node) -> str:
        """A shapes-graph term in readable form (for default messages and path labels)."""
        if isinstance(node, URIRef):
            return self.compact(str(node))
        if isinstance(node, Literal):
            text = _sparql_string(str(node))
            if node.language:
                return text + "@" + node.language
            if node.datatype is None or node.datatype == XSD.string:
                return text
            return text + "^^" + self.compact(str(node.datatype))
        return "_:" + str(node)


# --------------------------------------------------------------------------------------------
# SPARQL text: templates and term serialization
# --------------------------------------------------------------------------------------------

_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _sparql_string(text: str) -> str:
    """A SPARQL/Turtle string literal body with every character that could end it escaped."""
    return '"' + "".join(_STRING_ESCAPES.get(char, char) for char in text) + '"'


def _sparql_iri(iri: str) -> str:
    """<iri>, refusing characters that would let an IRI break out of its brackets."""
    if not iri or _IRI_UNSAFE.search(iri):
        raise UnsupportedShapeError("IRI cannot be written safely in SPARQL: " + repr(iri))
    return "<" + iri + ">"


def _sparql_term(node: Node, where: str) -> str:
    """A shapes-graph IRI or literal as a SPARQL term. Blank nodes never match data, so refuse them."""
    if isinstance(node, URIRef):
        return _sparql_iri(str(node))
    if isinstance(node, Literal):
        text = _sparql_string(str(node))
        if node.language:
            if not _LANGUAGE_TAG.match(node.language):
                raise UnsupportedShapeError(where + ": bad language tag " + repr(node.language))
            return text + "@" + node.language
        if node.datatype is not None and node.datatype != XSD.string:
            return text + "^^" + _sparql_iri(str(node.datatype))
        return text
    raise UnsupportedShapeError(where + ": a blank node cannot be used as a value here")


def _sparql_integer(node: Node, where: str) -> str:
    """A non-negative integer parameter (sh:minCount, sh:maxLength, ...) as SPARQL text."""
    value = node.toPython() if isinstance(node, Literal) else None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise UnsupportedShapeError(where + " needs a non-negative integer, not " + repr(str(node)))
    return str(value)


def _sparql_variable(name: str) -> str:
    """A compiler-made variable name as SPARQL (never derived from data)."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
        raise ValueError("bad variable name " + repr(name))
    return "?" + name


_TEMPLATE_DIR = resources.files("queries") / "shacl"


@lru_cache(maxsize=None)
def _template(name: str) -> Template:
    """queries/shacl/<name>.rq without its comment header."""
    text = (_TEMPLATE_DIR / (name + ".rq")).read_text(encoding="utf-8")
    body = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return Template("\n".join(body).strip())


def _fill(name: str, **values: str) -> str:
    """The template filled in; substitute() raises if a placeholder is left without a value."""
    return _template(name).substitute(values)


def _join(parts: Sequence[str], operator: str, empty: str) -> str:
    """Expression fragments joined by a fixed SPARQL operator (||, && or +)."""
    if operator not in ("||", "&&", "+"):
        raise ValueError("unexpected operator " + repr(operator))
    return (" " + operator + " ").join(parts) if parts else empty


# --------------------------------------------------------------------------------------------
# Property paths
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Path:
    """A SHACL property path in SPARQL syntax and in readable form."""

    sparql: str
    label: str
    # False when the path has *, + or ?: it cannot be scanned with both ends unbound.
    bounded: bool
    atomic: bool = True


def _compile_path(shapes: Graph, node: Node, names: _Names, where: str) -> _Path:
    """Translate sh:path (IRI, sequence, inverse, alternative, zero-or-more, ...) to SPARQL."""
    if isinstance(node, URIRef):
        return _Path(_sparql_iri(str(node)), names.compact(str(node)), True)
    if not isinstance(node, BNode):
        raise UnsupportedShapeError(where + ": sh:path must be an IRI or a path node")
    if (node, RDF.first, None) in shapes:
        members = [_compile_path(shapes, item, names, where) for item in Collection(shapes, node)]
        if len(members) < 2:
            raise UnsupportedShapeError(where + ": a sequence path needs at least two members")
        return _combine(members, "/", bounded=all(m.bounded for m in members))
    alternatives = shapes.value(node, SH.alternativePath)
    if alternatives is not None:
        members = [_compile_path(shapes, item, names, where) for item in Collection(shapes, alternatives)]
        if len(members) < 2:
            raise UnsupportedShapeError(where + ": an alternative path needs at least two members")
        return _combine(members, "|", bounded=all(m.bounded for m in members))
    inverse = shapes.value(node, SH.inversePath)
    if inverse is not None:
        inner = _compile_path(shapes, inverse, names, where)
        return _Path("^" + _group(inner.sparql, inner), "^" + _group(inner.label, inner), inner.bounded)
    for predicate, modifier in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        repeated = shapes.value(node, predicate)
        if repeated is not None:
            inner = _compile_path(shapes, repeated, names, where)
            return _Path(_group(inner.sparql, inner) + modifier, _group(inner.label, inner) + modifier, False)
    raise UnsupportedShapeError(where + ": unknown kind of property path")


def _group(text: str, path: _Path) -> str:
    """Parenthesize a composite path before applying ^, *, + or ? to it."""
    return text if path.atomic else "(" + text + ")"


def _combine(members: Sequence[_Path], operator: str, bounded: bool) -> _Path:
    """A sequence (/) or alternative (|) of paths, each member grouped as needed."""
    sparql = "(" + operator.join(_group(m.sparql, m) for m in members) + ")"
    label = operator.join(_group(m.label, m) for m in members)
    return _Path(sparql, label, bounded, atomic=False)


# --------------------------------------------------------------------------------------------
# What the compiler accepts
# --------------------------------------------------------------------------------------------

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_VALUE_PARAMETERS = (
    SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.minInclusive, SH.maxInclusive,
    SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength, SH.languageIn,
    SH["or"], SH["and"], SH["not"], SH.xone, SH.node,
)  # fmt: skip
_PROPERTY_ONLY = (SH.minCount, SH.maxCount, SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint, SH.uniqueLang)
_SUPPORTED_PREDICATES = frozenset(
    {
        *_TARGETS, *_VALUE_PARAMETERS, *_PROPERTY_ONLY,
        SH.property, SH.path, SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath,
        SH.zeroOrOnePath, SH.hasValue, SH.flags, SH.closed, SH.ignoredProperties,
        SH.sparql, SH.select, SH.prefixes, SH.declare, SH.prefix, SH.namespace,
        SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
    }
)  # fmt: skip
_SUPPORTED_TYPES = frozenset(
    {SH.NodeShape, SH.PropertyShape, SH.Shape, SH.SPARQLConstraint, SH.PrefixDeclaration, SH.PropertyGroup}
)
_NODE_KINDS = {  # sh:nodeKind -> (IRI allowed, blank node allowed, literal allowed)
    SH.IRI: ("true", "false", "false"),
    SH.BlankNode: ("false", "true", "false"),
    SH.Literal: ("false", "false", "true"),
    SH.BlankNodeOrIRI: ("true", "true", "false"),
    SH.BlankNodeOrLiteral: ("false", "true", "true"),
    SH.IRIOrLiteral: ("true", "false", "true"),
}
_SEVERITIES = {SH.Violation: "sh:Violation", SH.Warning: "sh:Warning", SH.Info: "sh:Info"}
# Datatypes whose XSD cast function pyoxigraph implements: an ill-formed literal fails the cast.
_CASTABLE = frozenset(
    XSD[name]
    for name in (
        "string boolean integer decimal float double date time dateTime duration dayTimeDuration "
        "yearMonthDuration gYear gYearMonth gMonthDay gDay gMonth"
    ).split()
)
# Types derived from xsd:integer, which pyoxigraph cannot cast to: checked as integers in range.
_INTEGER_RANGES = {
    XSD.nonNegativeInteger: (0, None), XSD.positiveInteger: (1, None), XSD.nonPositiveInteger: (None, 0),
    XSD.negativeInteger: (None, -1), XSD.long: (-(2**63), 2**63 - 1), XSD.int: (-(2**31), 2**31 - 1),
    XSD.short: (-(2**15), 2**15 - 1), XSD.byte: (-128, 127), XSD.unsignedLong: (0, 2**64 - 1),
    XSD.unsignedInt: (0, 2**32 - 1), XSD.unsignedShort: (0, 2**16 - 1), XSD.unsignedByte: (0, 255),
}  # fmt: skip
_RANGES = {
    SH.minInclusive: "cond-min-inclusive", SH.maxInclusive: "cond-max-inclusive",
    SH.minExclusive: "cond-min-exclusive", SH.maxExclusive: "cond-max-exclusive",
}  # fmt: skip
_MAX_NESTING = 8


def _check_vocabulary(shapes: Graph) -> None:
    """Refuse any SHACL term the compiler does not implement, instead of silently ignoring it."""
    for subject, predicate, _ in sorted(shapes, key=str):
        if str(predicate).startswith(str(SH)) and predicate not in _SUPPORTED_PREDICATES:
            raise UnsupportedShapeError("unsupported SHACL property " + _qname(predicate) + " on " + _qname(subject))
    for subject, kind in sorted(shapes.subject_objects(RDF.type), key=str):
        if str(kind).startswith(str(SH)) and kind not in _SUPPORTED_TYPES:
            raise UnsupportedShapeError("unsupported SHACL type " + _qname(kind) + " on " + _qname(subject))


def _qname(node: Node) -> str:
    """A term for an error message."""
    text = str(node)
    return "sh:" + text[len(str(SH)) :] if text.startswith(str(SH)) else ("<" + text + ">" if isinstance(node, URIRef) else text)


# --------------------------------------------------------------------------------------------
# The compiler
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """Where a top-level constraint applies: a shape, its focus pattern, and its path if any."""

    shape: str
    focus: str
    path: _Path | None
    message: str | None
    severity: str


class _Compiler:
    """Turns one shapes graph into CompiledChecks; lives only for one compile."""

    def __init__(self, shapes: Graph, names: _Names, max_rows: int) -> None:
        self.shapes = shapes
        self.names = names
        self.limit = str(int(max_rows))
        self._variables = count(1)

    # ---- shapes and their targets ----------------------------------------------------------

    def compile(self) -> list[CompiledCheck]:
        """All checks of all targeted, active shapes, in a stable order."""
        _check_vocabulary(self.shapes)
        checks: list[CompiledCheck] = []
        for shape in self._targeted_shapes():
            if self._deactivated(shape):
                continue
            focus = self._focus(shape)
            checks.extend(self._shape_checks(shape, focus))
        return checks

    def _targeted_shapes(self) -> list[Node]:
        """Shapes with explicit targets, plus shapes that are also classes (implicit targets)."""
        shapes: set[Node] = set()
        for target in _TARGETS:
            shapes.update(self.shapes.subjects(target, None))
        for kind in (SH.NodeShape, SH.PropertyShape):
            for shape in self.shapes.subjects(RDF.type, kind):
                if self._is_class(shape):
                    shapes.add(shape)
        return sorted(shapes, key=str)

    def _is_class(self, node: Node) -> bool:
        return any((node, RDF.type, kind) in self.shapes for kind in (RDFS.Class, OWL.Class))

    def _focus(self, shape: Node) -> str:
        """The focus pattern for all targets of a shape, binding ?this."""
        where = self._id(shape)
        patterns: list[str] = []
        classes = list(self.shapes.objects(shape, SH.targetClass))
        if self._is_class(shape):
            classes.append(shape)
        for cls in sorted(set(classes), key=str):
            patterns.append(_fill("target-class", **{"class": _sparql_term(cls, where + " sh:targetClass")}))
        nodes = sorted(self.shapes.objects(shape, SH.targetNode), key=str)
        if nodes:
            patterns.append(_fill("target-node", nodes=" ".join(_sparql_term(n, where + " sh:targetNode") for n in nodes)))
        for predicate, template in ((SH.targetSubjectsOf, "target-subjects-of"), (SH.targetObjectsOf, "target-objects-of")):
            for iri in sorted(self.shapes.objects(shape, predicate), key=str):
                patterns.append(_fill(template, predicate=_sparql_term(iri, where)))
        focus = patterns[0]
        for pattern in patterns[1:]:
            focus = _fill("union", left=focus, right=pattern)
        return focus

    def _shape_checks(self, shape: Node, focus: str) -> list[CompiledCheck]:
        """Checks of a targeted shape: its own constraints and those of its property shapes."""
        path_node = self._single(shape, SH.path)
        if path_node is not None:  # a property shape with its own targets
            return self._property_checks(shape, focus)
        checks = self._node_checks(shape, focus)
        for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
            if not self._deactivated(prop):
                checks.extend(self._property_checks(prop, focus))
        for constraint in sorted(self.shapes.objects(shape, SH.sparql), key=str):
            checks.extend(self._sparql_checks(shape, constraint, focus, None))
        return checks

    # ---- node shapes --------------------------------------------------------------------------

    def _node_checks(self, shape: Node, focus: str) -> list[CompiledCheck]:
        """Constraints of a node shape: the focus node is its own (only) value node."""
        where = self._id(shape)
        for parameter in _PROPERTY_ONLY:
            if (shape, parameter, None) in self.shapes:
                raise UnsupportedShapeError(where + ": " + _qname(parameter) + " needs a property shape (sh:path)")
        scope = self._scope(shape, focus, None)
        checks = [
            self._value_check(scope, parameter, obj, condition)
            for parameter, obj, condition in self._value_conditions(shape, "?value", where)
        ]
        for term in sorted(self.shapes.objects(shape, SH.hasValue), key=str):
            condition = _fill("cond-has-value", value="?value", term=_sparql_term(term, where))
            checks.append(self._value_check(scope, SH.hasValue, term, condition))
        if self._flag(shape, SH.closed):
            checks.append(self._closed_check(shape, scope))
        return checks

    def _closed_check(self, shape: Node, scope: _Scope) -> CompiledCheck:
        """sh:closed: only the shape's own IRI paths and sh:ignoredProperties may appear."""
        where = self._id(shape)
        allowed: set[Node] = set()
        for prop in self.shapes.objects(shape, SH.property):
            path = self._single(prop, SH.path)
            if isinstance(path, URIRef):
                allowed.add(path)
        ignored = self._single(shape, SH.ignoredProperties)
        if ignored is not None:
            allowed.update(Collection(self.shapes, ignored))
        terms = " ".join(_sparql_term(p, where + " sh:ignoredProperties") for p in sorted(allowed, key=str))
        query = _fill("closed", focus=scope.focus, allowed=terms, limit=self.limit)
        return self._check(scope, SH.closed, "Predicate is not allowed by the closed shape", query)

    # ---- property shapes ----------------------------------------------------------------------

    def _property_checks(self, prop: Node, focus: str) -> list[CompiledCheck]:
        """One check per constraint of a property shape."""
        where = self._id(prop)
        path_node = self._single(prop, SH.path)
        if path_node is None:
            raise UnsupportedShapeError(where + ": a property shape needs exactly one sh:path")
        for unsupported in (SH.property, SH.closed):
            if (prop, unsupported, None) in self.shapes:
                raise UnsupportedShapeError(where + ": " + _qname(unsupported) + " on a property shape is not supported")
        path = _compile_path(self.shapes, path_node, self.names, where)
        scope = self._scope(prop, focus, path)
        checks = self._count_checks(prop, scope)
        for parameter, obj, condition in self._value_conditions(prop, "?value", where):
            if parameter == SH["class"] and isinstance(obj, URIRef):
                checks.append(self._class_check(scope, obj))
            else:
                checks.append(self._value_check(scope, parameter, obj, condition))
        for term in sorted(self.shapes.objects(prop, SH.hasValue), key=str):
            query = _fill("has-value", focus=focus, path=path.sparql, term=_sparql_term(term, where), limit=self.limit)
            checks.append(self._check(scope, SH.hasValue, "Missing the required value " + self.names.node(term), query))
        checks.extend(self._pair_checks(prop, scope))
        if self._flag(prop, SH.uniqueLang):
            generator, _, focus_filter = self._layout(scope)
            query = _fill("unique-lang", generator=generator, path=path.sparql, focus_filter=focus_filter, limit=self.limit)
            checks.append(self._check(scope, SH.uniqueLang, "More than one value in the same language", query))
        for constraint in sorted(self.shapes.objects(prop, SH.sparql), key=str):
            checks.extend(self._sparql_checks(prop, constraint, focus, path))
        return checks

    def _count_checks(self, prop: Node, scope: _Scope) -> list[CompiledCheck]:
        """sh:minCount walks focus nodes; sh:maxCount groups the path's triples."""
        assert scope.path is not None
        where = self._id(prop)
        checks: list[CompiledCheck] = []
        for node in self.shapes.objects(prop, SH.minCount):
            minimum = _sparql_integer(node, where + " sh:minCount")
            if minimum == "0":
                continue  # always satisfied
            if minimum == "1":
                query = _fill("min-count-one", focus=scope.focus, path=scope.path.sparql, limit=self.limit)
            else:
                query = _fill("min-count", focus=scope.focus, path=scope.path.sparql, min=minimum, limit=self.limit)
            checks.append(self._check(scope, SH.minCount, "Fewer than " + minimum + " value(s)", query))
        for node in self.shapes.objects(prop, SH.maxCount):
            maximum = _sparql_integer(node, where + " sh:maxCount")
            generator, values, focus_filter = self._layout(scope)
            query = _fill("max-count", generator=generator, values=values, max=maximum, focus_filter=focus_filter, limit=self.limit)
            checks.append(self._check(scope, SH.maxCount, "More than " + maximum + " value(s)", query))
        return checks

    def _pair_checks(self, prop: Node, scope: _Scope) -> list[CompiledCheck]:
        """sh:lessThan, sh:lessThanOrEquals, sh:equals and sh:disjoint against another property."""
        assert scope.path is not None
        where = self._id(prop)
        generator, values, focus_filter = self._layout(scope)
        checks: list[CompiledCheck] = []
        pairs = (
            (SH.lessThan, "less-than", "Value is not less than the value of "),
            (SH.lessThanOrEquals, "less-than-or-equals", "Value is greater than the value of "),
            (SH.equals, "equals", "Values differ from those of "),
            (SH.disjoint, "disjoint", "Value is also a value of "),
        )
        for parameter, template, text in pairs:
            for other in sorted(self.shapes.objects(prop, parameter), key=str):
                if not isinstance(other, URIRef):
                    raise UnsupportedShapeError(where + ": " + _qname(parameter) + " needs a property IRI")
                query = _fill(
                    template, generator=generator, values=values, path=scope.path.sparql,
                    other=_sparql_term(other, where), focus_filter=focus_filter, limit=self.limit,
                )  # fmt: skip
                checks.append(self._check(scope, parameter, text + self.names.node(other), query))
        return checks

    # ---- per-value constraints --------------------------------------------------------------

    def _value_conditions(self, shape: Node, variable: str, where: str) -> list[tuple[Node, Node, str]]:
        """(parameter, its value, SPARQL condition true when `variable` breaks it) per constraint."""
        conditions: list[tuple[Node, Node, str]] = []
        for parameter in _VALUE_PARAMETERS:
            for obj in sorted(self.shapes.objects(shape, parameter), key=str):
                condition = self._condition(shape, parameter, obj, variable, where, depth=0)
                conditions.append((parameter, obj, condition))
        if (shape, SH.flags, None) in self.shapes and (shape, SH.pattern, None) not in self.shapes:
            raise UnsupportedShapeError(where + ": sh:flags without sh:pattern")
        return conditions

    def _condition(self, shape: Node, parameter: Node, obj: Node, variable: str, where: str, depth: int) -> str:
        """SPARQL boolean expression, true when the value in `variable` breaks one constraint."""
        label = where + " " + _qname(parameter)
        if parameter == SH["class"]:
            return _fill("cond-class", value=variable, **{"class": _sparql_term(obj, label)})
        if parameter == SH.datatype:
            return self._datatype_condition(obj, variable, label)
        if parameter == SH.nodeKind:
            if obj not in _NODE_KINDS:
                raise UnsupportedShapeError(label + ": unknown node kind " + _qname(obj))
            iri, blank, literal = _NODE_KINDS[obj]  # type: ignore[index]
            return _fill("cond-node-kind", value=variable, iri=iri, blank=blank, literal=literal)
        if parameter == SH["in"]:
            members = [_fill("same-term", value=variable, term=_sparql_term(m, label)) for m in self._list(obj, label)]
            return _fill("cond-in", value=variable, matches=_join(members, "||", "false"))
        if parameter == SH.pattern:
            flags = self._single(shape, SH.flags)
            return _fill(
                "cond-pattern", value=variable, pattern=_sparql_term(Literal(str(obj)), label),
                flags=_sparql_term(Literal(str(flags) if flags is not None else ""), label),
            )  # fmt: skip
        if parameter in _RANGES:
            if not isinstance(obj, Literal):
                raise UnsupportedShapeError(label + " needs a literal")
            return _fill(_RANGES[parameter], value=variable, bound=_sparql_term(obj, label))  # type: ignore[index]
        if parameter in (SH.minLength, SH.maxLength):
            template = "cond-min-length" if parameter == SH.minLength else "cond-max-length"
            return _fill(template, value=variable, length=_sparql_integer(obj, label))
        if parameter == SH.languageIn:
            ranges = [_fill("lang-matches", value=variable, range=_sparql_term(Literal(str(r)), label)) for r in self._list(obj, label)]
            return _fill("cond-language-in", value=variable, matches=_join(ranges, "||", "false"))
        return self._logical_condition(parameter, obj, variable, label, depth)

    def _datatype_condition(self, datatype: Node, variable: str, label: str) -> str:
        """Wrong datatype, or (where pyoxigraph can tell) an ill-formed lexical form."""
        term = _sparql_term(datatype, label)
        if datatype in _CASTABLE:
            return _fill("cond-datatype-lexical", value=variable, datatype=term)
        if datatype in _INTEGER_RANGES:
            low, high = _INTEGER_RANGES[datatype]  # type: ignore[index]
            return _fill(
                "cond-datatype-integer", value=variable, datatype=term,
                lowest=str(low if low is not None else -(10**40)), highest=str(high if high is not None else 10**40),
            )  # fmt: skip
        return _fill("cond-datatype", value=variable, datatype=term)

    def _logical_condition(self, parameter: Node, obj: Node, variable: str, label: str, depth: int) -> str:
        """sh:or / sh:and / sh:xone over a list of shapes, sh:not and sh:node over one shape."""
        if parameter == SH["not"]:
            return self._conforms(obj, variable, depth + 1)
        if parameter == SH.node:
            return _fill("cond-negate", expression=self._conforms(obj, variable, depth + 1))
        members = [self._conforms(m, variable, depth + 1) for m in self._list(obj, label)]
        if parameter == SH["or"]:
            return _fill("cond-negate", expression=_join(members, "||", "false"))
        if parameter == SH["and"]:
            return _fill("cond-negate", expression=_join(members, "&&", "true"))
        if parameter == SH.xone:
            ones = [_fill("one-if", expression=m) for m in members]
            return _fill("cond-xone", count=_join(ones, "+", "0"))
        raise UnsupportedShapeError(label + ": not a per-value constraint")

    # ---- nested shapes (inside logical constraints) -----------------------------------------

    def _conforms(self, shape: Node, variable: str, depth: int) -> str:
        """SPARQL boolean expression: true when the node in `variable` conforms to `shape`."""
        where = self._id(shape)
        if depth > _MAX_NESTING:
            raise UnsupportedShapeError(where + ": shapes nested too deeply (recursive shape?)")
        if self._deactivated(shape):
            return "true"
        for unsupported in (SH.sparql, SH.closed, SH.uniqueLang):
            if (shape, unsupported, None) in self.shapes:
                raise UnsupportedShapeError(where + ": " + _qname(unsupported) + " inside sh:or/sh:and/sh:not/sh:xone/sh:node is not supported")
        path_node = self._single(shape, SH.path)
        if path_node is not None:
            violations = self._nested_property(shape, path_node, variable, depth)
        else:
            for parameter in _PROPERTY_ONLY:
                if (shape, parameter, None) in self.shapes:
                    raise UnsupportedShapeError(where + ": " + _qname(parameter) + " needs a property shape (sh:path)")
            violations = [c for _, _, c in self._nested_values(shape, variable, where, depth)]
            violations += [_fill("cond-has-value", value=variable, term=_sparql_term(t, where)) for t in self.shapes.objects(shape, SH.hasValue)]
            for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
                prop_path = self._single(prop, SH.path)
                if prop_path is None:
                    raise UnsupportedShapeError(self._id(prop) + ": a property shape needs exactly one sh:path")
                if not self._deactivated(prop):
                    violations += self._nested_property(prop, prop_path, variable, depth)
        return _fill("cond-negate", expression=_join(violations, "||", "false"))

    def _nested_values(self, shape: Node, variable: str, where: str, depth: int) -> list[tuple[Node, Node, str]]:
        """Per-value conditions of a nested shape, recursing into its logical constraints."""
        conditions = []
        for parameter in _VALUE_PARAMETERS:
            for obj in sorted(self.shapes.objects(shape, parameter), key=str):
                conditions.append((parameter, obj, self._condition(shape, parameter, obj, variable, where, depth)))
        return conditions

    def _nested_property(self, prop: Node, path_node: Node, node: str, depth: int) -> list[str]:
        """'Some constraint of this property shape is broken at `node`' as expressions."""
        where = self._id(prop)
        if (prop, SH.property, None) in self.shapes:
            raise UnsupportedShapeError(where + ": sh:property on a property shape is not supported")
        path = _compile_path(self.shapes, path_node, self.names, where)
        value = self._fresh("shaclValue")
        found: list[str] = []
        for _, _, condition in self._nested_values(prop, value, where, depth):
            found.append(_fill("exists-value", node=node, path=path.sparql, value=value, condition=condition))
        for minimum in self.shapes.objects(prop, SH.minCount):
            n = _sparql_integer(minimum, where + " sh:minCount")
            if n == "1":
                found.append(_fill("exists-min-count-one", node=node, path=path.sparql, value=value))
            elif n != "0":
                found.append(_fill("exists-min-count", node=node, path=path.sparql, value=value, count=self._fresh("shaclCount"), min=n))
        for maximum in self.shapes.objects(prop, SH.maxCount):
            n = _sparql_integer(maximum, where + " sh:maxCount")
            found.append(_fill("exists-max-count", node=node, path=path.sparql, value=value, count=self._fresh("shaclCount"), max=n))
        for term in self.shapes.objects(prop, SH.hasValue):
            found.append(_fill("exists-has-value", node=node, path=path.sparql, term=_sparql_term(term, where)))
        for parameter, template in (
            (SH.lessThan, "exists-less-than"), (SH.lessThanOrEquals, "exists-less-than-or-equals"),
            (SH.equals, "exists-equals"), (SH.disjoint, "exists-disjoint"),
        ):  # fmt: skip
            for other in self.shapes.objects(prop, parameter):
                found.append(
                    _fill(template, node=node, path=path.sparql, value=value, other=_sparql_term(other, where), otherValue=self._fresh("shaclOther"))
                )
        return found

    # ---- SHACL-SPARQL -------------------------------------------------------------------------

    def _sparql_checks(self, shape: Node, constraint: Node, focus: str, path: _Path | None) -> list[CompiledCheck]:
        """sh:sparql: the shape's SELECT, with the focus pattern injected to pre-bind $this."""
        where = self._id(constraint)
        if self._deactivated(constraint):
            return []
        if (constraint, SH.severity, None) in self.shapes:
            raise UnsupportedShapeError(where + ": put sh:severity on the shape, not on the SPARQL constraint")
        select = self._single(constraint, SH.select)
        if not isinstance(select, Literal):
            raise UnsupportedShapeError(where + ": sh:sparql needs exactly one sh:select (sh:ask is not supported)")
        text = _prepare_select(str(select), where, path)
        prefixes = dict(self._declared_prefixes(constraint))
        query = _fill("sparql", select=_inject_focus(text, focus, where), limit=self.limit)
        scope = self._scope(shape, focus, path)
        message = self._message(constraint) or scope.message or "SPARQL constraint is violated"
        return [
            CompiledCheck(
                shape=scope.shape, path=path.label if path else None, constraint="sh:sparql",
                message=message, severity=scope.severity, query=query,
                prefixes=tuple(sorted({**prefixes, **QUERY_PREFIXES}.items())),
            )  # fmt: skip
        ]

    def _declared_prefixes(self, constraint: Node) -> Iterator[tuple[str, str]]:
        """sh:prefixes -> sh:declare -> (sh:prefix, sh:namespace), handed to pyoxigraph as data."""
        for owner in self.shapes.objects(constraint, SH.prefixes):
            for declaration in self.shapes.objects(owner, SH.declare):
                prefix = self._single(declaration, SH.prefix)
                namespace = self._single(declaration, SH.namespace)
                if prefix is None or namespace is None or not re.fullmatch(r"[A-Za-z][\w.-]*|", str(prefix)):
                    raise UnsupportedShapeError(self._id(owner) + ": malformed sh:declare")
                yield str(prefix), str(namespace)

    # ---- building checks ----------------------------------------------------------------------

    def _layout(self, scope: _Scope) -> tuple[str, str, str]:
        """(generator, values, focus filter) for a value query: value-first where the path allows."""
        if scope.path is None:
            return scope.focus, _fill("values-node"), ""
        values = _fill("values-path", path=scope.path.sparql)
        if scope.path.bounded:
            return "", values, _fill("focus-filter", focus=scope.focus)
        return scope.focus, values, ""

    def _value_check(self, scope: _Scope, parameter: Node, obj: Node, condition: str) -> CompiledCheck:
        """A per-value constraint through value.rq."""
        generator, values, focus_filter = self._layout(scope)
        query = _fill("value", generator=generator, values=values, condition=condition, focus_filter=focus_filter, limit=self.limit)
        return self._check(scope, parameter, self._default_value_message(parameter, obj), query)

    def _class_check(self, scope: _Scope, cls: URIRef) -> CompiledCheck:
        """sh:class through class.rq (a MINUS anti-join against all instances)."""
        generator, values, focus_filter = self._layout(scope)
        query = _fill(
            "class", generator=generator, values=values, focus_filter=focus_filter, limit=self.limit,
            **{"class": _sparql_term(cls, scope.shape)},
        )  # fmt: skip
        return self._check(scope, SH["class"], "Value is not an instance of " + self.names.node(cls), query)

    def _default_value_message(self, parameter: Node, obj: Node) -> str:
        """A message for shapes without sh:message."""
        if parameter in (SH["in"], SH.languageIn):
            listed = ", ".join(self.names.node(m) for m in Collection(self.shapes, obj))  # type: ignore[arg-type]
            return "Value is not one of " + listed
        if parameter in (SH["or"], SH["and"], SH["not"], SH.xone, SH.node):
            return "Value does not conform to " + _qname(parameter)
        return "Value does not satisfy " + _qname(parameter) + " " + self.names.node(obj)

    def _check(self, scope: _Scope, parameter: Node, default_message: str, query: str) -> CompiledCheck:
        return CompiledCheck(
            shape=scope.shape,
            path=scope.path.label if scope.path else None,
            constraint=_qname(parameter),
            message=scope.message or default_message,
            severity=scope.severity,
            query=query,
            prefixes=tuple(sorted(QUERY_PREFIXES.items())),
        )

    def _scope(self, shape: Node, focus: str, path: _Path | None) -> _Scope:
        return _Scope(self._id(shape), focus, path, self._message(shape), self._severity(shape))

    # ---- small readers ------------------------------------------------------------------------

    def _id(self, node: Node) -> str:
        """How a shape is named in results: its IRI, else its sh:name, else its blank-node id."""
        if isinstance(node, URIRef):
            return str(node)
        name = self._single(node, SH.name)
        return str(name) if name is not None else "_:" + str(node)

    def _single(self, node: Node, predicate: URIRef) -> Node | None:
        values = list(self.shapes.objects(node, predicate))
        if len(values) > 1:
            raise UnsupportedShapeError(self._id(node) + ": more than one " + _qname(predicate))
        return values[0] if values else None

    def _list(self, node: Node, where: str) -> list[Node]:
        if node != RDF.nil and (node, RDF.first, None) not in self.shapes:
            raise UnsupportedShapeError(where + " needs an RDF list")
        return list(Collection(self.shapes, node))

    def _flag(self, node: Node, predicate: URIRef) -> bool:
        value = self._single(node, predicate)
        return isinstance(value, Literal) and value.toPython() is True

    def _deactivated(self, node: Node) -> bool:
        return self._flag(node, SH.deactivated)

    def _message(self, node: Node) -> str | None:
        """sh:message: English first, then untagged, then any language."""
        messages = sorted((m for m in self.shapes.objects(node, SH.message) if isinstance(m, Literal)), key=str)

        def rank(message: Literal) -> int:
            language = (message.language or "").lower()
            return 0 if language == "en" or language.startswith("en-") else 1 if not language else 2

        return str(min(messages, key=rank)) if messages else None

    def _severity(self, node: Node) -> str:
        severity = self._single(node, SH.severity)
        if severity is None:
            return _VIOLATION
        if severity not in _SEVERITIES:
            raise UnsupportedShapeError(self._id(node) + ": unknown sh:severity " + _qname(severity))
        return _SEVERITIES[severity]  # type: ignore[index]

    def _fresh(self, stem: str) -> str:
        """A new variable for nested patterns, so inner EXISTS never captures an outer variable."""
        return _sparql_variable(stem + str(next(self._variables)))


_PREFIX_DECLARATION = re.compile(r"^\s*(PREFIX|BASE)\b", re.IGNORECASE | re.MULTILINE)
_WHERE_OPEN = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_UNSUPPORTED_VARIABLES = re.compile(r"\$(shapesGraph|currentShape)\b")


def _prepare_select(text: str, where: str, path: _Path | None) -> str:
    """Check a SHACL-SPARQL SELECT and substitute $PATH, which the spec allows in property shapes."""
    if not re.match(r"\s*SELECT\b", text, re.IGNORECASE):
        raise UnsupportedShapeError(where + ": sh:select must be a SELECT query (declare prefixes with sh:prefixes)")
    if _PREFIX_DECLARATION.search(text):
        raise UnsupportedShapeError(where + ": declare prefixes with sh:prefixes, not in sh:select")
    if _UNSUPPORTED_VARIABLES.search(text):
        raise UnsupportedShapeError(where + ": $shapesGraph and $currentShape are not supported")
    if not re.search(r"[?$]this\b", text):
        raise UnsupportedShapeError(where + ": the SELECT must use and project $this")
    if re.search(r"\$PATH\b", text):
        if path is None:
            raise UnsupportedShapeError(where + ": $PATH is only allowed in property shapes")
        text = re.sub(r"\$PATH\b", lambda _: path.sparql, text)
    return text


def _inject_focus(select: str, focus: str, where: str) -> str:
    """Put the focus pattern first in the WHERE group, so its FILTERs see $this bound."""
    match = _WHERE_OPEN.search(select) or re.search(r"\{", select)
    if match is None:
        raise UnsupportedShapeError(where + ": cannot find the WHERE clause of sh:select")
    return select[: match.end()] + "\n" + focus + "\n" + select[match.end() :]


# --------------------------------------------------------------------------------------------
# Compile once
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _shapes_graph(path: Path, mtime_ns: int) -> Graph:
    """The parsed shapes file; keyed by mtime so an edited file is read again."""
    return Graph().parse(path, format="turtle")


@lru_cache(maxsize=8)
def _names_for(path: Path, mtime_ns: int) -> _Names:
    """ActorGraph's prefixes, then any others the shapes file declares (agsh:, ...)."""
    prefixes = dict(PREFIXES)
    known = set(prefixes.values())
    for prefix, namespace in _shapes_graph(path, mtime_ns).namespaces():
        if str(namespace) not in known and prefix and prefix not in prefixes:
            prefixes[prefix] = str(namespace)
            known.add(str(namespace))
    return _Names(prefixes)


@lru_cache(maxsize=8)
def _compile_file(path: Path, mtime_ns: int, max_rows: int) -> tuple[CompiledCheck, ...]:
    """Compile a shapes file once per (file version, row cap); ShapeValidator instances share it."""
    compiler = _Compiler(_shapes_graph(path, mtime_ns), _names_for(path, mtime_ns), max_rows)
    return tuple(compiler.compile())
