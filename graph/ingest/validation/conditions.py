"""Per-value SHACL constraints as boolean SPARQL conditions, composed by sh:and, sh:or, sh:not,
sh:xone and sh:node."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from graph.ingest.validation.checks import UnsupportedShapeError
from graph.ingest.validation.reader import _ShapeReader
from graph.ingest.validation.sparql_text import _fill, _join, _sparql_integer, _sparql_string_term, _sparql_term
from graph.ingest.validation.vocabulary import (
    _CASTABLE,
    _INTEGER_RANGES,
    _MAX_NESTING,
    _NODE_KINDS,
    _PAIRS,
    _RANGES,
    _VALUE_PARAMETERS,
    _qname,
)


class _Conditions(_ShapeReader):
    """Compiles the constraints on a value node into SPARQL conditions."""

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
            return _fill("cond-class", value=variable, type=self._fresh("shaclType"), **{"class": _sparql_term(obj, label)})
        if parameter == SH.datatype:
            return self._datatype_condition(obj, variable, label)
        if parameter == SH.nodeKind:
            if obj not in _NODE_KINDS:
                raise UnsupportedShapeError(label + ": unknown node kind " + _qname(obj))
            iri, blank, literal = _NODE_KINDS[obj]  # type: ignore[index]
            return _fill("cond-node-kind", value=variable, iri=iri, blank=blank, literal=literal)
        if parameter == SH["in"]:
            members = [
                _fill("same-iri" if isinstance(m, URIRef) else "same-term", value=variable, term=_sparql_term(m, label))
                for m in self._list(obj, label)
            ]
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
        """Wrong datatype, or (where Oxigraph can tell) an ill-formed lexical form."""
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
