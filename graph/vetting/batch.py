"""Reading the graph for many vetting subjects at once (a program's partners, a screening's matches).

Vetting one subject runs about ten small queries (its classes, then one per rule) and reads each
node it meets with one more. Part of each query's cost is fixed (parsing, planning, setting up the
evaluation), so vetting twenty partners one by one pays it two hundred times; batched, each rule
costs two to three times less for the same subjects. Here each rule query runs once for a
whole batch of subjects, the subjects bound by a `VALUES` table, and the rows are split by
subject into the reader's cache (graph.vetting.facts.Facts); on a SPARQL-only backend the nodes
those rows name, and their sources, are then read with one query per batch as well. `vet`
afterwards runs unchanged and finds everything in the cache. The `VALUES` table drives the same
index scans as a substituted subject does, so each subject's rows come in the order of its own
query, and where two findings are equally strong the same one is kept: a batched run answers
exactly as one subject at a time does (tests/graph/vetting/test_vetting_batch.py holds every demo actor to
it, under several dates and policies, and the vetting bench checks the outcomes).

Only named terms go into the `VALUES` table, each serialized by pyoxigraph (an IRI it accepted
cannot close the table or the query); they come from the graph (participants, matches), not from
the user. When a query already opens with a `VALUES` table (command.rq: the roles of a command and
of a posting), the subjects are multiplied into that table instead of a second one beside it:
Oxigraph planned two adjacent tables as a cross product joined late, hundreds of times slower.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from graph.index.names import local_name
from graph.query.sparql import run_query
from graph.vetting.facts import Facts, query_text
from graph.vetting.node_facts import add_value
from graph.vetting.policy import Policy
from ontology.namespaces import AG, PROV, RDF, RDFS

BATCH = 100  # subjects (or nodes) per query: large enough to amortize, small enough to stay cheap to plan
PERSON_RULES = {"direct": ("direct",), "command": ("command",), "membership": ("membership",), "sanctions": ("sanctions",),
                "risk": ("risk",)}
ORGANIZATION_RULES = {"direct": ("direct",), "hierarchy": ("hierarchy",), "membership": ("membership",),
                      "absorption": ("absorption",), "sanctions": ("sanctions",), "risk": ("risk",)}
# Read for every organization whatever the rules: succession carries a predecessor's findings.
ORGANIZATION_ALWAYS = ("predecessors",)
# Properties whose objects are read next: the sources of every relation, the types of incidents.
FOLLOWED = (PROV + "wasDerivedFrom", AG + "violationType")

RDF_TYPE, RDFS_LABEL = RDF + "type", RDFS + "label"

_LEADING_VALUES = re.compile(r"WHERE \{\s*VALUES \(([^)]*)\) \{([^}]*)\}")
_VALUES_ROW = re.compile(r"\(([^)]*)\)")


def batched_text(name: str, variable: str, terms: Sequence[ox.NamedNode]) -> str:
    """queries/vetting/{name}.rq with `?variable` bound to each of `terms` by a VALUES table."""
    text = query_text(name)
    leading = _LEADING_VALUES.search(text)
    if leading is not None:
        rows = " ".join(f"({term} {row})" for term in terms for row in _VALUES_ROW.findall(leading.group(2)))
        table = f"VALUES (?{variable} {leading.group(1)}) {{ {rows} }}"
        return f"{text[: leading.start()]}WHERE {{\n  {table}{text[leading.end():]}"
    at = text.index("WHERE {") + len("WHERE {")
    return f"{text[:at]}\n  VALUES ?{variable} {{ {' '.join(str(t) for t in terms)} }}{text[at:]}"


def _chunks(items: Sequence[str], size: int = BATCH) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _read(facts: Facts, name: str, subjects: Sequence[str], params: dict[str, ox.NamedNode | ox.Literal]) -> list[ox.NamedNode]:
    """Run one rule query for `subjects` and cache each subject's rows; returns the IRIs named."""
    named: list[ox.NamedNode] = []
    todo = [s for s in dict.fromkeys(subjects) if not facts.has_rows(name, subject=ox.NamedNode(s), **params)]
    for chunk in _chunks(todo):
        facts.check_deadline()
        text = batched_text(name, "subject", [ox.NamedNode(s) for s in chunk])
        result = run_query(facts.store, text, facts.dataset, substitutions=params)
        variables = [v.value for v in result.variables]  # type: ignore[union-attr]
        by_subject: dict[str, list[dict[str, str | None]]] = {s: [] for s in chunk}
        for solution in result:  # type: ignore[union-attr]
            row: dict[str, str | None] = {}
            for variable in variables:
                term = solution[variable]
                row[variable] = None if term is None else term.value
                if isinstance(term, ox.NamedNode) and not term.value.startswith(AG):
                    named.append(term)  # data nodes; ontology terms (classes, kinds) are not read
            subject = row.get("subject")
            if subject in by_subject:
                by_subject[subject].append(row)
        for subject, rows in by_subject.items():
            facts.keep_rows(name, {"subject": ox.NamedNode(subject), **params}, rows)
    return named


def describe_all(facts: Facts, iris: Iterable[str]) -> None:
    """Read every property of the nodes not read yet, a batch per query, into the reader's cache.
    Nothing to do on the embedded store: Facts.describe reads a node with one index scan, as
    cheap as its share of a batch, so nodes are read when (and only if) a rule needs them."""
    if isinstance(getattr(facts.store, "raw", None), ox.Store):
        return
    todo = [iri for iri in dict.fromkeys(iris) if not facts.is_described(iri)]
    for chunk in _chunks(todo):
        facts.check_deadline()
        terms = _named(chunk)
        found: dict[str, dict[str, list[str]]] = {term.value: {} for term in terms}
        if not terms:
            continue
        text = batched_text("describe", "node", terms)
        for solution in run_query(facts.store, text, facts.dataset):  # type: ignore[union-attr]
            add_value(found[solution["node"].value], solution["p"].value, solution["o"].value)
        for iri, props in found.items():
            facts.keep_description(iri, props)


def _read_subjects(facts: Facts, subjects: Sequence[str]) -> None:
    """The rows queries/vetting/subject.rq gives each subject (its classes, labels and kinds),
    built from the subjects' properties and one query for the kinds of their classes: following
    rdfs:subClassOf* once per subject cost more than all the rules of a batch."""
    todo = [s for s in dict.fromkeys(subjects) if not facts.has_rows("subject", subject=ox.NamedNode(s))]
    describe_all(facts, todo)
    classes = sorted({c for s in todo for c in facts.describe(s).get(RDF_TYPE, ())})
    kinds: dict[str, list[str | None]] = {}
    for chunk in _chunks(classes):
        facts.check_deadline()
        terms = _named(chunk)
        if terms:
            for solution in run_query(facts.store, batched_text("kinds", "class", terms), facts.dataset):  # type: ignore[union-attr]
                kinds.setdefault(solution["class"].value, []).append(solution["kind"].value)
    for subject in todo:
        props = facts.describe(subject)
        labels: list[str | None] = [*props.get(RDFS_LABEL, ())] or [None]
        rows: list[dict[str, str | None]] = [
            {"subject": subject, "label": label, "class": cls, "kind": kind}
            for cls in props.get(RDF_TYPE, ())
            for label in labels
            for kind in kinds.get(cls) or [None]
        ]
        facts.keep_rows("subject", {"subject": ox.NamedNode(subject)}, rows)


def _named(iris: Iterable[str]) -> list[ox.NamedNode]:
    terms = []
    for iri in iris:
        try:
            terms.append(ox.NamedNode(iri))
        except ValueError:
            continue  # a literal or blank node where an IRI was expected: nothing to look up
    return terms


def prefetch(facts: Facts, subjects: Sequence[str], policy: Policy) -> None:
    """Read what vetting `subjects` under `policy` will ask for, with a few queries per batch."""
    if not subjects:
        return
    _read_subjects(facts, subjects)
    persons, organizations = [], []
    for subject in dict.fromkeys(subjects):
        kinds = {local_name(kind) for row in facts.rows("subject", subject=ox.NamedNode(subject)) if (kind := row.get("kind"))}
        if "Person" in kinds:
            persons.append(subject)
        if "Organization" in kinds:
            organizations.append(subject)
    reads: dict[str, list[str]] = {}
    for group, rules, always in ((persons, PERSON_RULES, ()), (organizations, ORGANIZATION_RULES, ORGANIZATION_ALWAYS)):
        names = [name for rule in policy.rules for name in rules.get(rule, ())] + list(always)
        if "direct" in policy.rules and policy.conviction_establishes:
            names.append("judgments")
        for name in dict.fromkeys(names):
            reads.setdefault(name, []).extend(group)
    named: list[ox.NamedNode] = []
    for name, group in reads.items():
        params: dict[str, ox.NamedNode | ox.Literal] = {"direction": ox.Literal(policy.hierarchy_direction)} if name == "hierarchy" else {}
        named += _read(facts, name, group, params)
    nodes = [*dict.fromkeys(subjects), *(term.value for term in named)]
    describe_all(facts, nodes)
    describe_all(facts, (value for iri in nodes for p in FOLLOWED for value in facts.describe(iri).get(p, ())))


__all__ = ["BATCH", "batched_text", "describe_all", "prefetch"]
