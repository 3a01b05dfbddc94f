"""The SHACL vocabulary this compiler honours, and the refusal of anything else."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from graph.ingest.validation.checks import UnsupportedShapeError

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
# Datatypes whose XSD cast function Oxigraph implements: an ill-formed literal fails the cast.
_CASTABLE = frozenset(
    XSD[name]
    for name in ["string", "boolean", "integer", "decimal", "float", "double", "date", "time", "dateTime", "duration", "dayTimeDuration", "yearMonthDuration", "gYear", "gYearMonth", "gMonthDay", "gDay", "gMonth"]
)
# Types derived from xsd:integer, which Oxigraph cannot cast to: checked as integers in range.
# Oxigraph's integers are 64-bit, which also bounds the "unbounded" types here.
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
