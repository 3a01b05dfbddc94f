"""Derived links: run the SPARQL rules of queries/rules/ and keep their results in the inferred graph.

DESIGN: the plain binary links (ag:memberOf, ag:commands, ag:subOrganizationOf, ...) are derived
from the dated, sourced relation nodes. The OWL property chains state what they mean; these rules
compute the same links fast, and tests/graph/ingest/test_inference.py checks with HermiT
(ontology/reasoner.py) that both agree. Derived links live in their own named graph
(`INFERRED_GRAPH`), apart from asserted data, and are recomputed from scratch.

How, and why this way (figures in the README, Benchmarks):

- Each rule is a CONSTRUCT, run with `default_graph=ALL_GRAPHS`, and the triples come back
  to Python. The union default graph lets joins and the transitive path run across all import
  graphs through the store's global indexes. Listing the asserted graphs as `default_graph=`
  instead is slower, and more so with every import (each lookup probes each graph). In-store
  `INSERT ... WHERE { GRAPH ?g ... }` cannot follow a path across graphs, and running all rules as
  one atomic update is several times slower than the same bodies as CONSTRUCTs. The chain rules
  join their two sides as sub-selects, which makes Oxigraph hash-join them instead of looking up
  node by node.
- A rule headed `# closure: transitive` states one step (a unit and its direct parent), and the
  runner adds the transitive closure in Python, as OWL's owl:TransitiveProperty means. A `+` path
  evaluated by the engine walked the hierarchy again from every unit, and was most of the
  derivation's time; one step also runs unchanged on engines whose paths misbehave.
- The union includes the inferred graph itself. That is harmless because of two checks here:
  a rule may not mention, in its WHERE clause, any property that a rule derives, and a rule may
  only produce triples of the property it declares. Only materialize writes the inferred graph
  (a system graph that loads may not touch), so it never holds anything a rule reads: every rule
  sees asserted data only, and rule order does not matter.
- All rules run (two at a time) before anything is written, so a failing rule leaves the previous inferred graph
  in place. The new graph is then written as a difference: new links are added (through
  the store's bulk path), then stale ones removed. A crash in between leaves a superset (stale links, never
  missing ones) that the next run repairs; a rerun on unchanged data writes nothing. The caller
  (graph.ingest.derivation.reason) records the data version the links were computed from only after this,
  so start-up recovery sees an interrupted run as stale and runs it again.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import queries
from graph.errors import InternalError
from graph.store import failpoints, rdf
from graph.store.base import ALL_GRAPHS, DefaultGraph, GraphStore
from graph.store.results import Triples
from ontology.namespaces import INFERRED_GRAPH, PREFIXES
from queries import catalog

RULES_DIR = Path(queries.__file__).resolve().parent / "rules"
# Rules are independent reads, and a store evaluates a query without holding the GIL, so two run
# at once, one per core of a small machine; more would crowd the engine's own threads.
RULES_AT_ONCE = min(2, os.cpu_count() or 1)

_PREFIX_DECLARATION = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)
_IRI_REFERENCE = re.compile(r"<([^<>\s]*)>")
_PREFIXED_NAME = re.compile(r"(?<![\w?$])([A-Za-z][\w-]*)?:([A-Za-z_][\w-]*)")
# One pass over SPARQL text that tells IRIs, strings and comments apart: a '#' inside <...#> or
# a string does not start a comment.
_LEXICAL = re.compile(
    r"(<[^<>\s]*>)"
    r"|('''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\")"
    r"|(#[^\n]*)",
    re.DOTALL,
)


class RuleError(InternalError, ValueError):
    """A rule file is malformed or breaks the rules about rules; the message names the file."""


@dataclass(frozen=True)
class Rule:
    """One materialization rule: a CONSTRUCT that derives the links of one property."""

    name: str
    path: Path
    title: str
    description: str
    derives: str  # the full IRI of the derived property
    text: str
    transitive: bool = False  # the CONSTRUCT gives one step; the runner closes it


@dataclass(frozen=True)
class InferenceReport:
    counts: dict[str, int]  # derived property IRI -> number of links materialized
    seconds: float


def load_rules(rules_dir: Path = RULES_DIR) -> list[Rule]:
    """Every rule in `rules_dir`, sorted by name, after checking that no rule reads what a rule
    derives (which is what makes them independent of each other and of the inferred graph)."""
    rules = [parse_rule(path) for path in sorted(rules_dir.glob("*.rq"))]
    if not rules:
        raise RuleError(f"{rules_dir}: no rule files (*.rq)")
    derived = {rule.derives for rule in rules}
    for rule in rules:
        read = sorted(_iris_in_where(rule) & derived)
        if read:
            raise RuleError(
                f"{rule.path}: reads {', '.join(read)}, which a rule derives. Rules must read "
                "asserted data only, so that they can run in any order over the union of all graphs."
            )
    return rules


def parse_rule(path: Path) -> Rule:
    """Read a rule file: `# title:`, `# description:` (repeatable, joined) and `# derives:` comment
    lines at the top, then a SPARQL CONSTRUCT."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {}
    for _, key, value in catalog.header(text):
        fields.setdefault(key, []).append(value)
    title, derives = fields.get("title", [""])[0], fields.get("derives", [""])[0]
    if not title or not derives:
        raise RuleError(f"{path}: the header needs '# title:' and '# derives:' lines")
    if _form(text) != "CONSTRUCT":
        raise RuleError(f"{path}: a rule must be a CONSTRUCT query")
    closure = fields.get("closure", [""])[0]
    if closure not in ("", "transitive"):
        raise RuleError(f"{path}: '# closure: {closure}' is not known; the only closure is 'transitive'")
    return Rule(
        name=path.stem,
        path=path,
        title=title,
        description=" ".join(fields.get("description", [])),
        derives=_expand(derives, _prefixes(text), path),
        text=text,
        transitive=closure == "transitive",
    )


def materialize(
    store: GraphStore,
    rules_dir: Path = RULES_DIR,
    *,
    source_graphs: Sequence[rdf.NamedNode] | None = None,
    target: rdf.NamedNode | None = None,
) -> InferenceReport:
    """Recompute the inferred graph from scratch, atomically enough that a failure leaves the
    previous inferred graph in place.

    `source_graphs` limits what the rules read. Links derived from restricted graphs must not
    land in a graph that readers see, so the caller derives public links from the public graphs
    only, and writes links from everything into a separate restricted `target`. Without
    `source_graphs` the rules read the union of all graphs (for stores with no restricted data)."""
    started = time.perf_counter()
    rules = load_rules(rules_dir)
    graph = target if target is not None else rdf.NamedNode(INFERRED_GRAPH)
    sources: DefaultGraph = list(source_graphs) if source_graphs is not None else ALL_GRAPHS
    by_property: dict[str, set[rdf.Quad]] = {rule.derives: set() for rule in rules}
    with ThreadPoolExecutor(max_workers=RULES_AT_ONCE, thread_name_prefix="rule") as pool:
        runs = pool.map(lambda rule: (rule.derives, set(_run(store, rule, graph, sources))), rules)
        for derives, links in runs:  # a failing rule raises here, before anything is written
            by_property[derives].update(links)
    _replace_graph(store, graph, set().union(*by_property.values()))
    counts = {prop: len(links) for prop, links in by_property.items()}
    return InferenceReport(counts=counts, seconds=time.perf_counter() - started)


# ----------------------------------------------------------------------------------------------
# Running and writing
# ----------------------------------------------------------------------------------------------


def _run(store: GraphStore, rule: Rule, graph: rdf.NamedNode, source_graphs: DefaultGraph) -> Iterator[rdf.Quad]:
    """The rule's triples as quads of the inferred graph. A triple of another property would break
    the guarantee that rules never read the inferred graph, so it stops the whole run."""
    derives = rdf.NamedNode(rule.derives)
    triples: Triples | None = None
    try:
        triples = store.construct(rule.text, default_graph=source_graphs)
        # Serialized whole and parsed again: one call into the engine, which releases the GIL, where
        # reading the results one by one held it for each triple and kept the rules from running
        # side by side. Blank nodes keep their labels both ways, so they stay the store's own.
        document = triples.serialize(rdf.RdfFormat.N_TRIPLES)
    except SyntaxError as error:
        raise RuleError(f"{rule.path}: {error}") from error
    finally:
        # Released on the thread that ran it: an error's traceback would carry it to the caller's,
        # and the engine's iterator may not be dropped on another thread.
        triples = None
    steps: set[tuple[rdf.Subject, rdf.Term]] = set()
    for triple in rdf.parse(document, rdf.RdfFormat.N_TRIPLES):
        if triple.predicate != derives:
            raise RuleError(f"{rule.path}: produced a {triple.predicate} triple but declares {rule.derives}")
        if rule.transitive:
            steps.add((triple.subject, triple.object))
        else:
            yield rdf.Quad(triple.subject, triple.predicate, triple.object, graph)
    for subject, reached in transitive_closure(steps):
        yield rdf.Quad(subject, derives, reached, graph)


def transitive_closure(steps: Iterable[tuple[rdf.Subject, rdf.Term]]) -> Iterator[tuple[rdf.Subject, rdf.Term]]:
    """Every (start, end) joined by a chain of one or more steps. A node on a cycle reaches
    itself, as under owl:TransitiveProperty; an object that is not a resource ends its chains."""
    following: dict[rdf.Term, list[rdf.Term]] = {}
    for lower, upper in steps:
        following.setdefault(lower, []).append(upper)
    for start, ends in following.items():
        reached: set[rdf.Term] = set()
        frontier = list(ends)
        while frontier:
            node = frontier.pop()
            if node not in reached:
                reached.add(node)
                frontier.extend(following.get(node, ()))
        for end in reached:
            yield cast(rdf.Subject, start), end


def _replace_graph(store: GraphStore, graph: rdf.NamedNode, new: set[rdf.Quad]) -> None:
    """Make `graph` hold exactly `new`, writing only the difference: additions first, then
    removals, so readers never miss a link that holds before and after.

    The additions take the store's bulk path (for a big batch, not one transaction). A reader or a
    crash part-way sees some new links and every old one: the same superset that a crash between
    additions and removals leaves, and recovery recomputes it. A transaction was most of the cost
    of deriving the links of a large load."""
    old = set(store.quads(graph))
    added = [quad for quad in new if quad not in old]
    if added:
        store.bulk_add(added)
    failpoints.reached("reason:links-added")
    stale = [quad for quad in old if quad not in new]
    if stale:
        store.remove(stale)


# ----------------------------------------------------------------------------------------------
# Reading rule text
# ----------------------------------------------------------------------------------------------


def _code(text: str) -> str:
    """The SPARQL text without comments, and with string contents blanked: what the query engine
    actually reads as syntax."""

    def keep_syntax(match: re.Match[str]) -> str:
        iri, string, _comment = match.groups()
        return iri if iri else '""' if string else " "

    return _LEXICAL.sub(keep_syntax, text)


def _form(text: str) -> str:
    """The query form: the first keyword after comments and the PREFIX/BASE prologue."""
    body = _PREFIX_DECLARATION.sub(" ", _code(text))
    body = re.sub(r"BASE\s*<[^>]*>", " ", body, flags=re.IGNORECASE)
    words = body.split(None, 1)
    return words[0].upper() if words else ""


def _prefixes(text: str) -> Mapping[str, str]:
    """The project's prefixes, overridden by the file's own PREFIX declarations."""
    declared = {prefix or "": iri for prefix, iri in _PREFIX_DECLARATION.findall(_code(text))}
    return {**PREFIXES, **declared}


def _expand(name: str, prefixes: Mapping[str, str], path: Path) -> str:
    """A full IRI from `<iri>` or `prefix:local`."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, colon, local = name.partition(":")
    if not colon or prefix not in prefixes:
        raise RuleError(f"{path}: cannot expand {name!r}: unknown prefix")
    return prefixes[prefix] + local


def _iris_in_where(rule: Rule) -> set[str]:
    """Every IRI that the WHERE clause mentions, whether written <full> or prefix:local. Comments
    and strings are blanked first so that they cannot hide or fake a mention."""
    text = _code(rule.text)
    prefixes = _prefixes(rule.text)
    where = re.search(r"\bWHERE\b", text, re.IGNORECASE)
    if where is None:
        raise RuleError(f"{rule.path}: a rule needs an explicit WHERE clause")
    body = text[where.end():]
    iris = set(_IRI_REFERENCE.findall(body))
    body = _IRI_REFERENCE.sub(" ", body)
    for prefix, local in _PREFIXED_NAME.findall(body):
        if prefix in prefixes:
            iris.add(prefixes[prefix] + local)
    return iris
