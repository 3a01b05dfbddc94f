"""UCDP actors as ActorGraph organizations: the class comes from the ontology's own SKOS mappings
(the actor-type concept whose exact, else close, match is the UCDP Org code), the code is kept as
ag:actorType, splinters become ag:Succession (kind ag:Splinter) and alliances ag:Alliance.

UCDP codes these links without the sources behind them, so they are medium confidence. IRIs are
minted from UCDP ids (org/ucdp-123), and the id is the actor's dcterms:identifier (ucdp:123).
"""

from __future__ import annotations

from graph.ingest.importers.sfm.report import FileReport
from graph.ingest.importers.terms import DERIVED, LABEL, TYPE, ag, text
from graph.ingest.importers.ucdp.read import ActorList, UcdpActor
from graph.store import GraphStore, rdf
from ontology.namespaces import CODE, DCTERMS, ONTOLOGY_GRAPH, SCHEMA, SKOS, XSD, data_iri

PUBLISHER = "Uppsala Conflict Data Program (UCDP), Department of Peace and Conflict Research, Uppsala University"
DEFAULT_URL = "https://ucdp.uu.se/downloads/"
MATCH_ORDER = (SKOS + "exactMatch", SKOS + "closeMatch")


def actor_iri(actor_id: int) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("org", f"ucdp-{actor_id}"))


def org_code(org: int) -> rdf.NamedNode:
    return rdf.NamedNode(f"{CODE}ucdp-org-{org}")


def classes_by_code(store: GraphStore) -> dict[int, rdf.NamedNode]:
    """The ActorGraph class for each UCDP Org code, read from the ontology's SKOS mappings."""
    type_concept, codes = ag("typeConcept"), {org_code(org): org for org in (1, 2, 3, 4)}
    concept_class: dict[rdf.NamedNode, list[str]] = {}
    matches: dict[tuple[int, str], list[rdf.NamedNode]] = {}
    for quad in store.quads(rdf.NamedNode(ONTOLOGY_GRAPH)):
        subject, obj = quad.subject, quad.object
        if not isinstance(subject, rdf.NamedNode) or not isinstance(obj, rdf.NamedNode):
            continue
        if quad.predicate == type_concept:
            concept_class.setdefault(obj, []).append(subject.value)
        elif obj in codes and quad.predicate.value in MATCH_ORDER:
            matches.setdefault((codes[obj], quad.predicate.value), []).append(subject)
    found: dict[int, rdf.NamedNode] = {}
    for org in sorted(set(codes.values())):
        for match in MATCH_ORDER:
            classes = sorted(c for concept in matches.get((org, match), []) for c in concept_class.get(concept, []))
            if classes:
                found[org] = rdf.NamedNode(classes[0])
                break
    return found


def source_iri(version: str) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("source", f"ucdp-actor-{version}"))


def source_triples(actors: ActorList, url: str) -> list[rdf.Triple]:
    """The dataset as the source; version 22.1 was released in 2022, so it is issued that year."""
    source = source_iri(actors.version)
    out = [
        rdf.Triple(source, TYPE, ag("Source")),
        rdf.Triple(source, rdf.NamedNode(DCTERMS + "title"), text(f"UCDP Actor Dataset, version {actors.version}")),
        rdf.Triple(source, rdf.NamedNode(DCTERMS + "publisher"), text(PUBLISHER)),
        rdf.Triple(source, rdf.NamedNode(SCHEMA + "url"), text(url)),
    ]
    major = actors.version.split(".")[0]
    if major.isdigit() and len(major) == 2:
        out.append(rdf.Triple(source, rdf.NamedNode(DCTERMS + "issued"), rdf.Literal(f"20{major}", datatype=rdf.NamedNode(XSD + "gYear"))))
    return out


def actor_triples(actor: UcdpActor, cls: rdf.NamedNode, source: rdf.NamedNode) -> list[rdf.Triple]:
    node = actor_iri(actor.actor_id)
    out = [
        rdf.Triple(node, TYPE, cls),
        rdf.Triple(node, LABEL, text(actor.name)),
        rdf.Triple(node, ag("name"), text(actor.name)),
        rdf.Triple(node, rdf.NamedNode(DCTERMS + "identifier"), text(f"ucdp:{actor.actor_id}")),
        rdf.Triple(node, ag("actorType"), org_code(actor.org)),
        rdf.Triple(node, DERIVED, source),
    ]
    out += [rdf.Triple(node, ag("alias"), text(alias)) for alias in actor.aliases]
    if actor.location:
        out.append(rdf.Triple(node, ag("location"), text(actor.location)))
    return out


def link_triples(actor: UcdpActor, kind: str, other: int, source: rdf.NamedNode) -> list[rdf.Triple]:
    """A splinter (the other actor is the one split from) or an alliance (the other is the alliance)."""
    me, them = actor_iri(actor.actor_id), actor_iri(other)
    common = [ag("confidence"), ag("MediumConfidence")], [DERIVED, source]
    if kind == "alliance":
        node = rdf.NamedNode(data_iri("relation", f"ucdp-alliance-{actor.actor_id}-{other}"))
        out = [rdf.Triple(node, TYPE, ag("Alliance")), rdf.Triple(node, ag("firstParty"), me), rdf.Triple(node, ag("ally"), them)]
    else:
        node = rdf.NamedNode(data_iri("relation", f"ucdp-splinter-{other}-{actor.actor_id}"))
        out = [
            rdf.Triple(node, TYPE, ag("Succession")),
            rdf.Triple(node, ag("predecessor"), them),
            rdf.Triple(node, ag("successor"), me),
            rdf.Triple(node, ag("successionKind"), ag("Splinter")),
        ]
        if kind == "temporary split":
            out.append(rdf.Triple(node, ag("note"), text("A temporary split (UCDP SplitTemp).")))
    return out + [rdf.Triple(node, p, o) for p, o in common]


def list_triples(
    actors: ActorList, classes: dict[int, rdf.NamedNode], url: str, report: FileReport
) -> tuple[list[rdf.Triple], dict[str, int]]:
    """Every actor and every link whose other end is in the file; a link to an id the file does
    not hold, or to the actor itself, is noted and left out."""
    source = source_iri(actors.version)
    out = source_triples(actors, url)
    counts: dict[str, int] = {"actors": 0, "splinter links": 0, "alliance links": 0}
    linked: set[rdf.NamedNode | rdf.BlankNode | rdf.Triple] = set()
    for actor in actors.actors.values():
        out += actor_triples(actor, classes[actor.org], source)
        counts["actors"] += 1
        for kind, other in actor.links:
            if other == actor.actor_id:
                report.note(actor.row, f"{kind} link to the actor itself: left out")
            elif other not in actors.actors:
                report.note(actor.row, f"{kind} link to an actor id the file does not hold: left out")
            else:
                link = link_triples(actor, kind, other, source)
                if link[0].subject not in linked:  # a pair both split and temporarily split is one splinter
                    counts["alliance links" if kind == "alliance" else "splinter links"] += 1
                    linked.add(link[0].subject)
                out += link
    return out, counts
