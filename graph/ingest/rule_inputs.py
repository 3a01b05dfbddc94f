"""Which predicates the derivation rules read, so a write that touches none of them can keep the
derived links as they are instead of recomputing them.

Read from rdflib's algebra of each rule, not from its text: every triple pattern and property
path is walked. A rule that could match any predicate (a variable in the predicate position, or
a negated property set) makes the answer "any", and every write then recomputes.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from graph.ingest.inference import RULES_DIR, load_rules


class _AnyPredicate(Exception):
    """A pattern of a rule matches whatever the predicate is."""


def _path_iris(path: Any) -> Iterable[str]:
    if isinstance(path, URIRef):
        yield str(path)
    elif isinstance(path, (SequencePath, AlternativePath)):
        for part in path.args:
            yield from _path_iris(part)
    elif isinstance(path, InvPath):
        yield from _path_iris(path.arg)
    elif isinstance(path, MulPath):
        yield from _path_iris(path.path)
    elif isinstance(path, NegatedPath):
        raise _AnyPredicate()
    else:  # a variable, or a path form this walk does not know
        raise _AnyPredicate()


def _walk(node: Any, found: set[str]) -> None:
    if isinstance(node, CompValue):
        # BGP in the translated algebra; TriplesBlock where rdflib keeps the parse (EXISTS), as
        # flat runs of subject, predicate, object.
        for run in node.get("triples") or ():
            terms = list(run)
            for index in range(1, len(terms), 3):
                found.update(_path_iris(terms[index]))
        for key, value in node.items():
            if key != "triples":
                _walk(value, found)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _walk(item, found)


def predicates_read(text: str) -> frozenset[str] | None:
    """The predicates one rule's patterns can match, or None when it can match any."""
    found: set[str] = set()
    try:
        _walk(prepareQuery(text).algebra, found)
    except _AnyPredicate:
        return None
    return frozenset(found)


@lru_cache(maxsize=8)
def _rules_read(rules_dir: Path) -> frozenset[str] | None:
    found: set[str] = set()
    for rule in load_rules(rules_dir):
        read = predicates_read(rule.text)
        if read is None:
            return None
        found |= read
    return frozenset(found)


def rules_read_any(predicates: Iterable[str], rules_dir: Path = RULES_DIR) -> bool:
    """Whether a change to triples with these predicates can change what the rules derive."""
    read = _rules_read(rules_dir.resolve())
    return read is None or any(predicate in read for predicate in predicates)
