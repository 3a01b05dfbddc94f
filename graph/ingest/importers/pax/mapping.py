"""PA-X agreements as ActorGraph triples: an ag:PeaceAgreement per row with its name, signature
date at its precision, countries, region, peace process, stage and parties as written; an
ag:Provision per provision topic the agreement has (its PA-X code as a concept of code:pax-provision
and its depth); an ag:Signing per actor of the graph found among its signatories. PA-X itself,
the dataset, is the source of every statement.

IRIs are minted from PA-X's agreement ids (agreement/pax-1739, provision/pax-1739-ssrddr), so the
same file always gives the same triples.
"""

from __future__ import annotations

import hashlib

from graph.ingest.importers.pax.read import Agreement
from graph.ingest.importers.sfm.countries import COUNTRY_NAMES, state_iri
from graph.ingest.importers.terms import DERIVED, LABEL, TYPE, ag, text, typed
from graph.store import rdf
from ontology.namespaces import CODE, DCTERMS, SCHEMA, data_iri

PUBLISHER = "University of Edinburgh, PeaceRep (Bell, C., Badanjak, S., et al.)"
DEFAULT_URL = "https://www.peaceagreements.org"
DEFAULT_VERSION = "2"


def source_iri(version: str) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("source", f"pax-{version}"))


def agreement_iri(agreement_id: int) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("agreement", f"pax-{agreement_id}"))


def provision_topic(column: str) -> rdf.NamedNode:
    return rdf.NamedNode(f"{CODE}pax-{column}")


def source_triples(version: str, url: str) -> list[rdf.Triple]:
    node = source_iri(version)
    title = f"PA-X Peace Agreements Database and Dataset, version {version}"
    return [rdf.Triple(node, TYPE, ag("Source")), rdf.Triple(node, rdf.NamedNode(DCTERMS + "title"), text(title)),
            rdf.Triple(node, rdf.NamedNode(DCTERMS + "publisher"), text(PUBLISHER)), rdf.Triple(node, rdf.NamedNode(SCHEMA + "url"), text(url)),
            rdf.Triple(node, rdf.NamedNode(DCTERMS + "license"), rdf.NamedNode("https://creativecommons.org/licenses/by/4.0/"))]  # fmt: skip


def state_triples(codes: set[str]) -> list[rdf.Triple]:
    out: list[rdf.Triple] = []
    for code in sorted(codes):
        node, name = rdf.NamedNode(state_iri(code)), COUNTRY_NAMES[code]
        out += [rdf.Triple(node, TYPE, ag("State")), rdf.Triple(node, LABEL, text(name)), rdf.Triple(node, ag("name"), text(name)),
                rdf.Triple(node, ag("countryCode"), text(code))]  # fmt: skip
    return out


def agreement_triples(agreement: Agreement, source: rdf.NamedNode) -> list[rdf.Triple]:
    node = agreement_iri(agreement.agreement_id)
    out = [rdf.Triple(node, TYPE, ag("PeaceAgreement")), rdf.Triple(node, LABEL, text(agreement.name)), rdf.Triple(node, ag("name"), text(agreement.name)),
           rdf.Triple(node, rdf.NamedNode(DCTERMS + "identifier"), text(f"pax:{agreement.agreement_id}")), rdf.Triple(node, DERIVED, source),
           rdf.Triple(node, ag("signatureDate"), typed(agreement.signed.first_day().isoformat(), "date")),
           rdf.Triple(node, ag("signaturePrecision"), ag(agreement.signed.precision.value))]  # fmt: skip
    out += [rdf.Triple(node, ag("country"), rdf.NamedNode(state_iri(code))) for code in agreement.countries]
    if agreement.stage:
        out.append(rdf.Triple(node, ag("agreementStage"), rdf.NamedNode(f"{CODE}pax-stage-{agreement.stage}")))
    for prop, value in (("location", agreement.conflict), ("peaceProcess", agreement.process), ("partiesText", agreement.parties)):
        if value:
            out.append(rdf.Triple(node, ag(prop), text(value)))
    notes = [f"region: {agreement.region}" if agreement.region else "", f"status: {agreement.status}" if agreement.status else ""]
    if any(notes):
        out.append(rdf.Triple(node, ag("note"), text("; ".join(n for n in notes if n))))
    for column, depth in sorted(agreement.provisions.items()):
        provision = rdf.NamedNode(data_iri("provision", f"pax-{agreement.agreement_id}-{column.lower()}"))
        out += [rdf.Triple(node, ag("provision"), provision), rdf.Triple(provision, TYPE, ag("Provision")),
                rdf.Triple(provision, ag("provisionTopic"), provision_topic(column)), rdf.Triple(provision, ag("provisionDepth"), typed(str(depth), "integer")),
                rdf.Triple(provision, DERIVED, source)]  # fmt: skip
    return out


def signing_triples(agreement: Agreement, name: str, actor: str, source: rdf.NamedNode) -> list[rdf.Triple]:
    """A signing found by name: medium confidence, dated by the signature, the name in the note."""
    node = rdf.NamedNode(data_iri("relation", f"pax-signing-{agreement.agreement_id}-{hashlib.sha256(actor.encode()).hexdigest()[:16]}"))
    day = agreement.signed
    return [rdf.Triple(node, TYPE, ag("Signing")), rdf.Triple(node, ag("agreement"), agreement_iri(agreement.agreement_id)),
            rdf.Triple(node, ag("signatory"), rdf.NamedNode(actor)), rdf.Triple(node, ag("confidence"), ag("MediumConfidence")),
            rdf.Triple(node, DERIVED, source), rdf.Triple(node, ag("startDate"), typed(day.first_day().isoformat(), "date")),
            rdf.Triple(node, ag("endDate"), typed(day.last_day().isoformat(), "date")), rdf.Triple(node, ag("startPrecision"), ag(day.precision.value)),
            rdf.Triple(node, ag("endPrecision"), ag(day.precision.value)),
            rdf.Triple(node, ag("note"), text(f"found by name among the signatories PA-X lists: {name!r}"))]  # fmt: skip
