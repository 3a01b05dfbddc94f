"""Compiling a shapes file to SPARQL checks, once per file version."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from graph.ingest.validation.checks import QUERY_PREFIXES, CompiledCheck, UnsupportedShapeError
from graph.ingest.validation.conditions import _Conditions
from graph.ingest.validation.names import _Names
from graph.ingest.validation.reader import _Scope
from graph.ingest.validation.sparql_text import _fill, _Path, _sparql_integer, _sparql_term
from graph.ingest.validation.vocabulary import _PAIRS, _TARGETS, _check_vocabulary, _qname
from ontology.namespaces import PREFIXES


class _Compiler(_Conditions):
    """Turns one shapes graph into CompiledChecks; lives for one compile only."""

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
            allowed.update(self._list(ignored, scope.shape + " sh:ignoredProperties"))
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
        """sh:minCount walks the focus nodes, but sh:minCount 1 on a path without * + ? scans the
        path's triples, with the walk as its focused form; sh:maxCount groups the path's triples."""
        assert scope.path is not None
        checks: list[CompiledCheck] = []
        for node in sorted(self.shapes.objects(prop, SH.minCount), key=str):
            minimum = _sparql_integer(node, scope.shape + " sh:minCount")
            if minimum == "0":
                continue  # always satisfied
            template = "min-count-one" if minimum == "1" else "min-count"
            query = _fill(template, focus=scope.focus, path=scope.path.sparql, min=minimum, limit=self.limit)
            focused = None
            if minimum == "1" and scope.path.bounded:
                query, focused = _fill("min-count-one-scan", focus=scope.focus, path=scope.path.sparql, limit=self.limit), query
            checks.append(self._check(scope, SH.minCount, "Fewer than " + minimum + " value(s)", query, focused))
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
        """sh:prefixes -> sh:declare -> (sh:prefix, sh:namespace), handed to Oxigraph as data."""
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

    def _check(self, scope: _Scope, parameter: Node, default_message: str, query: str, focused_query: str | None = None) -> CompiledCheck:
        return CompiledCheck(
            shape=scope.shape,
            path=scope.path.label if scope.path else None,
            constraint=_qname(parameter),
            message=scope.message or default_message,
            severity=scope.severity,
            query=query,
            prefixes=tuple(sorted(QUERY_PREFIXES.items())),
            focused_query=focused_query,
        )

    def _scope(self, shape: Node, focus: str, path: _Path | None) -> _Scope:
        return _Scope(self._id(shape), focus, path, self._message(shape), self._severity(shape))

    # ---- small readers ------------------------------------------------------------------------


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
