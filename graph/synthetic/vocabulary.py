"""IRIs and predicates of the synthetic data, precomputed as N-Triples fragments so that each
triple is one string concatenation."""

from __future__ import annotations

from ontology.namespaces import AG, DCTERMS, ORG, PROV, RDF, RDFS, SCHEMA, SYNTHETIC, XSD


def iri(value: str) -> str:
    """An IRI in N-Triples form."""
    return f"<{value}>"


def pred(value: str) -> str:
    """A predicate with the spaces around it, ready to concatenate between subject and object."""
    return f" <{value}> "


def ag(local: str) -> str:
    return iri(AG + local)


A = pred(RDF + "type")
LABEL = pred(RDFS + "label")
NAME = pred(AG + "name")
ALIAS = pred(AG + "alias")
COUNTRY = pred(AG + "country")
COUNTRY_CODE = pred(AG + "countryCode")
LEVEL = pred(AG + "level")
SECTOR = pred(AG + "sector")
LOCATION = pred(AG + "location")
DERIVED = pred(PROV + "wasDerivedFrom")
CONFIDENCE = pred(AG + "confidence")
STATUS = pred(AG + "status")
START = pred(AG + "startDate")
END = pred(AG + "endDate")
START_PREC = pred(AG + "startPrecision")
END_PREC = pred(AG + "endPrecision")
ONGOING = pred(AG + "ongoing")
CHILD = pred(AG + "childUnit")
PARENT = pred(AG + "parentUnit")
COMMANDER = pred(AG + "commander")
COMMANDED = pred(AG + "commandedUnit")
MEMBER = pred(ORG + "member")
ORGANIZATION = pred(ORG + "organization")
RANK = pred(AG + "rank")
TITLE = pred(AG + "title")
FIRST_PARTY = pred(AG + "firstParty")
ALLY = pred(AG + "ally")
RIVAL = pred(AG + "rival")
PROGRAM = pred(AG + "program")
PARTICIPANT = pred(AG + "participant")
AMOUNT = pred(AG + "amount")
CURRENCY = pred(AG + "currency")
RELIANT = pred(AG + "reliantActor")
ECON_PARTNER = pred(AG + "economicPartner")
RELIANCE_KIND = pred(AG + "relianceKind")
INTEGRATED = pred(AG + "integratedOrganization")
ABSORBING = pred(AG + "absorbingOrganization")
SCOPE = pred(AG + "integrationScope")
VIA = pred(AG + "viaProgram")
PREDECESSOR = pred(AG + "predecessor")
SUCCESSOR = pred(AG + "successor")
SUCCESSION_KIND = pred(AG + "successionKind")
LISTED = pred(AG + "listedParty")
AUTHORITY = pred(AG + "listingAuthority")
REGIME = pred(AG + "sanctionsRegime")
REFERENCE = pred(AG + "listingReference")
PERPETRATOR = pred(AG + "perpetrator")
INCIDENT = pred(AG + "incident")
VIOLATION = pred(AG + "violationType")
FATALITIES = pred(AG + "fatalities")
CONCERNS = pred(AG + "concerns")
COURT = pred(AG + "court")
OUTCOME = pred(AG + "judicialOutcome")
ABOUT = pred(AG + "aboutIncident")
PHASE = pred(AG + "conflictPhase")
TITLE_DC = pred(DCTERMS + "title")
PUBLISHER = pred(DCTERMS + "publisher")
ISSUED = pred(DCTERMS + "issued")
URL = pred(SCHEMA + "url")

DATE_T = f'"^^<{XSD}date>'
YEAR_T = f'"^^<{XSD}gYear>'
INT_T = f'"^^<{XSD}integer>'
DECIMAL_T = f'"^^<{XSD}decimal>'
TRUE = f'"true"^^<{XSD}boolean>'

HIGH, MEDIUM, LOW = ag("HighConfidence"), ag("MediumConfidence"), ag("LowConfidence")
CONFIDENCES = (HIGH, MEDIUM, LOW)
ALLEGED, ESTABLISHED = ag("Alleged"), ag("Established")
MONTH_P, YEAR_P = ag("MonthPrecision"), ag("YearPrecision")
LOCAL, NATIONAL, REGIONAL, INTERNATIONAL = (
    ag("LocalLevel"), ag("NationalLevel"), ag("RegionalLevel"), ag("InternationalLevel"),
)
VIOLATIONS = tuple(
    ag(v)
    for v in (
        "UnlawfulKilling", "MassKilling", "Torture", "SexualViolence", "EnforcedDisappearance",
        "ArbitraryDetention", "Abduction", "ForcedDisplacement", "DestructionOfProperty",
        "ChildRecruitment", "AttackOnCivilians", "ExcessiveForce",
    )
)
PHASES = tuple(ag(p) for p in ("PreConflict", "ActiveConflict", "PostConflict", "RecurringConflict"))
BLOCK_PROGRAM_CLASSES = tuple(
    ag(c)
    for c in (
        "SSRProgram", "DDRProgram", "EarlyWarningProgram", "JSRProgram", "DevelopmentProgram",
        "PreventionMainstreamedProgram", "PeacebuildingProgram",
    )
)
PROGRAM_SECTOR = {
    BLOCK_PROGRAM_CLASSES[0]: ag("SecuritySector"),
    BLOCK_PROGRAM_CLASSES[1]: ag("DDRSector"),
    BLOCK_PROGRAM_CLASSES[2]: ag("PeacebuildingSector"),
    BLOCK_PROGRAM_CLASSES[3]: ag("JusticeSector"),
    BLOCK_PROGRAM_CLASSES[4]: ag("EconomicSector"),
    BLOCK_PROGRAM_CLASSES[5]: ag("EconomicSector"),
    BLOCK_PROGRAM_CLASSES[6]: ag("PeacebuildingSector"),
}
PROGRAM_KIND_NAME = {
    BLOCK_PROGRAM_CLASSES[0]: "Security Sector Reform Programme",
    BLOCK_PROGRAM_CLASSES[1]: "Reintegration Programme",
    BLOCK_PROGRAM_CLASSES[2]: "Community Early Warning Network",
    BLOCK_PROGRAM_CLASSES[3]: "Justice and Accountability Initiative",
    BLOCK_PROGRAM_CLASSES[4]: "Rural Development Programme",
    BLOCK_PROGRAM_CLASSES[5]: "Livelihoods and Social Cohesion Programme",
    BLOCK_PROGRAM_CLASSES[6]: "Dialogue Initiative",
}
C_SUBORDINATION = ag("Subordination")
C_COMMAND = ag("Command")
C_POSTING = ag("Posting")
C_MEMBERSHIP = ag("Membership")
C_ALLIANCE = ag("Alliance")
C_RIVALRY = ag("Rivalry")
C_IMPLEMENTATION = ag("Implementation")
C_FUNDING = ag("Funding")
C_PARTNERSHIP = ag("Partnership")
C_TARGETING = ag("Targeting")
C_RELIANCE = ag("EconomicReliance")
C_INTEGRATION = ag("Integration")
C_SUCCESSION = ag("Succession")
C_SANCTIONS = ag("SanctionsListing")
C_PERPETRATION = ag("Perpetration")
C_JUDICIAL = ag("JudicialOutcome")
C_DISBANDMENT = ag("Disbandment")
C_REFORM = ag("Reform")
C_INCIDENT = ag("Incident")
SPLINTER, WHOLE, MEMBERS_ONLY = ag("Splinter"), ag("WholeOrganization"), ag("MembersOnly")
REVENUE, CONTROL, CONVICTED = ag("RevenueReliance"), ag("ControlReliance"), ag("Convicted")
C_SOURCE = ag("Source")

NS_STATE = SYNTHETIC + "state/"
NS_UNIT = SYNTHETIC + "unit/"
NS_GROUP = SYNTHETIC + "group/"
NS_ORG = SYNTHETIC + "org/"
NS_PERSON = SYNTHETIC + "person/"
NS_PROGRAM = SYNTHETIC + "program/"
NS_INCIDENT = SYNTHETIC + "incident/"
NS_RELATION = SYNTHETIC + "relation/"
NS_SOURCE = SYNTHETIC + "source/"


def literal(value: str) -> str:
    """A plain string literal. Generated text never contains quotes, backslashes or newlines."""
    return f'"{value}"'
