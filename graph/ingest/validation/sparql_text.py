"""Shapes-file terms written as SPARQL text (escaped, never data values), the query templates of
queries/shacl/, and property paths."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from graph.ingest.validation.checks import UnsupportedShapeError
from queries import catalog

if TYPE_CHECKING:
    from graph.ingest.validation.names import _Names


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
