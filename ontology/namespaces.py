"""The IRIs ActorGraph mints and the standard vocabularies it reuses.

Everything that names a namespace or a well-known named graph imports it from here, so the
conventions of DESIGN.md live in one place.
"""

from __future__ import annotations

AG = "https://w3id.org/actorgraph/ontology#"
ONTOLOGY_IRI = "https://w3id.org/actorgraph/ontology"
ID = "https://w3id.org/actorgraph/id/"
CODE = ID + "code/"
GRAPH = "https://w3id.org/actorgraph/graph/"
# Fictional and synthetic data never share a namespace with real actors.
FICTIONAL = "https://w3id.org/actorgraph/fictional/id/"
SYNTHETIC = "https://w3id.org/actorgraph/synthetic/id/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"
SHAPES = "https://w3id.org/actorgraph/shapes#"

PREFIXES: dict[str, str] = {
    "ag": AG,
    "code": CODE,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "org": ORG,
    "prov": PROV,
    "time": TIME,
    "foaf": FOAF,
    "schema": SCHEMA,
    "dcterms": DCTERMS,
    "sh": SH,
    "agsh": SHAPES,
}


def graph_iri(name: str) -> str:
    """The IRI of the named graph called `name` (DESIGN: .../graph/{name})."""
    return GRAPH + name


def data_iri(kind: str, slug: str) -> str:
    """The IRI of a real-world data item (DESIGN: .../id/{kind}/{slug})."""
    return f"{ID}{kind}/{slug}"


ONTOLOGY_GRAPH = graph_iri("ontology")
INFERRED_GRAPH = graph_iri("inferred")
# Links derived with restricted data among their evidence; restricted like that data.
INFERRED_RESTRICTED_GRAPH = graph_iri("inferred-restricted")
META_GRAPH = graph_iri("meta")
DEMO_GRAPH = graph_iri("demo")
FICTIONAL_GRAPH = graph_iri("fictional")
SYNTHETIC_GRAPH = graph_iri("synthetic")

# Graphs the system manages itself; user loads may not overwrite them.
# Hashed API keys and the vetting audit trail: never part of a query dataset.
KEYS_GRAPH = graph_iri("keys")
AUDIT_GRAPH = graph_iri("audit")
# Recorded human vetting decisions (vetting cases), with who decided and who signed off.
VETTING_CASES_GRAPH = graph_iri("vetting-cases")

SYSTEM_GRAPHS = frozenset(
    {
        ONTOLOGY_GRAPH,
        INFERRED_GRAPH,
        INFERRED_RESTRICTED_GRAPH,
        META_GRAPH,
        KEYS_GRAPH,
        AUDIT_GRAPH,
        VETTING_CASES_GRAPH,
    }
)
# System graphs that change only through their own commands: never reachable from SPARQL Update
# or the Graph Store Protocol, whatever the caller's role.
PROTECTED_GRAPHS = frozenset({META_GRAPH, KEYS_GRAPH, AUDIT_GRAPH, VETTING_CASES_GRAPH})
