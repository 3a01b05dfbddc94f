"""FollowTheMoney entities as ActorGraph nodes, one subject per entity (id/opensanctions/{id}), so
that a delta's MOD replaces and its DEL removes exactly that entity's statements.

Person becomes ag:Person; Organization, Company, LegalEntity and PublicBody ag:Organization, with
names, aliases (weak aliases and previous names kept apart), dates of birth, nationalities,
positions, addresses and document numbers. Sanction becomes ag:SanctionsListing (the regime type
is UN Security Council only when the program or authority says so; otherwise none, which vetting
reads as "other"), Ownership ag:Ownership, Directorship ag:Membership with the role in a note.
Other schemas (Address, Passport, Family...) are not mapped and are reported as skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.ingest.importers.opensanctions.read import EntityOp
from graph.ingest.importers.sfm.dates import DateError, PartialDate, parse_date
from graph.ingest.importers.sfm.vocab import slug
from graph.ingest.importers.terms import DERIVED, LABEL, TYPE, ag, text, typed
from graph.store import rdf
from ontology.namespaces import DCTERMS, ORG, SCHEMA, data_iri

ACTORS = {
    "Person": "Person",
    "Organization": "Organization",
    "Company": "Organization",
    "LegalEntity": "Organization",
    "PublicBody": "Organization",
}
RELATIONS = frozenset({"Sanction", "Ownership", "Directorship"})
IDENTIFIER = rdf.NamedNode(DCTERMS + "identifier")
BIRTH_DATE = rdf.NamedNode(SCHEMA + "birthDate")
_BIRTH = {4: "gYear", 7: "gYearMonth", 10: "date"}
_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# FtM property -> ActorGraph predicate, for the values kept as written.
PARTICULARS = {
    "alias": "alias", "weakAlias": "weakAlias", "previousName": "formerName", "nationality": "nationality",
    "citizenship": "nationality", "position": "designation", "address": "address", "birthPlace": "placeOfBirth",
}  # fmt: skip
DOCUMENTS = {"passportNumber": "passport", "idNumber": "identity number", "registrationNumber": "registration number"}


def entity_iri(entity_id: str) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("opensanctions", entity_id))


def authority_iri(name: str) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("opensanctions", f"authority-{slug(name)}"))


@dataclass
class Mapped:
    """An entity's statements, or why it was not mapped."""

    triples: list[rdf.Triple] = field(default_factory=list)
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)


def _dated(node: rdf.NamedNode, props: dict[str, list[str]], starts: tuple[str, ...], mapped: Mapped) -> None:
    """The earliest start and the latest end the entity gives, at the precision it gives them."""
    found: dict[str, list[PartialDate]] = {"start": [], "end": []}
    for kind, names in (("start", starts), ("end", ("endDate",))):
        for name in names:
            for value in props.get(name, []):
                try:
                    parsed = parse_date(value)
                except DateError:
                    mapped.notes.append(f"{name} {value!r} is not a date: left out")
                    continue
                if parsed is not None:
                    found[kind].append(parsed)
    if found["start"]:
        first = min(found["start"])
        mapped.triples += [rdf.Triple(node, ag("startDate"), typed(first.first_day().isoformat(), "date")),
                           rdf.Triple(node, ag("startPrecision"), ag(first.precision.value))]  # fmt: skip
    if found["end"]:
        last = max(found["end"])
        if not found["start"] or last.last_day() >= min(found["start"]).first_day():
            mapped.triples += [rdf.Triple(node, ag("endDate"), typed(last.last_day().isoformat(), "date")),
                               rdf.Triple(node, ag("endPrecision"), ag(last.precision.value))]  # fmt: skip


def _actor(op: EntityOp, node: rdf.NamedNode, source: rdf.NamedNode) -> Mapped:
    props = op.properties
    names = props.get("name", [])
    label = op.caption or (names[0] if names else "")
    if not label:
        return Mapped(skipped="no name or caption")
    mapped = Mapped([rdf.Triple(node, TYPE, ag(ACTORS[op.schema])), rdf.Triple(node, LABEL, text(label)), rdf.Triple(node, ag("name"), text(label)),
                     rdf.Triple(node, IDENTIFIER, text(op.entity_id)), rdf.Triple(node, DERIVED, source)])  # fmt: skip
    written = {label}
    for name in names:
        if name not in written:
            written.add(name)
            mapped.triples.append(rdf.Triple(node, ag("alias"), text(name)))
    person = op.schema == "Person"
    for prop, predicate in PARTICULARS.items():
        if predicate in ("placeOfBirth", "nationality") and not person:
            continue
        for value in props.get(prop, []):
            if predicate in ("alias", "weakAlias", "formerName"):
                if value in written:
                    continue
                written.add(value)
            shown = value.upper() if predicate == "nationality" and len(value) == 2 else value
            mapped.triples.append(rdf.Triple(node, ag(predicate), text(shown)))
    for prop, kind in DOCUMENTS.items():
        mapped.triples += [rdf.Triple(node, ag("identityDocument"), text(f"{kind} {value}")) for value in props.get(prop, [])]
    for value in props.get("birthDate", []) if person else []:
        if _DAY.match(value):
            mapped.triples.append(rdf.Triple(node, BIRTH_DATE, typed(value, _BIRTH[len(value)])))
        else:
            mapped.notes.append(f"birthDate {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD: left out")
    return mapped


def _first(props: dict[str, list[str]], name: str) -> str | None:
    values = props.get(name, [])
    return values[0] if values else None


def _relation(op: EntityOp, node: rdf.NamedNode, source: rdf.NamedNode) -> Mapped:
    props = op.properties
    common = [rdf.Triple(node, ag("confidence"), ag("HighConfidence")), rdf.Triple(node, DERIVED, source),
              rdf.Triple(node, IDENTIFIER, text(op.entity_id))]  # fmt: skip
    if op.schema == "Sanction":
        party = _first(props, "entity")
        if party is None:
            return Mapped(skipped="a sanction that names no entity")
        mapped = Mapped([rdf.Triple(node, TYPE, ag("SanctionsListing")), rdf.Triple(node, ag("listedParty"), entity_iri(party)), *common])
        authority = _first(props, "authority")
        if authority:
            body = authority_iri(authority)
            mapped.triples += [rdf.Triple(node, ag("listingAuthority"), body), rdf.Triple(body, TYPE, ag("Organization")),
                               rdf.Triple(body, LABEL, text(authority)), rdf.Triple(body, ag("name"), text(authority)),
                               rdf.Triple(body, DERIVED, source)]  # fmt: skip
        program = _first(props, "program") or _first(props, "programId")
        if program:
            mapped.triples.append(rdf.Triple(node, ag("sanctionsRegime"), text(program)))
        reference = _first(props, "unscId") or _first(props, "authorityId")
        if reference:
            mapped.triples.append(rdf.Triple(node, ag("listingReference"), text(reference)))
        said = " ".join([*props.get("programId", []), *props.get("authority", [])])
        if re.search(r"^UN[-_ ]|\bUN\b|Security Council", said):
            mapped.triples.append(rdf.Triple(node, ag("regimeType"), ag("UNSecurityCouncilRegime")))
        notes = "; ".join(props.get("reason", []) + props.get("summary", []))
        if notes:
            mapped.triples.append(rdf.Triple(node, ag("note"), text(notes)))
        _dated(node, props, ("listingDate", "startDate"), mapped)
        return mapped
    if op.schema == "Ownership":
        owner, asset = _first(props, "owner"), _first(props, "asset")
        if owner is None or asset is None:
            return Mapped(skipped="an ownership without its owner or asset")
        mapped = Mapped([rdf.Triple(node, TYPE, ag("Ownership")), rdf.Triple(node, ag("owner"), entity_iri(owner)),
                         rdf.Triple(node, ag("ownedAsset"), entity_iri(asset)), *common])  # fmt: skip
        share = "; ".join(f"{k}: {', '.join(props[k])}" for k in ("percentage", "sharesCount", "role") if props.get(k))
    else:
        director, organization = _first(props, "director"), _first(props, "organization")
        if director is None or organization is None:
            return Mapped(skipped="a directorship without its director or organization")
        mapped = Mapped([rdf.Triple(node, TYPE, ag("Membership")), rdf.Triple(node, rdf.NamedNode(ORG + "member"), entity_iri(director)),
                         rdf.Triple(node, rdf.NamedNode(ORG + "organization"), entity_iri(organization)), *common])  # fmt: skip
        share = "; ".join(f"{k}: {', '.join(props[k])}" for k in ("role", "summary") if props.get(k))
    if share:
        mapped.triples.append(rdf.Triple(node, ag("note"), text(share)))
    _dated(node, props, ("startDate",), mapped)
    return mapped


def map_entity(op: EntityOp, source: rdf.NamedNode) -> Mapped:
    node = entity_iri(op.entity_id)
    if op.schema in ACTORS:
        return _actor(op, node, source)
    if op.schema in RELATIONS:
        return _relation(op, node, source)
    return Mapped(skipped=f"schema {op.schema} is not mapped")
