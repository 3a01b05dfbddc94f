"""A thin OWL 2 DL checker: the ActorGraph model, plus optional data, through owlready2 and HermiT.

It answers two questions and nothing else:

- `check_consistency`: is the ontology (with some data) consistent, and if not, why?
- `derive_links`: which links (ag:memberOf, ag:subOrganizationOf, ...) does HermiT derive from the
  property chains? The SPARQL rules in queries/rules/ materialize the same links fast; the tests
  compare both on sample data, so the OWL axioms and the rules cannot drift apart.

Every call builds a fresh, in-memory owlready2 World, so runs never leak into each other or into
owlready2's default world, and nothing is written to disk except the temporary N-Triples file that
owlready2 hands to Java. This module imports nothing from graph/ or api/ (DESIGN: api -> graph ->
ontology).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import owlready2
import rdflib
from rdflib.term import Node
from rdflib.util import guess_format

from ontology.files import MODEL_FILES
from ontology.namespaces import ONTOLOGY_IRI, OWL, XSD

# A data source is an RDF file (format from its extension) or, as a str, Turtle text (which
# includes N-Triples).
DataSource = Path | str
_Triple = tuple[Node, Node, Node]

# HermiT keeps the whole tableau in the heap; owlready2's default of 2000 MB is tight once real data
# is added. -Xmx only reserves address space, so a generous default costs nothing on small inputs.
DEFAULT_JAVA_MEMORY_MB = 4096
# Pellet's explanation search can be slow on large inputs; an explanation is a courtesy, not a must.
EXPLAIN_TIMEOUT_SECONDS = 120

XSD_DATE = XSD + "date"
XSD_DATE_TIME = XSD + "dateTime"
OWL_NOTHING = OWL + "Nothing"
# An xsd:date lexical form: the day, then an optional timezone (Z or +hh:mm / -hh:mm).
_DATE = re.compile(r"(-?\d{4,}-\d{2}-\d{2})((?:Z|[+-]\d{2}:\d{2})?)")


class ReasonerError(RuntimeError):
    """The reasoner could not run or failed; the message says why."""


class ReasonerUnavailable(ReasonerError):
    """No Java runtime: HermiT (and Pellet, for explanations) run on the JVM."""


class InconsistentInput(ReasonerError):
    """Links were asked of inconsistent input. An inconsistent ontology entails every statement,
    so there is nothing meaningful to derive; the message carries the explanation."""


@dataclass(frozen=True)
class Java:
    """The JVM the reasoners run on: its heap, and where to look when `java` is not on PATH. The
    caller passes it (api.settings reads ACTORGRAPH_REASONER_MEMORY_MB and JAVA_HOME)."""

    memory_mb: int = DEFAULT_JAVA_MEMORY_MB
    home: Path | None = None


DEFAULT_JAVA = Java()


@dataclass(frozen=True)
class ConsistencyReport:
    """What HermiT found. `consistent` is False when no model exists at all (then every class is
    trivially empty and `inconsistent_classes` stays empty); `inconsistent_classes` lists the IRIs
    of unsatisfiable classes of a consistent ontology. `explanation` is readable text, empty when
    all is well."""

    consistent: bool
    inconsistent_classes: list[str] = field(default_factory=list)
    explanation: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Consistent and coherent: the state the shipped model must always be in."""
        return self.consistent and not self.inconsistent_classes


def check_consistency(extra: Sequence[DataSource] | None = None, *, java: Java = DEFAULT_JAVA) -> ConsistencyReport:
    """Run HermiT on the model files plus `extra` data and report consistency and coherence."""
    started = time.perf_counter()
    ntriples = _ntriples([*MODEL_FILES, *(extra or ())])
    world = _load_world(ntriples)
    try:
        consistent = _is_consistent(world, java)
        unsatisfiable = _unsatisfiable_classes(world) if consistent else []
    finally:
        world.close()
    if not consistent:
        explanation = _explain_inconsistency(ntriples, java)
    elif unsatisfiable:
        explanation = "HermiT: these classes are unsatisfiable (no individual can belong to them): " + ", ".join(unsatisfiable)
    else:
        explanation = ""
    return ConsistencyReport(consistent, unsatisfiable, explanation, time.perf_counter() - started)


def derive_links(data_paths: Sequence[DataSource], properties: Sequence[str], *, java: Java = DEFAULT_JAVA) -> set[tuple[str, str, str]]:
    """The (subject, property, object) IRIs that HermiT entails for each property in `properties`
    (full IRIs), from the model plus the data. Entailed means asserted or derived: HermiT reports
    every known instance of a property, so the result is the closure the SPARQL rules must match."""
    ntriples = _ntriples([*MODEL_FILES, *data_paths])
    world = _load_world(ntriples)
    try:
        try:
            _run_hermit(world, java, infer_property_values=True)
        except owlready2.OwlReadyInconsistentOntologyError:
            raise InconsistentInput(_explain_inconsistency(ntriples, java)) from None
        return {link for iri in properties for link in _property_values(world, iri)}
    finally:
        world.close()


# ----------------------------------------------------------------------------------------------
# Input: RDF files or Turtle text to N-Triples HermiT can digest
# ----------------------------------------------------------------------------------------------


def _ntriples(sources: Iterable[DataSource]) -> bytes:
    """Everything as one N-Triples document. owlready2 does not read Turtle, and N-Triples is the
    format it parses fastest; graph names of quad formats are dropped (the reasoner sees a union)."""
    union = rdflib.Graph()
    for source in sources:
        for triple in _triples(source):
            union.add(_hermit_safe(triple))
    return union.serialize(format="nt", encoding="utf-8")


def _triples(source: DataSource) -> Iterator[_Triple]:
    """Parse one source with rdflib: a Path by its extension, a str as Turtle text."""
    dataset = rdflib.Dataset()
    try:
        if isinstance(source, Path):
            rdf_format = guess_format(str(source))
            if rdf_format is None:
                raise ReasonerError(f"{source}: unknown RDF file extension {source.suffix!r}")
            dataset.parse(source, format=rdf_format)
        else:
            dataset.parse(data=source, format="turtle")
    except ReasonerError:
        raise
    except Exception as error:  # rdflib's parsers raise many unrelated types for bad input
        raise ReasonerError(f"cannot read reasoner input {_describe(source)}: {error}") from error
    for subject, predicate, value, _graph in dataset.quads((None, None, None, None)):
        yield subject, predicate, value


def _hermit_safe(triple: _Triple) -> _Triple:
    """Rewrite xsd:date literals as xsd:dateTime at midnight.

    HermiT rejects xsd:date: it is not in the OWL 2 datatype map, and HermiT aborts with an
    UnsupportedDatatypeException on the first such literal (DESIGN, known traps). Our data uses
    xsd:date for every ag:startDate / ag:endDate, and the OWL declarations give those properties no
    datatype range, so the rewrite changes no entailment; it only keeps the dates (rather than
    dropping them) in a form HermiT accepts. Other datatypes outside the map (xsd:gYear on source
    years), and malformed dates left as they are, fall to HermiT's --ignoreUnsupportedDatatypes
    (see _run_hermit).
    """
    subject, predicate, value = triple
    if not isinstance(value, rdflib.Literal) or str(value.datatype) != XSD_DATE:
        return triple
    match = _DATE.fullmatch(str(value))
    if match is None:
        return triple
    day, timezone = match.groups()
    moment = rdflib.Literal(f"{day}T00:00:00{timezone}", datatype=rdflib.URIRef(XSD_DATE_TIME), normalize=False)
    return subject, predicate, moment


def _describe(source: DataSource) -> str:
    return str(source) if isinstance(source, Path) else "(Turtle text)"


# ----------------------------------------------------------------------------------------------
# owlready2 and the JVM
# ----------------------------------------------------------------------------------------------


def _load_world(ntriples: bytes) -> owlready2.World:
    """A fresh World whose quadstore lives in memory (no filename: an in-memory SQLite). Model and
    data go in as one document under the ontology's IRI: the reasoner sees their union anyway."""
    world = owlready2.World()
    try:
        world.get_ontology(ONTOLOGY_IRI).load(fileobj=io.BytesIO(ntriples), format="ntriples")
    except Exception as error:  # owlready2's parsers raise a variety of plain exceptions
        world.close()
        raise ReasonerError(f"owlready2 could not load the reasoner input: {error}") from error
    return world


def _java(java: Java) -> str:
    """The java executable: on PATH, else under `java.home`. Fail early with a clear message rather
    than with owlready2's FileNotFoundError from deep inside subprocess."""
    found = shutil.which(owlready2.JAVA_EXE) or shutil.which("java")
    if not found and java.home is not None:
        candidate = java.home / "bin" / "java"
        found = str(candidate) if candidate.is_file() else None
    if not found:
        raise ReasonerUnavailable(
            "Java was not found: HermiT runs on the JVM. Install a Java runtime (8 or later) and put "
            "`java` on PATH, or set JAVA_HOME."
        )
    return found


def _run_hermit(world: owlready2.World, java: Java, *, infer_property_values: bool) -> None:
    """Run HermiT on the world; inferred facts land in the world (owlready2's 'inferrences' ontology).

    --ignoreUnsupportedDatatypes lets HermiT skip literals outside the OWL 2 datatype map (such as
    xsd:gYear) instead of aborting; no axiom of ours constrains such values, so nothing is lost.
    """
    owlready2.JAVA_EXE = _java(java)
    owlready2.reasoning.JAVA_MEMORY = java.memory_mb
    try:
        owlready2.sync_reasoner_hermit(
            world,
            infer_property_values=infer_property_values,
            debug=0,
            ignore_unsupported_datatypes=True,
        )
    except owlready2.OwlReadyJavaError as error:
        raise ReasonerError(f"HermiT failed: {error}") from error


def _is_consistent(world: owlready2.World, java: Java) -> bool:
    """Classify with HermiT; False when it finds the world inconsistent."""
    try:
        _run_hermit(world, java, infer_property_values=False)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    return True


def _unsatisfiable_classes(world: owlready2.World) -> list[str]:
    """IRIs of the named classes HermiT found equivalent to owl:Nothing (owl:Nothing excluded)."""
    return sorted(cls.iri for cls in world.inconsistent_classes() if getattr(cls, "iri", OWL_NOTHING) != OWL_NOTHING)


def _property_values(world: owlready2.World, iri: str) -> Iterator[tuple[str, str, str]]:
    """Every (subject, iri, object) the world now holds for one object property."""
    prop = world[iri]
    if prop is None or not isinstance(prop, owlready2.ObjectPropertyClass):
        raise ValueError(f"{iri} is not an object property of the ontology")
    for subject, value in prop.get_relations():
        # Anonymous individuals (blank nodes) have no IRI to compare with; links run between
        # named actors, so they never matter here.
        subject_iri, value_iri = getattr(subject, "iri", None), getattr(value, "iri", None)
        if subject_iri and value_iri:
            yield subject_iri, iri, value_iri


def _explain_inconsistency(ntriples: bytes, java: Java) -> str:
    """A readable reason for an inconsistency: the axioms Pellet's `explain` command blames.

    HermiT's command line only says 'Inconsistent ontology'. owlready2 bundles Pellet, whose
    explain command (run directly: owlready2's own Pellet wrapper loads through a Jena jar that
    needs a newer JVM than 17) prints a minimal set of axioms that clash, such as
    'x type Person / x type Organization / Organization disjointWith Person'.
    """
    headline = "HermiT: the ontology and data are inconsistent (they admit no model)."
    with tempfile.NamedTemporaryFile(prefix="actorgraph-explain-", suffix=".nt", delete=False) as handle:
        handle.write(ntriples)
        path = handle.name
    command = [
        _java(java),
        f"-Xmx{java.memory_mb}M",
        "-cp",
        owlready2.reasoning._PELLET_CLASSPATH,
        "pellet.Pellet",
        "explain",
        "--ignore-imports",
        path,
    ]
    try:
        result = subprocess.run(command, capture_output=True, timeout=EXPLAIN_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return f"{headline} Pellet found no explanation within {EXPLAIN_TIMEOUT_SECONDS} s."
    finally:
        os.unlink(path)
    axioms = _tidy_explanation(result.stdout.decode("utf-8", "replace")) if result.returncode == 0 else ""
    if not axioms:
        # Pellet failed, or (its reasoning differing from HermiT's) found nothing to explain.
        output = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()
        return f"{headline} Pellet could not explain it: {output[-1] if output else 'no output'}"
    return f"{headline} Pellet's explanation (axioms that clash):\n{axioms}"


def _tidy_explanation(text: str) -> str:
    """The numbered axiom sets of Pellet's output, without its 'Axiom: Thing subClassOf Nothing'
    preamble; empty when Pellet printed no explanation ('AXIOM IS NOT ENTAILED!')."""
    if "NOT ENTAILED" in text:
        return ""
    lines = (line.rstrip() for line in text.splitlines())
    return "\n".join(line for line in lines if line.strip() and not line.startswith(("Axiom:", "Explanation")))
