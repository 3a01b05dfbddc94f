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
from functools import cache, lru_cache
from importlib import resources
from itertools import count, islice
from pathlib import Path
from string import Template
from typing import Union

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from ontology.files import SHAPES_FILE
from ontology.namespaces import PREFIXES
from queries import catalog

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

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple]

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
    """One (shape, constraint) pair compiled to a SELECT whose rows are the violations.

    Rows bind ?this (the focus node) and, where the constraint has one, ?value; a SHACL-SPARQL
    query may also bind ?path.
    """

    shape: str
    path: str | None
    constraint: str
    message: str
    severity: str
    query: str
    prefixes: tuple[tuple[str, str], ...]

    def violations(self, solutions: ox.QuerySolutions, names: _Names) -> Iterator[Violation]:
        """Turn result rows into Violations."""
        projected = [variable.value for variable in solutions.variables]
        for solution in solutions:
            row: dict[str, Term] = {}
            for name in projected:
                term = solution[name]
                if term is not None:
                    row[name] = term
            focus = row.get("this")
            if focus is None:  # a SHACL-SPARQL query may leave $this unbound: nothing to report
                continue
            path = self.path
            if isinstance(row.get("path"), ox.NamedNode):
                path = names.compact(row["path"].value)  # type: ignore[union-attr]
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
        """Compile the shapes (cached per file version).

        `workers` threads run the checks: pyoxigraph releases the GIL while it evaluates a query,
        so independent checks run in parallel on several cores.
        """
        path = Path(shapes_path).resolve()
        version = path.stat().st_mtime_ns
        self.shapes_path = path
        self.checks: tuple[CompiledCheck, ...] = _compile_file(path, version, max_rows_per_check)
        self.workers = max(1, workers if workers is not None else min(4, os.cpu_count() or 1))
        self._names = _names_for(path, version)

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
        The report lists violations in check order, whatever order the threads finish in.
        """
        data = _unique(data_graphs)
        if limit <= 0 or not data:
            return []
        default = _unique([*data, *context_graphs])

        def run(check: CompiledCheck) -> list[Violation]:
            solutions = store.query(
                check.query, default_graph=default, named_graphs=data, prefixes=dict(check.prefixes)
            )
            assert isinstance(solutions, ox.QuerySolutions)
            return list(islice(check.violations(solutions, self._names), limit))

        found: list[Violation] = []
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="shacl") as pool:
            for result in pool.map(run, self.checks):
                found.extend(result[: limit - len(found)])
                if len(found) >= limit:
                    pool.shutdown(wait=False, cancel_futures=True)
                    break
        return found

    def compact(self, iri: str) -> str:
        """An IRI as violations show it: ag:confidence, or <iri> outside the known namespaces."""
        return self._names.compact(iri)


def default_validator() -> ShapeValidator:
    """The validator for the bundled shapes file; compiling is cached, so this is cheap to call."""
    return ShapeValidator()


# --------------------------------------------------------------------------------------------
# Reading results
# --------------------------------------------------------------------------------------------


def _node_id(term: Term) -> str:
    """A focus node as the Violation reports it: the IRI itself, or _:id for a blank node."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def _unique(graphs: Sequence[ox.NamedNode]) -> list[ox.NamedNode]:
    """Graphs in order, each once, so that no graph is read twice."""
    seen: dict[str, ox.NamedNode] = {}
    for graph in graphs:
        seen.setdefault(graph.value, graph)
    return list(seen.values())


_MESSAGE_VARIABLE = re.compile(r"\{[?$](\w+)\}")


def _render_message(template: str, row: Mapping[str, Term], path: str | None, names: _Names) -> str:
    """Fill SHACL message placeholders such as {?value} and {$this} from the result row."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "path" and path is not None and "path" not in row:
            return path
        term = row.get(name)
        return match.group(0) if term is None else names.readable(term)

    return _MESSAGE_VARIABLE.sub(replace, template)


# --------------------------------------------------------------------------------------------
# Readable names
# --------------------------------------------------------------------------------------------

_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_](?:[\w.-]*[\w-])?$")


class _Names:
    """Prefixed names for IRIs, so that paths and values read like the Turtle people write."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # Longest namespace first, so that code: wins over a shorter namespace it extends.
        pairs = ((namespace, prefix) for prefix, namespace in prefixes.items())
        self._by_namespace = sorted(pairs, key=lambda pair: -len(pair[0]))

    def compact(self, iri: str) -> str:
        """ag:confidence for an IRI in a known namespace, else <iri>."""
        for namespace, prefix in self._by_namespace:
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and _LOCAL_NAME.match(local):
                return prefix + ":" + local
        return "<" + iri + ">"

    def readable(self, term: Term) -> str:
        """A result term in Turtle-like form: ag:x, _:b0, "2013-13-45"^^xsd:date, "x"@en."""
        if isinstance(term, ox.NamedNode):
            return self.compact(term.value)
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        if isinstance(term, ox.Literal):
            return self._literal(term.value, term.language, term.datatype.value)
        return str(term)

    def node(self, node: Node) -> str:
        """A shapes-graph term in the same form (for default messages)."""
        if isinstance(node, URIRef):
            return self.compact(str(node))
        if isinstance(node, Literal):
            return self._literal(str(node), node.language, str(node.datatype or XSD.string))
        return "_:" + str(node)

    def _literal(self, text: str, language: str | None, datatype: str) -> str:
        if language:
            return _sparql_string(text) + "@" + language
        if datatype == str(XSD.string):
            return _sparql_string(text)
        return _sparql_string(text) + "^^" + self.compact(datatype)


# --------------------------------------------------------------------------------------------
# SPARQL text: templates and term serialization
# --------------------------------------------------------------------------------------------

_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _sparql_string(text: str) -> str:
    """A quoted SPARQL/Turtle string with every character that could end it escaped."""
    return '"' + "".join(_STRING_ESCAPES.get(char, char) for char in text) + '"'


def _sparql_iri(iri: str) -> str:
    """<iri>, refusing characters that would let an IRI break out of its brackets."""
    if not iri or _IRI_UNSAFE.search(iri):
        raise UnsupportedShapeError("IRI cannot be written safely in SPARQL: " + repr(iri))
    return "<" + iri + ">"


def _sparql_term(node: Node, where: str) -> str:
    """A shapes-graph IRI or literal as a SPARQL term. Blank nodes never match data: refused."""
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


def _sparql_string_term(node: Node, where: str) -> str:
    """The lexical form of a parameter (a regex, flags, a language range) as a plain string."""
    return _sparql_term(Literal(str(node)), where)


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


@cache
def _template(name: str) -> Template:
    """queries/shacl/<name>.rq without its comment header."""
    return Template(catalog.body((_TEMPLATE_DIR / (name + ".rq")).read_text(encoding="utf-8")))


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
    # False when the path has *, + or ?: scanning it with both ends unbound would walk every node.
    bounded: bool
    atomic: bool = True


def _compile_path(shapes: Graph, node: Node, names: _Names, where: str) -> _Path:
    """Translate sh:path (IRI, sequence, inverse, alternative, zero-or-more, ...) to SPARQL."""
    if isinstance(node, URIRef):
        return _Path(_sparql_iri(str(node)), names.compact(str(node)), True)
    if not isinstance(node, BNode):
        raise UnsupportedShapeError(where + ": sh:path must be an IRI or a path node")
    if (node, RDF.first, None) in shapes:
        return _combine(_path_list(shapes, node, names, where), "/")
    alternatives = shapes.value(node, SH.alternativePath)
    if alternatives is not None:
        return _combine(_path_list(shapes, alternatives, names, where), "|")
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


def _path_list(shapes: Graph, node: Node, names: _Names, where: str) -> list[_Path]:
    """The members of a sequence or alternative path; SHACL requires at least two."""
    members = [_compile_path(shapes, item, names, where) for item in Collection(shapes, node)]
    if len(members) < 2:
        raise UnsupportedShapeError(where + ": a sequence or alternative path needs two members or more")
    return members


def _group(text: str, path: _Path) -> str:
    """Parenthesize a composite path before applying ^, *, + or ? to it."""
    return text if path.atomic else "(" + text + ")"


def _combine(members: Sequence[_Path], operator: str) -> _Path:
    """A sequence (/) or alternative (|) of paths, each member grouped as needed."""
    sparql = "(" + operator.join(_group(m.sparql, m) for m in members) + ")"
    label = operator.join(_group(m.label, m) for m in members)
    return _Path(sparql, label, all(m.bounded for m in members), atomic=False)


# --------------------------------------------------------------------------------------------
# What the compiler accepts
# --------------------------------------------------------------------------------------------

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Constraints checked on each value node on its own (the value is the focus node in node shapes).
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
_NODE_KINDS = {  # sh:nodeKind -> whether an IRI, a blank node, a literal is allowed
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
    for name in ["string", "boolean", "integer", "decimal", "float", "double", "date", "time", "dateTime", "duration", "dayTimeDuration", "yearMonthDuration", "gYear", "gYearMonth", "gMonthDay", "gDay", "gMonth"]
)
# Types derived from xsd:integer, which pyoxigraph cannot cast to: checked as integers in range.
# pyoxigraph's integers are 64-bit, which also bounds the "unbounded" types here.
_LOWEST, _HIGHEST = -(2**63), 2**63 - 1
_INTEGER_RANGES = {
    XSD.nonNegativeInteger: (0, _HIGHEST), XSD.positiveInteger: (1, _HIGHEST),
    XSD.nonPositiveInteger: (_LOWEST, 0), XSD.negativeInteger: (_LOWEST, -1),
    XSD.long: (_LOWEST, _HIGHEST), XSD.int: (-(2**31), 2**31 - 1), XSD.short: (-(2**15), 2**15 - 1),
    XSD.byte: (-128, 127), XSD.unsignedLong: (0, _HIGHEST), XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1), XSD.unsignedByte: (0, 255),
}  # fmt: skip
_RANGES = {
    SH.minInclusive: "cond-min-inclusive", SH.maxInclusive: "cond-max-inclusive",
    SH.minExclusive: "cond-min-exclusive", SH.maxExclusive: "cond-max-exclusive",
}  # fmt: skip
_PAIRS = (  # parameter, top-level template, nested template, default message
    (SH.lessThan, "less-than", "exists-less-than", "Value is not less than the value of "),
    (SH.lessThanOrEquals, "less-than-or-equals", "exists-less-than-or-equals", "Value is greater than the value of "),
    (SH.equals, "equals", "exists-equals", "Values differ from those of "),
    (SH.disjoint, "disjoint", "exists-disjoint", "Value is also a value of "),
)
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
    """A SHACL term as sh:name, other IRIs in brackets: for constraint names and error messages."""
    text = str(node)
    if text.startswith(str(SH)):
        return "sh:" + text[len(str(SH)) :]
    return "<" + text + ">" if isinstance(node, URIRef) else text


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
    """Turns one shapes graph into CompiledChecks; lives for one compile only."""

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
            if not self._deactivated(shape):
                checks.extend(self._shape_checks(shape, self._focus(shape)))
        return checks

    def _targeted_shapes(self) -> list[Node]:
        """Shapes with explicit targets, plus shapes that are also classes (implicit targets)."""
        shapes: set[Node] = set()
        for target in _TARGETS:
            shapes.update(self.shapes.subjects(target, None))
        for kind in (SH.NodeShape, SH.PropertyShape):
            shapes.update(s for s in self.shapes.subjects(RDF.type, kind) if self._is_class(s))
        return sorted(shapes, key=str)

    def _is_class(self, node: Node) -> bool:
        return any((node, RDF.type, kind) in self.shapes for kind in (RDFS.Class, OWL.Class))

    def _focus(self, shape: Node) -> str:
        """The focus pattern for all targets of a shape, binding ?this."""
        where = self._id(shape)
        patterns: list[str] = []
        classes = set(self.shapes.objects(shape, SH.targetClass))
        if self._is_class(shape):
            classes.add(shape)
        for cls in sorted(classes, key=str):
            patterns.append(_fill("target-class", **{"class": _sparql_term(cls, where + " sh:targetClass")}))
        targets = sorted(self.shapes.objects(shape, SH.targetNode), key=str)
        nodes = [_sparql_term(node, where + " sh:targetNode") for node in targets]
        if nodes:
            patterns.append(_fill("target-node", nodes=" ".join(nodes)))
        for predicate, template in (
            (SH.targetSubjectsOf, "target-subjects-of"),
            (SH.targetObjectsOf, "target-objects-of"),
        ):
            for iri in sorted(self.shapes.objects(shape, predicate), key=str):
                patterns.append(_fill(template, predicate=_sparql_term(iri, where)))
        focus = patterns[0]
        for pattern in patterns[1:]:
            focus = _fill("union", left=focus, right=pattern)
        return focus

    def _shape_checks(self, shape: Node, focus: str) -> list[CompiledCheck]:
        """Checks of a targeted shape: its own constraints and those of its property shapes."""
        if self._single(shape, SH.path) is not None:  # a property shape with its own targets
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
        self._refuse_property_only(shape, where)
        scope = self._scope(shape, focus, None)
        checks = [
            self._value_check(scope, parameter, obj, condition)
            for parameter, obj, condition in self._value_conditions(shape, "?value", where, depth=0)
        ]
        for term in sorted(self.shapes.objects(shape, SH.hasValue), key=str):
            condition = _fill("cond-has-value", value="?value", term=_sparql_term(term, where))
            checks.append(self._value_check(scope, SH.hasValue, term, condition))
        if self._flag(shape, SH.closed):
            checks.append(self._closed_check(shape, scope))
        return checks

    def _closed_check(self, shape: Node, scope: _Scope) -> CompiledCheck:
        """sh:closed: only the shape's own IRI paths and sh:ignoredProperties may appear."""
        paths = (self._single(prop, SH.path) for prop in self.shapes.objects(shape, SH.property))
        allowed: set[Node] = {path for path in paths if isinstance(path, URIRef)}
        ignored = self._single(shape, SH.ignoredProperties)
        if ignored is not None:
            allowed.update(self._list(ignored, scope.shape + " sh:ignoredProperties"))  # type: ignore[arg-type]
        terms = " ".join(_sparql_term(p, scope.shape + " sh:ignoredProperties") for p in sorted(allowed, key=str))
        query = _fill("closed", focus=scope.focus, allowed=terms, limit=self.limit)
        return self._check(scope, SH.closed, "Predicate is not allowed by the closed shape", query)

    # ---- property shapes ----------------------------------------------------------------------

    def _property_checks(self, prop: Node, focus: str) -> list[CompiledCheck]:
        """One check per constraint of a property shape."""
        where = self._id(prop)
        self._refuse(prop, (SH.property, SH.closed), where, "on a property shape is not supported")
        path = self._path(prop, where)
        scope = self._scope(prop, focus, path)
        checks = self._count_checks(prop, scope)
        for parameter, obj, condition in self._value_conditions(prop, "?value", where, depth=0):
            if parameter == SH["class"]:
                checks.append(self._class_check(scope, obj))
            else:
                checks.append(self._value_check(scope, parameter, obj, condition))
        for term in sorted(self.shapes.objects(prop, SH.hasValue), key=str):
            query = _fill("has-value", focus=focus, path=path.sparql, term=_sparql_term(term, where), limit=self.limit)
            checks.append(self._check(scope, SH.hasValue, "Missing the required value " + self.names.node(term), query))
        checks.extend(self._pair_checks(prop, scope, path))
        if self._flag(prop, SH.uniqueLang):
            generator, _, focus_filter = self._layout(scope)
            query = _fill(
                "unique-lang", generator=generator, path=path.sparql, focus_filter=focus_filter, limit=self.limit
            )
            checks.append(self._check(scope, SH.uniqueLang, "More than one value in the same language", query))
        for constraint in sorted(self.shapes.objects(prop, SH.sparql), key=str):
            checks.extend(self._sparql_checks(prop, constraint, focus, path))
        return checks

    def _count_checks(self, prop: Node, scope: _Scope) -> list[CompiledCheck]:
        """sh:minCount walks the focus nodes; sh:maxCount groups the path's triples."""
        assert scope.path is not None
        checks: list[CompiledCheck] = []
        for node in sorted(self.shapes.objects(prop, SH.minCount), key=str):
            minimum = _sparql_integer(node, scope.shape + " sh:minCount")
            if minimum == "0":
                continue  # always satisfied
            template = "min-count-one" if minimum == "1" else "min-count"
            query = _fill(template, focus=scope.focus, path=scope.path.sparql, min=minimum, limit=self.limit)
            checks.append(self._check(scope, SH.minCount, "Fewer than " + minimum + " value(s)", query))
        for node in sorted(self.shapes.objects(prop, SH.maxCount), key=str):
            maximum = _sparql_integer(node, scope.shape + " sh:maxCount")
            generator, values, focus_filter = self._layout(scope)
            query = _fill(
                "max-count", generator=generator, values=values, max=maximum, focus_filter=focus_filter,
                limit=self.limit,
            )  # fmt: skip
            checks.append(self._check(scope, SH.maxCount, "More than " + maximum + " value(s)", query))
        return checks

    def _pair_checks(self, prop: Node, scope: _Scope, path: _Path) -> list[CompiledCheck]:
        """sh:lessThan, sh:lessThanOrEquals, sh:equals and sh:disjoint against another property."""
        generator, values, focus_filter = self._layout(scope)
        checks: list[CompiledCheck] = []
        for parameter, template, _, text in _PAIRS:
            for other in sorted(self.shapes.objects(prop, parameter), key=str):
                query = _fill(
                    template, generator=generator, values=values, path=path.sparql,
                    other=self._property_iri(other, scope.shape, parameter), focus_filter=focus_filter,
                    limit=self.limit,
                )  # fmt: skip
                checks.append(self._check(scope, parameter, text + self.names.node(other), query))
        return checks

    # ---- per-value constraints --------------------------------------------------------------

    def _value_conditions(self, shape: Node, variable: str, where: str, depth: int) -> list[tuple[Node, Node, str]]:
        """(parameter, its value, SPARQL condition true when `variable` breaks it), per constraint."""
        if (shape, SH.flags, None) in self.shapes and (shape, SH.pattern, None) not in self.shapes:
            raise UnsupportedShapeError(where + ": sh:flags without sh:pattern")
        return [
            (parameter, obj, self._condition(shape, parameter, obj, variable, where, depth))
            for parameter in _VALUE_PARAMETERS
            for obj in sorted(self.shapes.objects(shape, parameter), key=str)
        ]

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
            pattern = _sparql_string_term(obj, label)
            flags_term = _sparql_string_term(flags or Literal(""), label)
            return _fill("cond-pattern", value=variable, pattern=pattern, flags=flags_term)
        if parameter in _RANGES:
            if not isinstance(obj, Literal):
                raise UnsupportedShapeError(label + " needs a literal")
            return _fill(_RANGES[parameter], value=variable, bound=_sparql_term(obj, label))  # type: ignore[index]
        if parameter in (SH.minLength, SH.maxLength):
            template = "cond-min-length" if parameter == SH.minLength else "cond-max-length"
            return _fill(template, value=variable, length=_sparql_integer(obj, label))
        if parameter == SH.languageIn:
            ranges = [
                _fill("lang-matches", value=variable, range=_sparql_string_term(language, label))
                for language in self._list(obj, label)
            ]
            return _fill("cond-language-in", value=variable, matches=_join(ranges, "||", "false"))
        return self._logical_condition(parameter, obj, variable, label, depth)

    def _datatype_condition(self, datatype: Node, variable: str, label: str) -> str:
        """Wrong datatype, or (where pyoxigraph can tell) an ill-formed lexical form."""
        term = _sparql_term(datatype, label)
        if datatype in _CASTABLE:
            return _fill("cond-datatype-lexical", value=variable, datatype=term)
        if datatype in _INTEGER_RANGES:
            low, high = _INTEGER_RANGES[datatype]  # type: ignore[index]
            return _fill("cond-datatype-integer", value=variable, datatype=term, lowest=str(low), highest=str(high))
        return _fill("cond-datatype", value=variable, datatype=term)

    def _logical_condition(self, parameter: Node, obj: Node, variable: str, label: str, depth: int) -> str:
        """sh:or / sh:and / sh:xone over a list of shapes, sh:not and sh:node over one shape."""
        if parameter == SH["not"]:
            return self._conforms(obj, variable, depth + 1)
        if parameter == SH.node:
            return _fill("cond-negate", expression=self._conforms(obj, variable, depth + 1))
        members = [self._conforms(member, variable, depth + 1) for member in self._list(obj, label)]
        if parameter == SH["or"]:
            return _fill("cond-negate", expression=_join(members, "||", "false"))
        if parameter == SH["and"]:
            return _fill("cond-negate", expression=_join(members, "&&", "true"))
        if parameter == SH.xone:
            ones = [_fill("one-if", expression=member) for member in members]
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
        self._refuse(shape, (SH.sparql, SH.closed), where, "is not supported inside a logical constraint")
        if self._single(shape, SH.path) is not None:
            broken = self._nested_property(shape, variable, depth)
        else:
            self._refuse_property_only(shape, where)
            broken = [condition for _, _, condition in self._value_conditions(shape, variable, where, depth)]
            broken += [
                _fill("cond-has-value", value=variable, term=_sparql_term(term, where))
                for term in sorted(self.shapes.objects(shape, SH.hasValue), key=str)
            ]
            for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
                if not self._deactivated(prop):
                    broken += self._nested_property(prop, variable, depth)
        return _fill("cond-negate", expression=_join(broken, "||", "false"))

    def _nested_property(self, prop: Node, node: str, depth: int) -> list[str]:
        """Expressions true when some constraint of this property shape is broken at `node`."""
        where = self._id(prop)
        self._refuse(prop, (SH.property, SH.uniqueLang), where, "is not supported inside a logical constraint")
        path = self._path(prop, where).sparql
        value = self._fresh("shaclValue")
        broken = [
            _fill("exists-value", node=node, path=path, value=value, condition=condition)
            for _, _, condition in self._value_conditions(prop, value, where, depth)
        ]
        for minimum in sorted(self.shapes.objects(prop, SH.minCount), key=str):
            n = _sparql_integer(minimum, where + " sh:minCount")
            if n == "1":
                broken.append(_fill("exists-min-count-one", node=node, path=path, value=value))
            elif n != "0":
                count_variable = self._fresh("shaclCount")
                broken.append(_fill("exists-min-count", node=node, path=path, value=value, count=count_variable, min=n))
        for maximum in sorted(self.shapes.objects(prop, SH.maxCount), key=str):
            n = _sparql_integer(maximum, where + " sh:maxCount")
            count_variable = self._fresh("shaclCount")
            broken.append(_fill("exists-max-count", node=node, path=path, value=value, count=count_variable, max=n))
        for term in sorted(self.shapes.objects(prop, SH.hasValue), key=str):
            broken.append(_fill("exists-has-value", node=node, path=path, term=_sparql_term(term, where)))
        for parameter, _, template, _ in _PAIRS:
            for other in sorted(self.shapes.objects(prop, parameter), key=str):
                other_term = self._property_iri(other, where, parameter)
                other_value = self._fresh("shaclOther")
                broken.append(
                    _fill(template, node=node, path=path, value=value, other=other_term, otherValue=other_value)
                )
        return broken

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
        text = _inject_focus(_prepare_select(str(select), where, path), focus, where)
        scope = self._scope(shape, focus, path)
        prefixes = {**dict(self._declared_prefixes(constraint)), **QUERY_PREFIXES}
        return [
            CompiledCheck(
                shape=scope.shape,
                path=path.label if path else None,
                constraint="sh:sparql",
                message=self._message(constraint) or scope.message or "SPARQL constraint is violated",
                severity=scope.severity,
                query=_fill("sparql", select=text, limit=self.limit),
                prefixes=tuple(sorted(prefixes.items())),
            )
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
        """(generator, values, focus filter) of a value query: value-first where the path allows."""
        if scope.path is None:
            return scope.focus, _fill("values-node"), ""
        values = _fill("values-path", path=scope.path.sparql)
        if scope.path.bounded:
            return "", values, _fill("focus-filter", focus=scope.focus)
        return scope.focus, values, ""

    def _value_check(self, scope: _Scope, parameter: Node, obj: Node, condition: str) -> CompiledCheck:
        """A per-value constraint through value.rq."""
        generator, values, focus_filter = self._layout(scope)
        query = _fill(
            "value", generator=generator, values=values, condition=condition, focus_filter=focus_filter,
            limit=self.limit,
        )  # fmt: skip
        return self._check(scope, parameter, self._default_value_message(parameter, obj), query)

    def _class_check(self, scope: _Scope, cls: Node) -> CompiledCheck:
        """sh:class through class.rq: a MINUS anti-join against all instances, computed once."""
        generator, values, focus_filter = self._layout(scope)
        query = _fill(
            "class", generator=generator, values=values, focus_filter=focus_filter, limit=self.limit,
            **{"class": _sparql_term(cls, scope.shape + " sh:class")},
        )  # fmt: skip
        return self._check(scope, SH["class"], "Value is not an instance of " + self.names.node(cls), query)

    def _default_value_message(self, parameter: Node, obj: Node) -> str:
        """A message for shapes without sh:message."""
        if parameter in (SH["in"], SH.languageIn):
            return "Value is not one of " + ", ".join(self.names.node(m) for m in self._list(obj, "sh:in"))
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
        names = sorted(self.shapes.objects(node, SH.name), key=str)
        return str(names[0]) if names else "_:" + str(node)

    def _path(self, prop: Node, where: str) -> _Path:
        path = self._single(prop, SH.path)
        if path is None:
            raise UnsupportedShapeError(where + ": a property shape needs exactly one sh:path")
        return _compile_path(self.shapes, path, self.names, where)

    def _property_iri(self, node: Node, where: str, parameter: Node) -> str:
        if not isinstance(node, URIRef):
            raise UnsupportedShapeError(where + ": " + _qname(parameter) + " needs a property IRI")
        return _sparql_term(node, where)

    def _refuse_property_only(self, shape: Node, where: str) -> None:
        self._refuse(shape, _PROPERTY_ONLY, where, "needs a property shape (sh:path)")

    def _refuse(self, shape: Node, parameters: Sequence[URIRef], where: str, reason: str) -> None:
        """Raise for the first of `parameters` that the shape uses: it cannot be honoured here."""
        for parameter in parameters:
            if (shape, parameter, None) in self.shapes:
                raise UnsupportedShapeError(where + ": " + _qname(parameter) + " " + reason)

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
        """A new variable for nested patterns, so an inner EXISTS never captures an outer variable."""
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
    """Put the focus pattern first in the WHERE group, so that the group's FILTERs see $this bound."""
    match = _WHERE_OPEN.search(select) or re.search(r"\{", select)
    if match is None:
        raise UnsupportedShapeError(where + ": cannot find the WHERE clause of sh:select")
    return select[: match.end()] + "\n" + focus + "\n" + select[match.end() :]


# --------------------------------------------------------------------------------------------
# Compile once
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _shapes_graph(path: Path, version: int) -> Graph:
    """The parsed shapes file; keyed by modification time, so an edited file is read again."""
    return Graph().parse(path, format="turtle")


@lru_cache(maxsize=8)
def _names_for(path: Path, version: int) -> _Names:
    """ActorGraph's prefixes, then any others the shapes file declares (agsh:, ...)."""
    prefixes = dict(PREFIXES)
    known = set(prefixes.values())
    for prefix, namespace in _shapes_graph(path, version).namespaces():
        if prefix and prefix not in prefixes and str(namespace) not in known:
            prefixes[prefix] = str(namespace)
            known.add(str(namespace))
    return _Names(prefixes)


@lru_cache(maxsize=8)
def _compile_file(path: Path, version: int, max_rows: int) -> tuple[CompiledCheck, ...]:
    """Compile a shapes file once per (file version, row cap); ShapeValidator instances share it."""
    compiler = _Compiler(_shapes_graph(path, version), _names_for(path, version), max_rows)
    return tuple(compiler.compile())
