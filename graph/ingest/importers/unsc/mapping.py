"""Turning a read list into triples: an actor and an ag:SanctionsListing per entry, each citing the
list itself as its source.

IRIs come from the UN's permanent reference numbers (person/unsc-kpi-033, org/unsc-qde-138), and a
listing's from its reference and listing date, so the same list always gives the same triples and
a re-listing under the same reference is a new listing beside the ended one.
"""

from __future__ import annotations

from graph.ingest.importers.sfm.vocab import slug
from graph.ingest.importers.terms import DERIVED, LABEL, TYPE, ag, text, typed
from graph.ingest.importers.unsc.records import ConsolidatedList, Entry
from graph.store import rdf
from ontology.namespaces import DCTERMS, SCHEMA, data_iri

ISSUED = rdf.NamedNode(DCTERMS + "issued")
TITLE = rdf.NamedNode(DCTERMS + "title")
PUBLISHER = rdf.NamedNode(DCTERMS + "publisher")
URL = rdf.NamedNode(SCHEMA + "url")
IDENTIFIER = rdf.NamedNode(DCTERMS + "identifier")
BIRTH_DATE = rdf.NamedNode(SCHEMA + "birthDate")
UN_SECURITY_COUNCIL = rdf.NamedNode(data_iri("org", "un-security-council"))
PUBLISHER_NAME = "United Nations Security Council"
LIST_TITLE = "United Nations Security Council Consolidated List"
DEFAULT_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
ALIAS_PROPERTY = {"good": "alias", "low": "weakAlias", "former": "formerName"}


def actor_iri(entry: Entry) -> rdf.NamedNode:
    kind = "person" if entry.kind == "individual" else "org"
    return rdf.NamedNode(data_iri(kind, f"unsc-{slug(entry.reference)}"))


def listing_iri(entry: Entry) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("relation", f"unsc-listing-{slug(entry.reference)}-{entry.listed_on.isoformat()}"))


def source_iri(generated_day: str) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("source", f"unsc-consolidated-list-{generated_day}"))


def source_triples(consolidated: ConsolidatedList, url: str) -> list[rdf.Triple]:
    """The list itself as an ag:Source: publisher, title with its generation time, day, URL."""
    source = source_iri(consolidated.day.isoformat())
    title = f"{LIST_TITLE} (generated {consolidated.generated.isoformat()})"
    return [
        rdf.Triple(source, TYPE, ag("Source")),
        rdf.Triple(source, TITLE, text(title)),
        rdf.Triple(source, PUBLISHER, text(PUBLISHER_NAME)),
        rdf.Triple(source, ISSUED, typed(consolidated.day.isoformat(), "date")),
        rdf.Triple(source, URL, text(url)),
    ]


def authority_triples(source: rdf.NamedNode) -> list[rdf.Triple]:
    """The Security Council as the listing authority (the demo data uses the same IRI)."""
    return [
        rdf.Triple(UN_SECURITY_COUNCIL, TYPE, ag("InternationalOrganization")),
        rdf.Triple(UN_SECURITY_COUNCIL, LABEL, text(PUBLISHER_NAME)),
        rdf.Triple(UN_SECURITY_COUNCIL, ag("name"), text(PUBLISHER_NAME)),
        rdf.Triple(UN_SECURITY_COUNCIL, DERIVED, source),
    ]


def entry_triples(entry: Entry, source: rdf.NamedNode) -> list[rdf.Triple]:
    """The actor with its names and particulars, and its listing."""
    actor, listing = actor_iri(entry), listing_iri(entry)
    out = [
        rdf.Triple(actor, TYPE, ag("Person" if entry.kind == "individual" else "Organization")),
        rdf.Triple(actor, LABEL, text(entry.name)),
        rdf.Triple(actor, ag("name"), text(entry.name)),
        rdf.Triple(actor, IDENTIFIER, text(entry.reference)),
        rdf.Triple(actor, DERIVED, source),
    ]
    names = {entry.name}
    for name in entry.original_script:
        if name not in names:
            names.add(name)
            out.append(rdf.Triple(actor, ag("alias"), text(name)))
    for alias in entry.aliases:
        if alias.name not in names:
            names.add(alias.name)
            out.append(rdf.Triple(actor, ag(ALIAS_PROPERTY[alias.quality]), text(alias.name)))
    for birth in entry.birth_dates:
        if birth.exact:
            out.append(rdf.Triple(actor, BIRTH_DATE, typed(birth.exact, "date" if len(birth.exact) == 10 else "gYear")))
        for year in birth.approximate_years:
            out.append(rdf.Triple(actor, ag("approximateBirthYear"), typed(f"{year:04d}", "gYear")))
    for prop, items in (("placeOfBirth", entry.places_of_birth), ("nationality", entry.nationalities),
                        ("designation", entry.designations), ("honorific", entry.titles),
                        ("address", entry.addresses), ("identityDocument", entry.documents)):  # fmt: skip
        out.extend(rdf.Triple(actor, ag(prop), text(item)) for item in items)
    out += [
        rdf.Triple(listing, TYPE, ag("SanctionsListing")),
        rdf.Triple(listing, ag("listedParty"), actor),
        rdf.Triple(listing, ag("listingAuthority"), UN_SECURITY_COUNCIL),
        rdf.Triple(listing, ag("sanctionsRegime"), text(entry.regime)),
        rdf.Triple(listing, ag("regimeType"), ag("UNSecurityCouncilRegime")),
        rdf.Triple(listing, ag("listingReference"), text(entry.reference)),
        rdf.Triple(listing, ag("startDate"), typed(entry.listed_on.isoformat(), "date")),
        rdf.Triple(listing, ag("confidence"), ag("HighConfidence")),
        rdf.Triple(listing, DERIVED, source),
    ]
    if entry.comments:
        out.append(rdf.Triple(listing, ag("note"), text(entry.comments)))
    return out


def list_triples(consolidated: ConsolidatedList, url: str) -> list[rdf.Triple]:
    source = source_iri(consolidated.day.isoformat())
    out = source_triples(consolidated, url) + authority_triples(source)
    for entry in consolidated.entries:
        out.extend(entry_triples(entry, source))
    return out
