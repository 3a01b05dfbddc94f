"""Deterministic synthetic data at scale, shaped like the fictional Veldoria scenario.

The generator exists to benchmark and test the store, the vetting queries and search on graphs of
any size (1k to 1M+ actors) without touching real data. It reproduces the shapes of
graph/data/fictional/scenario.ttl: dated unit hierarchies with re-parenting, rotating commanders,
postings and memberships, militias integrated through DDR, splinter groups, alliances and
rivalries, illicit networks, programs with implementers, funders, partners and targets, incidents
with alleged and established perpetrations, mitigations, sanctions listings and sources.

Design choices, and why:

- **Streaming.** Actors are produced in blocks of ``BLOCK_SIZE`` (one block ~ one local theatre of
  conflict, with its own program). Each block is rendered to text and written before the next is
  built, so memory stays flat whatever the size.
- **Deterministic.** Only ``random.Random(seed)`` drives choices, iterated in list order; no clock,
  no set or hash ordering. The same ``(actors, seed)`` gives byte-identical output.
- **Fast.** IRIs and predicate strings are precomputed as N-Triples fragments, and each triple is
  one string concatenation. N-Quads and TriG share the triple text and differ only in the line
  ending and the graph wrapper.
- **Separate namespace.** Every IRI is minted under ``SYNTHETIC`` and every quad is in
  ``SYNTHETIC_GRAPH``, so synthetic data can never be confused with real actors.

Every block of 50 actors holds, where the block is complete: a division with two brigades (one
re-parented from the previous block's division at a date), four battalions and a company, a police
command and station, commanders (one commanding during an incident, one taking command after it,
one with an unknown start), a rebel group and its splinter, a community militia integrated into a
battalion through the country's DDR program, a political militia controlling an illicit network,
religious and traditional authorities, civil society, a local administration, a court, postings and
memberships, one program with partners and targets, two or three incidents, sanctions and
mitigations for some blocks, and three registry-only actors (known from a list, no relation yet).
Every 20 blocks start a new country (a state, its army and police roots, two ministries, and
national SSR and DDR programs).

Size: about 15.9 triples per actor, relation nodes included (1.16 relation nodes per actor at ~7
triples each: type, two roles, confidence, source, dates). So 100k actors give ~1.6M triples and
1M actors ~15.9M. Roughly 1-2M triples per second are written, depending on the disk.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ontology.namespaces import AG, DCTERMS, ORG, PROV, RDF, RDFS, SCHEMA, SYNTHETIC, SYNTHETIC_GRAPH, XSD

BLOCK_SIZE = 50
BLOCKS_PER_COUNTRY = 20
PROGRESS_EVERY_BLOCKS = 100  # progress callback every 5,000 actors

FORMATS = ("nq", "trig")

#################################################################
# Precomputed N-Triples fragments
#################################################################


def _iri(value: str) -> str:
    """An IRI in N-Triples form."""
    return f"<{value}>"


def _pred(value: str) -> str:
    """A predicate with the spaces around it, ready to concatenate between subject and object."""
    return f" <{value}> "


def _ag(local: str) -> str:
    return _iri(AG + local)


A = _pred(RDF + "type")
LABEL = _pred(RDFS + "label")
NAME = _pred(AG + "name")
ALIAS = _pred(AG + "alias")
COUNTRY = _pred(AG + "country")
COUNTRY_CODE = _pred(AG + "countryCode")
LEVEL = _pred(AG + "level")
SECTOR = _pred(AG + "sector")
LOCATION = _pred(AG + "location")
DERIVED = _pred(PROV + "wasDerivedFrom")
CONFIDENCE = _pred(AG + "confidence")
STATUS = _pred(AG + "status")
START = _pred(AG + "startDate")
END = _pred(AG + "endDate")
START_PREC = _pred(AG + "startPrecision")
END_PREC = _pred(AG + "endPrecision")
ONGOING = _pred(AG + "ongoing")
CHILD = _pred(AG + "childUnit")
PARENT = _pred(AG + "parentUnit")
COMMANDER = _pred(AG + "commander")
COMMANDED = _pred(AG + "commandedUnit")
MEMBER = _pred(ORG + "member")
ORGANIZATION = _pred(ORG + "organization")
RANK = _pred(AG + "rank")
TITLE = _pred(AG + "title")
FIRST_PARTY = _pred(AG + "firstParty")
ALLY = _pred(AG + "ally")
RIVAL = _pred(AG + "rival")
PROGRAM = _pred(AG + "program")
PARTICIPANT = _pred(AG + "participant")
AMOUNT = _pred(AG + "amount")
CURRENCY = _pred(AG + "currency")
RELIANT = _pred(AG + "reliantActor")
ECON_PARTNER = _pred(AG + "economicPartner")
RELIANCE_KIND = _pred(AG + "relianceKind")
INTEGRATED = _pred(AG + "integratedOrganization")
ABSORBING = _pred(AG + "absorbingOrganization")
SCOPE = _pred(AG + "integrationScope")
VIA = _pred(AG + "viaProgram")
PREDECESSOR = _pred(AG + "predecessor")
SUCCESSOR = _pred(AG + "successor")
SUCCESSION_KIND = _pred(AG + "successionKind")
LISTED = _pred(AG + "listedParty")
AUTHORITY = _pred(AG + "listingAuthority")
REGIME = _pred(AG + "sanctionsRegime")
REFERENCE = _pred(AG + "listingReference")
PERPETRATOR = _pred(AG + "perpetrator")
INCIDENT = _pred(AG + "incident")
VIOLATION = _pred(AG + "violationType")
FATALITIES = _pred(AG + "fatalities")
CONCERNS = _pred(AG + "concerns")
COURT = _pred(AG + "court")
OUTCOME = _pred(AG + "judicialOutcome")
ABOUT = _pred(AG + "aboutIncident")
PHASE = _pred(AG + "conflictPhase")
TITLE_DC = _pred(DCTERMS + "title")
PUBLISHER = _pred(DCTERMS + "publisher")
ISSUED = _pred(DCTERMS + "issued")
URL = _pred(SCHEMA + "url")

DATE_T = f'"^^<{XSD}date>'
YEAR_T = f'"^^<{XSD}gYear>'
INT_T = f'"^^<{XSD}integer>'
DECIMAL_T = f'"^^<{XSD}decimal>'
TRUE = f'"true"^^<{XSD}boolean>'

HIGH, MEDIUM, LOW = _ag("HighConfidence"), _ag("MediumConfidence"), _ag("LowConfidence")
CONFIDENCES = (HIGH, MEDIUM, LOW)
ALLEGED, ESTABLISHED = _ag("Alleged"), _ag("Established")
MONTH_P, YEAR_P = _ag("MonthPrecision"), _ag("YearPrecision")
LOCAL, NATIONAL, REGIONAL, INTERNATIONAL = (
    _ag("LocalLevel"), _ag("NationalLevel"), _ag("RegionalLevel"), _ag("InternationalLevel"),
)
VIOLATIONS = tuple(
    _ag(v)
    for v in (
        "UnlawfulKilling", "MassKilling", "Torture", "SexualViolence", "EnforcedDisappearance",
        "ArbitraryDetention", "Abduction", "ForcedDisplacement", "DestructionOfProperty",
        "ChildRecruitment", "AttackOnCivilians", "ExcessiveForce",
    )
)
PHASES = tuple(_ag(p) for p in ("PreConflict", "ActiveConflict", "PostConflict", "RecurringConflict"))
BLOCK_PROGRAM_CLASSES = tuple(
    _ag(c)
    for c in (
        "SSRProgram", "DDRProgram", "EarlyWarningProgram", "JSRProgram", "DevelopmentProgram",
        "PreventionMainstreamedProgram", "PeacebuildingProgram",
    )
)
PROGRAM_SECTOR = {
    BLOCK_PROGRAM_CLASSES[0]: _ag("SecuritySector"),
    BLOCK_PROGRAM_CLASSES[1]: _ag("DDRSector"),
    BLOCK_PROGRAM_CLASSES[2]: _ag("PeacebuildingSector"),
    BLOCK_PROGRAM_CLASSES[3]: _ag("JusticeSector"),
    BLOCK_PROGRAM_CLASSES[4]: _ag("EconomicSector"),
    BLOCK_PROGRAM_CLASSES[5]: _ag("EconomicSector"),
    BLOCK_PROGRAM_CLASSES[6]: _ag("PeacebuildingSector"),
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
C_SUBORDINATION = _ag("Subordination")
C_COMMAND = _ag("Command")
C_POSTING = _ag("Posting")
C_MEMBERSHIP = _ag("Membership")
C_ALLIANCE = _ag("Alliance")
C_RIVALRY = _ag("Rivalry")
C_IMPLEMENTATION = _ag("Implementation")
C_FUNDING = _ag("Funding")
C_PARTNERSHIP = _ag("Partnership")
C_TARGETING = _ag("Targeting")
C_RELIANCE = _ag("EconomicReliance")
C_INTEGRATION = _ag("Integration")
C_SUCCESSION = _ag("Succession")
C_SANCTIONS = _ag("SanctionsListing")
C_PERPETRATION = _ag("Perpetration")
C_JUDICIAL = _ag("JudicialOutcome")
C_DISBANDMENT = _ag("Disbandment")
C_REFORM = _ag("Reform")
C_INCIDENT = _ag("Incident")
SPLINTER, WHOLE, MEMBERS_ONLY = _ag("Splinter"), _ag("WholeOrganization"), _ag("MembersOnly")
REVENUE, CONTROL, CONVICTED = _ag("RevenueReliance"), _ag("ControlReliance"), _ag("Convicted")
C_SOURCE = _ag("Source")

NS_STATE = SYNTHETIC + "state/"
NS_UNIT = SYNTHETIC + "unit/"
NS_GROUP = SYNTHETIC + "group/"
NS_ORG = SYNTHETIC + "org/"
NS_PERSON = SYNTHETIC + "person/"
NS_PROGRAM = SYNTHETIC + "program/"
NS_INCIDENT = SYNTHETIC + "incident/"
NS_RELATION = SYNTHETIC + "relation/"
NS_SOURCE = SYNTHETIC + "source/"

#################################################################
# Actor templates: role -> (IRI namespace, class, level, sector)
#################################################################

_SEC, _GOV, _JUS = _ag("SecuritySector"), _ag("GovernanceSector"), _ag("JusticeSector")


@dataclass(frozen=True)
class _Role:
    """One actor slot of a block: how its IRI, class, level and sector are chosen."""

    name: str
    namespace: str
    cls: str
    level: str | None  # None for persons: they carry no level or sector in synthetic data
    sector: str | None
    scope: str = "block"  # "global" (once), "country" (once per country) or "block"

    def slug(self, block: int, country: int) -> str:
        """The IRI slug: unique per scope, and readable (b12-cmd-bn-during) so tests can find roles."""
        local = self.name.replace("_", "-")
        if self.scope == "global":
            return f"g-{local}"
        if self.scope == "country":
            return f"c{country}" if self.name == "state" else f"c{country}-{local}"
        return f"b{block}-{local}"


def _role(name: str, ns: str, cls: str, level: str | None = LOCAL, sector: str | None = _SEC,
          scope: str = "block") -> _Role:
    return _Role(name, ns, _ag(cls), level, sector, scope)


def _person(name: str) -> _Role:
    return _Role(name, NS_PERSON, _ag("Person"), None, None)


GLOBAL_ROLES = (
    _role("donor", NS_ORG, "DonorAgency", INTERNATIONAL, _GOV, "global"),
    _role("igo", NS_ORG, "InternationalOrganization", INTERNATIONAL, _ag("PeacebuildingSector"), "global"),
    _role("authority", NS_ORG, "RegionalOrganization", REGIONAL, _GOV, "global"),
)
COUNTRY_ROLES = (
    _role("state", NS_STATE, "State", NATIONAL, _GOV, "country"),
    _role("army", NS_UNIT, "MilitaryUnit", NATIONAL, scope="country"),
    _role("police", NS_UNIT, "PoliceUnit", NATIONAL, scope="country"),
    _role("mod", NS_ORG, "Ministry", NATIONAL, scope="country"),
    _role("moi", NS_ORG, "Ministry", NATIONAL, scope="country"),
)
# Ordered by importance: a truncated last block keeps a coherent core.
BLOCK_ROLES = (
    _role("div", NS_UNIT, "MilitaryUnit", NATIONAL),
    _role("bde_a", NS_UNIT, "MilitaryUnit"),
    _role("bn_a1", NS_UNIT, "MilitaryUnit"),
    _person("cmd_bn_during"),
    _person("cmd_bn_after"),
    _role("coy", NS_UNIT, "MilitaryUnit"),
    _role("bde_b", NS_UNIT, "MilitaryUnit"),
    _role("bn_b1", NS_UNIT, "MilitaryUnit"),
    _role("bn_b2", NS_UNIT, "MilitaryUnit"),
    _role("bn_a2", NS_UNIT, "MilitaryUnit"),
    _person("cmd_div_1"),
    _person("cmd_div_2"),
    _person("cmd_bde_unknown"),
    _person("cmd_bde_now"),
    _person("cmd_bn_b1"),
    _role("pol_cmd", NS_UNIT, "PoliceUnit"),
    _role("pol_station", NS_UNIT, "PoliceUnit"),
    _person("cmd_pol"),
    _role("rebel", NS_GROUP, "RebelGroup", NATIONAL),
    _role("splinter", NS_GROUP, "RebelGroup"),
    _role("militia", NS_GROUP, "CommunityMilitia"),
    _role("pol_militia", NS_GROUP, "PoliticalMilitia"),
    _role("illicit", NS_GROUP, "IllicitNetwork", REGIONAL, _ag("EconomicSector")),
    _person("rebel_leader"),
    _person("splinter_leader"),
    _person("militia_leader"),
    _person("militia_member"),
    _person("pm_member"),
    _role("paramil", NS_GROUP, "ParamilitaryForce"),
    _role("religious", NS_ORG, "ReligiousAuthority", LOCAL, _ag("ReligiousSector")),
    _role("traditional", NS_ORG, "TraditionalAuthority", LOCAL, _ag("TraditionalSector")),
    _role("cso", NS_ORG, "CivilSocietyOrganization", LOCAL, _ag("CivilSocietySector")),
    _role("coalition", NS_ORG, "CivilSocietyCoalition", NATIONAL, _ag("CivilSocietySector")),
    _role("local_admin", NS_ORG, "LocalAdministration", LOCAL, _GOV),
    _role("court", NS_ORG, "JusticeInstitution", LOCAL, _JUS),
    _person("staff_officer"),
    _person("police_officer"),
    _person("official"),
    _person("judge"),
    _person("chief"),
    _person("cleric"),
    _person("activist"),
    _person("soldier_1"),
    _person("soldier_2"),
    _person("constable"),
    _person("rebel_fighter"),
    _person("militia_fighter"),
    # Registry-only actors: known from a directory or a list, with no relation yet. Real graphs
    # have many of these, and they give name search more to sift through.
    _role("monitors", NS_ORG, "CivilSocietyOrganization", LOCAL, _ag("HumanRightsSector")),
    _role("village_council", NS_ORG, "LocalAdministration", LOCAL, _GOV),
    _person("journalist"),
)
assert len(BLOCK_ROLES) == BLOCK_SIZE, len(BLOCK_ROLES)

#################################################################
# Names: invented syllables, some with diacritics, plus abbreviations
#################################################################

_SYLLABLES = (
    "val", "dor", "mar", "ken", "tes", "ri", "lo", "ven", "sa", "quel", "bran", "tor", "il", "ves",
    "cor", "an", "dru", "mel", "os", "tra", "pel", "var", "no", "kas", "rin", "thal", "or", "zen",
    "hal", "mir", "ul", "bre", "sen", "ta", "gar", "vo",
)
_FIRST_NAMES = (
    "Aurel", "Mirela", "Oren", "Ilse", "Kasim", "Lio", "Hadrik", "Jorvan", "Selka", "Davor",
    "Renata", "Teodor", "Petra", "Emeric", "Yannick", "Bruna", "Amara", "Corin", "Odalric", "Tiberio",
    "Severin", "Ludo", "Vesna", "Anselm", "Ilka", "Marek", "Noemi", "Raslo", "Zorka", "Edvin",
)
_ACCENTS = {"a": "á", "e": "ê", "i": "í", "o": "ó", "u": "ú"}
_PLACE_SUFFIXES = ("moor", "ford", "hollow", "vale", " Varno", "gate", "ridge", "haven")
_ORDINAL_SUFFIX = ("th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th")
_REBEL_PATTERNS = ("{p} Liberation Front", "Popular Army of {p}", "{p} Resistance Movement")
_ILLICIT_GOODS = ("Gold", "Fuel", "Cattle", "Timber", "Arms")
_RANKS = ("Major", "Captain", "Colonel", "Lieutenant")


def _word(rng: random.Random, syllables: int) -> str:
    """An invented word from the syllable list; real names are unlikely to come out."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def _accented(word: str, rng: random.Random) -> str:
    """The word with one vowel accented, to give search something to fold (Sêrra / Serra)."""
    vowels = [i for i, ch in enumerate(word) if ch in _ACCENTS]
    if not vowels:
        return word
    i = vowels[rng.randrange(len(vowels))]
    return word[:i] + _ACCENTS[word[i]] + word[i + 1 :]


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 11th, 112th ..."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{_ORDINAL_SUFFIX[n % 10]}"


def _acronym(name: str) -> str:
    """Capital initials of a name, the way armed groups and bodies abbreviate themselves."""
    return "".join(w[0] for w in name.replace("-", " ").split() if w[0].isupper())


# ISO 3166-1 reserves these alpha-2 codes for user assignment, so no real country has them.
# XN, XO and XV are taken by the fictional scenario's states.
_USER_ASSIGNED_CODES = ("AA", *(f"Q{c}" for c in "MNOPQRSTUVWXYZ"), *(f"X{c}" for c in "ABCDEFGHIJKLMPQRSTUWXYZ"), "ZZ")


def _country_code(index: int) -> str | None:
    """A two-letter code that cannot clash with a real country; None once the reserved codes run out
    (the code is optional, and reusing one would make two synthetic states look the same)."""
    return _USER_ASSIGNED_CODES[index] if index < len(_USER_ASSIGNED_CODES) else None


def _lit(value: str) -> str:
    """A plain string literal. Generated text never contains quotes, backslashes or newlines."""
    return f'"{value}"'


#################################################################
# Dates: ordinals in, xsd:date strings out, partial dates normalized
#################################################################

_D2010 = date(2010, 1, 1).toordinal()
_D2023 = date(2023, 12, 31).toordinal()
_MONTH_END = {(y, m): (date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1) for y in range(1980, 2041) for m in range(1, 13)}


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _start_literal(ordinal: int, precision: str | None) -> str:
    """The xsd:date literal of a start: the first day of the month or year when the date is partial."""
    d = date.fromordinal(ordinal)
    if precision is MONTH_P:
        return f'"{d.year:04d}-{d.month:02d}-01{DATE_T}'
    if precision is YEAR_P:
        return f'"{d.year:04d}-01-01{DATE_T}'
    return f'"{d.isoformat()}{DATE_T}'


def _end_literal(ordinal: int, precision: str | None) -> str:
    """The xsd:date literal of an end: the last day of the month or year when the date is partial."""
    d = date.fromordinal(ordinal)
    if precision is MONTH_P:
        return f'"{_iso(_MONTH_END[(d.year, d.month)])}{DATE_T}'
    if precision is YEAR_P:
        return f'"{d.year:04d}-12-31{DATE_T}'
    return f'"{d.isoformat()}{DATE_T}'


#################################################################
# The generator
#################################################################


@dataclass(frozen=True)
class SynthStats:
    actors: int
    programs: int
    relations: int
    incidents: int
    triples: int


class _Block:
    """The triples of one block, rendered as lines, plus the counters the stats need."""

    __slots__ = ("end", "lines", "rel_prefix", "relations", "rng", "source")

    def __init__(self, end: str, rel_prefix: str, rng: random.Random, source: str) -> None:
        self.lines: list[str] = []
        self.end = end
        self.relations = 0
        self.rel_prefix = rel_prefix
        self.rng = rng
        self.source = source

    def t(self, s: str, p: str, o: str) -> None:
        self.lines.append(s + p + o + self.end)

    def rel(
        self,
        cls: str,
        p1: str,
        o1: str | None,
        p2: str,
        o2: str | None,
        start: int | None = None,
        end: int | None = None,
        ongoing: bool = False,
        confidence: str | None = None,
        exact: bool = False,
    ) -> str | None:
        """A relation node with its roles, source, confidence and dates; None if an end is missing.

        Missing ends happen only in a truncated last block; skipping the relation keeps the output
        valid instead of pointing at actors that were never written. Precision is drawn here so
        that partial dates appear across all relation kinds, except where `exact` is asked for:
        normalizing a partial start to 1 January could move a hand-over before the event it must
        follow (a commander "after" an incident, a brigade's new parent after its old one).
        """
        if o1 is None or o2 is None:
            return None
        rng = self.rng
        self.relations += 1
        s = f"{self.rel_prefix}{self.relations}>"
        add, tail = self.lines.append, self.end
        add(s + A + cls + tail)
        add(s + p1 + o1 + tail)
        add(s + p2 + o2 + tail)
        add(s + CONFIDENCE + (confidence or CONFIDENCES[rng.randrange(3)]) + tail)
        add(s + DERIVED + self.source + tail)
        if start is not None:
            r = 1.0 if exact else rng.random()
            prec = YEAR_P if r < 0.06 else MONTH_P if r < 0.15 else None
            add(s + START + _start_literal(start, prec) + tail)
            if prec is not None:
                add(s + START_PREC + prec + tail)
        if end is not None:
            prec = MONTH_P if not exact and rng.random() < 0.1 else None
            add(s + END + _end_literal(end, prec) + tail)
            if prec is not None:
                add(s + END_PREC + prec + tail)
        elif ongoing:
            add(s + ONGOING + TRUE + tail)
        return s


@dataclass
class _Country:
    """Country-level IRIs that later blocks of the same country point to."""

    index: int
    name: str
    state: str | None = None
    army: str | None = None
    police: str | None = None
    mod: str | None = None
    moi: str | None = None
    ssr: str | None = None
    ddr: str | None = None
    prev_div: str | None = None


class _Generator:
    """Produces the blocks in order and keeps the running counts for SynthStats."""

    def __init__(self, actors: int, seed: int, fmt: str) -> None:
        if actors < 0:
            raise ValueError("actors must be >= 0")
        if fmt not in FORMATS:
            raise ValueError(f"unknown synthetic output format {fmt!r}; use one of {FORMATS}")
        self.actors = actors
        self.rng = random.Random(seed)
        graph = _iri(SYNTHETIC_GRAPH)
        self.end = f" {graph} .\n" if fmt == "nq" else " .\n"
        self.header = "" if fmt == "nq" else f"{graph} {{\n"
        self.footer = "" if fmt == "nq" else "}\n"
        self.globals: dict[str, str | None] = {}
        self.country: _Country | None = None
        self.counts = {"actors": 0, "programs": 0, "relations": 0, "incidents": 0, "triples": 0}

    def stats(self) -> SynthStats:
        return SynthStats(**self.counts)

    def blocks(self) -> Iterator[list[str]]:
        """The output, one list of lines per block (the TriG wrapper as its own pieces)."""
        if self.header:
            yield [self.header]
        for b in range((self.actors + BLOCK_SIZE - 1) // BLOCK_SIZE):
            size = min(BLOCK_SIZE, self.actors - b * BLOCK_SIZE)
            block = self._block(b, size)
            self.counts["actors"] += size
            self.counts["relations"] += block.relations
            self.counts["triples"] += len(block.lines)
            yield block.lines
        if self.footer:
            yield [self.footer]

    # -- actors ------------------------------------------------------------------------------

    def _actor(self, blk: _Block, role: _Role, slug: str, name: str, country: str | None,
               aliases: tuple[str, ...] = ()) -> str:
        """Write one actor's core triples: class, label, name, aliases, country, level, sector, source."""
        s = _iri(role.namespace + slug)
        add, tail, lit = blk.lines.append, blk.end, _lit(name)
        add(s + A + role.cls + tail)
        add(s + LABEL + lit + tail)
        add(s + NAME + lit + tail)
        for alias in aliases:
            add(s + ALIAS + _lit(alias) + tail)
        if country is not None:
            add(s + COUNTRY + country + tail)
        if role.level is not None:
            add(s + LEVEL + role.level + tail)
        if role.sector is not None:
            add(s + SECTOR + role.sector + tail)
        add(s + DERIVED + blk.source + tail)
        return s

    def _names(self, role: _Role, b: int, places: tuple[str, ...], country: _Country) -> tuple[str, tuple[str, ...]]:
        """A display name and aliases for a role; diacritics and abbreviations are frequent."""
        rng = self.rng
        p0, p1, p2 = places
        n = role.name
        if role.namespace == NS_PERSON:
            first, last = rng.choice(_FIRST_NAMES), _word(rng, 2 + (rng.random() < 0.4))
            name = f"{first} {last}"
            r = rng.random()
            if r < 0.15:
                return name, (f"{first} {_accented(last, rng)}",)
            if r < 0.25:
                return name, (f"{first[0]}. {last}",)
            return name, ()
        if n == "div":
            return f"{_ordinal(b + 1)} Infantry Division ({country.name})", (f"{b + 1} Div",)
        if n in ("bde_a", "bde_b"):
            num = 2 * b + (1 if n == "bde_a" else 2)
            if n == "bde_b":
                return f"{_ordinal(num)} Mountain Brigade ({country.name})", (
                    f"Brigada {_accented(p1, rng)}", f"{num} Mtn Bde")
            return f"{_ordinal(num)} Infantry Brigade ({country.name})", (f"{num} Bde",)
        if n.startswith("bn_"):
            num = 4 * b + ("bn_a1", "bn_a2", "bn_b1", "bn_b2").index(n) + 1
            return f"{_ordinal(num)} Battalion ({country.name})", (f"{num} Bn",) if rng.random() < 0.5 else ()
        if n == "coy":
            return f"Alpha Company, {_ordinal(4 * b + 1)} Battalion ({country.name})", (f"A Coy {4 * b + 1}",)
        if n == "pol_cmd":
            name = f"{p0} Provincial Police Command"
            return name, (_acronym(name),)
        if n == "pol_station":
            return f"{p0} Police Station", ()
        if n == "rebel":
            name = rng.choice(_REBEL_PATTERNS).format(p=p1)
            return name, (_acronym(name), f"Frente de {_accented(p1, rng)}")
        if n == "splinter":
            name = f"Revolutionary Command of {p2}"
            return name, (_acronym(name), f"Commandement Révolutionnaire de {p2}")
        if n == "militia":
            return f"{p2} Hunters' Guard", (f"Garde des Chasseurs de {_accented(p2, rng)}",)
        if n == "pol_militia":
            name = f"{p0} Youth Vanguard"
            return name, (_acronym(name),)
        if n == "illicit":
            return f"{p1} {rng.choice(_ILLICIT_GOODS)} Syndicate", ()
        if n == "paramil":
            return f"{p2} Defence Auxiliaries", ()
        if n == "religious":
            return f"{p0} Council of the {_word(rng, 2)} Faith", ()
        if n == "traditional":
            return f"Chieftaincy of {p2}", (f"Chefferie de {_accented(p2, rng)}",)
        if n == "cso":
            return f"{p0} Women for Peace", ()
        if n == "coalition":
            name = f"{p1} Coalition for Civilian Protection"
            return name, (_acronym(name),)
        if n == "local_admin":
            return f"{p0} District Council", ()
        if n == "village_council":
            return f"{p2} Village Council", (f"Conseil de {_accented(p2, rng)}",) if rng.random() < 0.3 else ()
        if n == "monitors":
            name = f"{p1} Human Rights Monitors"
            return name, (_acronym(name),)
        if n == "court":
            return f"{p1} High Court", ()
        if n == "state":
            return f"Republic of {country.name}", (country.name, _accented(country.name, rng))
        if n == "army":
            name = f"{country.name} Armed Forces"
            return name, (_acronym(name),)
        if n == "police":
            name = f"{country.name} National Police"
            return name, (_acronym(name),)
        if n == "mod":
            return f"Ministry of Defence of {country.name}", ()
        if n == "moi":
            return f"Ministry of Interior of {country.name}", ()
        if n == "donor":
            return "Synthetic Agency for Development Cooperation", ("SADC-S",)
        if n == "igo":
            return "Synthetic Office for Peace Support", ("SOPS",)
        if n == "authority":
            return "Synthetic Regional Sanctions Committee", ("SRSC",)
        raise AssertionError(n)

    # -- blocks ------------------------------------------------------------------------------

    def _source(self, blk: _Block, slug: str, title: str, publisher: str, year: int) -> None:
        """A synthetic source document; it carries no source itself."""
        s = blk.source
        add, tail = blk.lines.append, blk.end
        add(s + A + C_SOURCE + tail)
        add(s + TITLE_DC + _lit(title) + tail)
        add(s + PUBLISHER + _lit(publisher) + tail)
        add(s + ISSUED + f'"{year}{YEAR_T}' + tail)
        add(s + URL + _lit(f"https://example.org/synthetic/{slug}") + tail)

    def _block(self, b: int, size: int) -> _Block:
        """Block `b` with `size` actors: its source, actors, and every relation among them."""
        rng = self.rng
        roles: list[_Role] = []
        if b == 0:
            roles.extend(GLOBAL_ROLES)
        new_country = b % BLOCKS_PER_COUNTRY == 0
        if new_country:
            roles.extend(COUNTRY_ROLES)
            self.country = _Country(b // BLOCKS_PER_COUNTRY, _word(rng, 3) + "ia")
        country = self.country
        assert country is not None
        roles.extend(BLOCK_ROLES)
        roles = roles[:size]

        blk = _Block(self.end, f"<{NS_RELATION}b{b}-r", rng, _iri(f"{NS_SOURCE}b{b}"))
        self._source(blk, f"source/b{b}", f"Synthetic monitoring report {b} on {country.name} (synthetic)",
                     f"{country.name} Observatory (synthetic)", 2015 + rng.randrange(9))
        places = tuple(_word(rng, 2) + rng.choice(_PLACE_SUFFIXES) for _ in range(3))

        a = self._actors(blk, b, roles, places, country)
        if new_country:
            country.army, country.police = a.get("army"), a.get("police")
            country.mod, country.moi = a.get("mod"), a.get("moi")
            country.prev_div = None
        if b == 0:
            self.globals = {k: a.get(k) for k in ("donor", "igo", "authority")}

        g = a.get
        if new_country:
            self._country_programs(blk, country)
            blk.rel(C_SUBORDINATION, CHILD, country.army, PARENT, country.mod, start=_D2010 - 3650, ongoing=True)
            blk.rel(C_SUBORDINATION, CHILD, country.police, PARENT, country.moi, start=_D2010 - 3650, ongoing=True)

        self._hierarchy(blk, a, country)
        incidents = self._incidents(blk, b, a, country, places)
        self._commands(blk, a, incidents)
        self._groups(blk, a, country)
        self._people(blk, a)
        self._block_program(blk, b, a, country, places)
        if g("div") is not None:
            country.prev_div = g("div")
        return blk

    def _actors(self, blk: _Block, b: int, roles: list[_Role], places: tuple[str, ...],
                country: _Country) -> dict[str, str]:
        """Write the block's actors and return their IRIs by role name.

        A role missing from the result (truncated last block) makes every relation that needs it
        skip itself. The state comes first in its block so the others can point at it.
        """
        a: dict[str, str] = {}
        for role in roles:
            name, aliases = self._names(role, b, places, country)
            slug = role.slug(b, country.index)
            if role.name == "state":
                country.state = _iri(role.namespace + slug)
                code = _country_code(country.index)
                if code is not None:
                    blk.t(country.state, COUNTRY_CODE, _lit(code))
            a[role.name] = self._actor(blk, role, slug, name, country.state, aliases)
        return a

    def _country_programs(self, blk: _Block, country: _Country) -> None:
        """The national SSR and DDR programs every block of the country can use (reform, integration)."""
        for kind, cls, sector in (("ssr", "SSRProgram", "SecuritySector"), ("ddr", "DDRProgram", "DDRSector")):
            s = _iri(f"{NS_PROGRAM}c{country.index}-{kind}")
            name = f"{country.name} National {'Security Sector Reform' if kind == 'ssr' else 'DDR'} Programme"
            self._program(blk, s, _ag(cls), name, (f"{kind.upper()} {country.name}",), country, NATIONAL,
                          _ag(sector), None, _D2010 + 1800)
            setattr(country, kind, s)
            blk.rel(C_FUNDING, PROGRAM, s, PARTICIPANT, self.globals.get("donor"), start=_D2010 + 1800,
                    ongoing=True, confidence=HIGH)
            blk.rel(C_IMPLEMENTATION, PROGRAM, s, PARTICIPANT, country.mod if kind == "ssr" else self.globals.get("igo"),
                    start=_D2010 + 1800, ongoing=True, confidence=HIGH)

    def _program(self, blk: _Block, s: str, cls: str, name: str, aliases: tuple[str, ...], country: _Country,
                 level: str, sector: str, location: str | None, start: int, end: int | None = None) -> None:
        add, tail, lit = blk.lines.append, blk.end, _lit(name)
        add(s + A + cls + tail)
        add(s + LABEL + lit + tail)
        add(s + NAME + lit + tail)
        for alias in aliases:
            add(s + ALIAS + _lit(alias) + tail)
        if country.state is not None:
            add(s + COUNTRY + country.state + tail)
        add(s + LEVEL + level + tail)
        add(s + SECTOR + sector + tail)
        if location is not None:
            add(s + LOCATION + _lit(location) + tail)
        add(s + PHASE + PHASES[self.rng.randrange(4)] + tail)
        add(s + START + _start_literal(start, None) + tail)
        if end is not None:
            add(s + END + _end_literal(end, None) + tail)
        add(s + DERIVED + blk.source + tail)
        self.counts["programs"] += 1

    def _hierarchy(self, blk: _Block, a: dict[str, str], country: _Country) -> None:
        """Units under units, with one brigade moved between divisions at a date (re-parenting)."""
        rng, g, sub = self.rng, a.get, C_SUBORDINATION
        founded = _D2010 - 365 * rng.randrange(1, 8)
        blk.rel(sub, CHILD, g("div"), PARENT, country.army, start=founded, ongoing=True, confidence=HIGH)
        blk.rel(sub, CHILD, g("bde_a"), PARENT, g("div"), start=founded, ongoing=True)
        moved = _D2010 + rng.randrange(400, 3000)
        if country.prev_div is not None and g("bde_b") is not None:
            blk.rel(sub, CHILD, g("bde_b"), PARENT, country.prev_div, start=founded, end=moved - 1, exact=True)
            blk.rel(sub, CHILD, g("bde_b"), PARENT, g("div"), start=moved, ongoing=True, exact=True)
        else:
            blk.rel(sub, CHILD, g("bde_b"), PARENT, g("div"), start=founded, ongoing=True)
        for bn, bde in (("bn_a1", "bde_a"), ("bn_a2", "bde_a"), ("bn_b1", "bde_b"), ("bn_b2", "bde_b")):
            blk.rel(sub, CHILD, g(bn), PARENT, g(bde), start=founded + 30, ongoing=True)
        blk.rel(sub, CHILD, g("pol_cmd"), PARENT, country.police, start=founded, ongoing=True)
        blk.rel(sub, CHILD, g("pol_station"), PARENT, g("pol_cmd"), start=founded, ongoing=True)

    def _incidents(self, blk: _Block, b: int, a: dict[str, str], country: _Country,
                   places: tuple[str, ...]) -> list[tuple[str, int, int]]:
        """Two or three incidents with perpetrations of mixed status and confidence.

        The first is always at battalion bn_a1 (and its company), so the command and hierarchy cases
        around it can be built deterministically. Returns (iri, start, end) per incident.
        """
        rng, g = self.rng, a.get
        out: list[tuple[str, int, int]] = []
        specs = [("bn_a1", "coy"), ("rebel", "splinter"), ("pol_station", "pol_militia")]
        count = 2 + (rng.random() < 0.5)
        for k in range(count):
            first, second = specs[k]
            if g(first) is None:
                break
            start = rng.randrange(_D2010 + 1000, _D2023 - 400)
            end = start + (0 if rng.random() < 0.6 else rng.randrange(1, 200))
            s = _iri(f"{NS_INCIDENT}b{b}-i{k}")
            place = places[k % 3]
            name = f"{place} incident of {date.fromordinal(start).year}"
            add, tail = blk.lines.append, blk.end
            add(s + A + C_INCIDENT + tail)
            add(s + LABEL + _lit(name) + tail)
            add(s + NAME + _lit(name) + tail)
            add(s + VIOLATION + VIOLATIONS[rng.randrange(len(VIOLATIONS))] + tail)
            add(s + START + _start_literal(start, None) + tail)
            add(s + END + _end_literal(end, None) + tail)
            add(s + LOCATION + _lit(place) + tail)
            if country.state is not None:
                add(s + COUNTRY + country.state + tail)
            add(s + FATALITIES + f'"{rng.randrange(0, 60)}{INT_T}' + tail)
            add(s + CONFIDENCE + CONFIDENCES[rng.randrange(3)] + tail)
            add(s + DERIVED + blk.source + tail)
            self.counts["incidents"] += 1
            out.append((s, start, end))
            self._perpetration(blk, g(first), s, established=rng.random() < 0.3)
            if rng.random() < 0.6:
                self._perpetration(blk, g(second), s, established=False)
        if out and rng.random() < 0.4:  # the militia is alleged to have helped at the first incident
            self._perpetration(blk, g("militia"), out[0][0], established=False, confidence=LOW)
        return out

    def _perpetration(self, blk: _Block, who: str | None, incident: str, established: bool,
                      confidence: str | None = None) -> None:
        node = blk.rel(C_PERPETRATION, PERPETRATOR, who, INCIDENT, incident,
                       confidence=HIGH if established else confidence)
        if node is not None:
            blk.t(node, STATUS, ESTABLISHED if established else ALLEGED)

    def _command(self, blk: _Block, person: str | None, unit: str | None, rank: str, title: str,
                 start: int | None, end: int | None = None, ongoing: bool = False,
                 rank_and_title: bool = False, exact: bool = False) -> str | None:
        """A command node. Rank and title are optional on commands (the role says it all), so only
        the commands around the first incident carry them, which keeps the triple budget down."""
        node = blk.rel(C_COMMAND, COMMANDER, person, COMMANDED, unit, start=start, end=end, ongoing=ongoing,
                       exact=exact)
        if node is not None and rank_and_title:
            blk.t(node, RANK, _lit(rank))
            blk.t(node, TITLE, _lit(title))
        return node

    def _commands(self, blk: _Block, a: dict[str, str], incidents: list[tuple[str, int, int]]) -> None:
        """Rotating commanders: one during the first incident, one after it, one with unknown start."""
        rng, g = self.rng, a.get
        if incidents:
            _, i_start, i_end = incidents[0]
            handover = i_end + rng.randrange(30, 500)
            self._command(blk, g("cmd_bn_during"), g("bn_a1"), "Lieutenant Colonel", "Commanding Officer",
                          i_start - rng.randrange(30, 900), end=handover - 1, rank_and_title=True, exact=True)
            self._command(blk, g("cmd_bn_after"), g("bn_a1"), "Lieutenant Colonel", "Commanding Officer",
                          handover, ongoing=True, rank_and_title=True, exact=True)
            if rng.random() < 0.5:  # convicted for it, and the company disbanded / battalion reformed
                self._mitigations(blk, a, incidents[0][0], i_end)
        rotation = _D2010 + rng.randrange(300, 4000)
        self._command(blk, g("cmd_div_1"), g("div"), "Major General", "General Officer Commanding",
                      rotation - rng.randrange(400, 2000), end=rotation - 1, exact=True)
        self._command(blk, g("cmd_div_2"), g("div"), "Major General", "General Officer Commanding",
                      rotation, ongoing=True, exact=True)
        rotation = _D2010 + rng.randrange(300, 4000)
        self._command(blk, g("cmd_bde_unknown"), g("bde_a"), "Brigadier General", "Brigade Commander",
                      None, end=rotation - 1, exact=True)
        self._command(blk, g("cmd_bde_now"), g("bde_a"), "Brigadier General", "Brigade Commander",
                      rotation, ongoing=True, exact=True)
        self._command(blk, g("cmd_bn_b1"), g("bn_b1"), "Lieutenant Colonel", "Commanding Officer",
                      _D2010 + rng.randrange(0, 4000), ongoing=rng.random() < 0.7)
        self._command(blk, g("cmd_pol"), g("pol_cmd"), "Commissioner", "Provincial Commissioner",
                      _D2010 + rng.randrange(0, 4000), ongoing=True)

    def _mitigations(self, blk: _Block, a: dict[str, str], incident: str, after: int) -> None:
        """The commander during the incident is convicted; the battalion is reformed (and sometimes its
        company disbanded) under the national SSR program, so vetting shows remedies at scale."""
        rng, g, country = self.rng, a.get, self.country
        assert country is not None
        when = after + rng.randrange(200, 900)
        node = blk.rel(C_JUDICIAL, CONCERNS, g("cmd_bn_during"), COURT, g("court"), start=when, confidence=HIGH)
        if node is not None:
            blk.t(node, OUTCOME, CONVICTED)
            blk.t(node, ABOUT, incident)
        if country.ssr is not None:
            blk.rel(C_REFORM, CONCERNS, g("bn_a1"), VIA, country.ssr, start=when, end=when + 700)
            if rng.random() < 0.5:
                blk.rel(C_DISBANDMENT, CONCERNS, g("coy"), VIA, country.ssr, start=when, confidence=HIGH)

    def _groups(self, blk: _Block, a: dict[str, str], country: _Country) -> None:
        """Splinter, DDR integration, illicit economy, alliances and rivalries, sanctions."""
        rng, g = self.rng, a.get
        split = _D2010 + rng.randrange(800, 4000)
        node = blk.rel(C_SUCCESSION, PREDECESSOR, g("rebel"), SUCCESSOR, g("splinter"), start=split,
                       confidence=HIGH)
        if node is not None:
            blk.t(node, SUCCESSION_KIND, SPLINTER)
        node = blk.rel(C_INTEGRATION, INTEGRATED, g("militia"), ABSORBING, g("bn_b2"),
                       start=_D2010 + rng.randrange(1500, 4500))
        if node is not None:
            blk.t(node, SCOPE, WHOLE if rng.random() < 0.7 else MEMBERS_ONLY)
            if country.ddr is not None:
                blk.t(node, VIA, country.ddr)
        for who, kind in (("bn_b1", REVENUE), ("pol_militia", CONTROL)):
            node = blk.rel(C_RELIANCE, RELIANT, g(who), ECON_PARTNER, g("illicit"),
                           start=_D2010 + rng.randrange(0, 3000), ongoing=rng.random() < 0.5)
            if node is not None:
                blk.t(node, RELIANCE_KIND, kind)
        blk.rel(C_ALLIANCE, FIRST_PARTY, g("paramil"), ALLY, g("bde_a"), start=_D2010 + rng.randrange(0, 2000),
                end=_D2010 + rng.randrange(2000, 4000))
        blk.rel(C_RIVALRY, FIRST_PARTY, g("rebel"), RIVAL, g("div"), start=_D2010 + rng.randrange(0, 2000),
                ongoing=True)
        blk.rel(C_RIVALRY, FIRST_PARTY, g("splinter"), RIVAL, g("rebel"), start=split + 30, ongoing=True)
        if rng.random() < 0.3:
            blk.rel(C_ALLIANCE, FIRST_PARTY, g("pol_militia"), ALLY, g("splinter"), start=split + 60, ongoing=True)
        for who in ("splinter", "rebel_leader"):
            if rng.random() < 0.25:
                node = blk.rel(C_SANCTIONS, LISTED, g(who), AUTHORITY, self.globals.get("authority"),
                               start=split + rng.randrange(60, 900), ongoing=True, confidence=HIGH)
                if node is not None:
                    blk.t(node, REGIME, _lit(f"Synthetic Regime for {country.name} (synthetic)"))
                    blk.t(node, REFERENCE, _lit(f"SYN.{country.index}.{blk.relations}"))

    def _people(self, blk: _Block, a: dict[str, str]) -> None:
        """Postings (rank, title) to units and institutions, and memberships of armed groups."""
        rng, g = self.rng, a.get
        postings = (
            ("rebel_leader", "rebel", "Supreme Commander"), ("splinter_leader", "splinter", "Leader"),
            ("militia_leader", "militia", "Chief Hunter"), ("staff_officer", "bde_b", "Staff Officer"),
            ("police_officer", "pol_station", "Station Officer"), ("official", "local_admin", "District Commissioner"),
            ("judge", "court", "Presiding Judge"), ("chief", "traditional", "Paramount Chief"),
            ("cleric", "religious", "Council Chair"), ("soldier_1", "bn_a1", "Platoon Sergeant"),
            ("soldier_2", "bn_b2", "Platoon Sergeant"), ("constable", "pol_station", "Constable"),
        )
        for person, organization, title in postings:
            node = blk.rel(C_POSTING, MEMBER, g(person), ORGANIZATION, g(organization),
                           start=_D2010 + rng.randrange(-2000, 4000), ongoing=rng.random() < 0.6)
            if node is not None:
                blk.t(node, RANK, _lit(_RANKS[rng.randrange(len(_RANKS))]))
                blk.t(node, TITLE, _lit(title))
        memberships = (
            ("splinter_leader", "rebel"), ("militia_member", "militia"), ("pm_member", "pol_militia"),
            ("activist", "cso"), ("cso", "coalition"), ("rebel_fighter", "rebel"), ("militia_fighter", "militia"),
        )
        for member, organization in memberships:
            if rng.random() < 0.3:  # dates unknown: membership only attested
                blk.rel(C_MEMBERSHIP, MEMBER, g(member), ORGANIZATION, g(organization))
                continue
            start = _D2010 + rng.randrange(-1500, 2500)
            blk.rel(C_MEMBERSHIP, MEMBER, g(member), ORGANIZATION, g(organization), start=start,
                    end=start + rng.randrange(200, 2500) if rng.random() < 0.5 else None)

    def _block_program(self, blk: _Block, b: int, a: dict[str, str], country: _Country,
                       places: tuple[str, ...]) -> None:
        """One program per block, with an implementer, a funder, and partners or targets drawn from
        the block: clean ones, perpetrators, parents of perpetrators, commanders, integrated units and
        members of perpetrating groups, so vetting has every kind of link to find at scale."""
        rng, g = self.rng, a.get
        cls = BLOCK_PROGRAM_CLASSES[rng.randrange(len(BLOCK_PROGRAM_CLASSES))]
        s = _iri(f"{NS_PROGRAM}b{b}")
        start = _D2010 + rng.randrange(1500, 4000)
        name = f"{places[0]} {PROGRAM_KIND_NAME[cls]}"
        self._program(blk, s, cls, name, (_acronym(name),), country, LOCAL, PROGRAM_SECTOR[cls], places[0], start,
                      start + rng.randrange(365, 1800) if rng.random() < 0.6 else None)
        blk.rel(C_IMPLEMENTATION, PROGRAM, s, PARTICIPANT, g("coalition") or self.globals.get("igo"), start=start,
                ongoing=True)
        node = blk.rel(C_FUNDING, PROGRAM, s, PARTICIPANT, self.globals.get("donor"), start=start, ongoing=True)
        if node is not None:
            blk.t(node, AMOUNT, f'"{rng.randrange(100, 5000) * 1000}{DECIMAL_T}')
            blk.t(node, CURRENCY, _lit("EUR"))
        candidates = ("bn_a1", "bde_a", "div", "bn_a2", "bn_b2", "cmd_bn_after", "cmd_bn_during", "pm_member",
                      "pol_station", "cso", "religious", "traditional", "local_admin", "militia", "court")
        for role in rng.sample(candidates, 5):
            target = role not in ("cso", "religious", "traditional", "local_admin", "court")
            known = rng.random() < 0.6
            blk.rel(C_TARGETING if target else C_PARTNERSHIP, PROGRAM, s, PARTICIPANT, g(role),
                    start=start + rng.randrange(0, 300) if known else None, ongoing=known and rng.random() < 0.7)
        if country.ssr is not None and rng.random() < 0.5:
            blk.rel(C_TARGETING, PROGRAM, country.ssr, PARTICIPANT, g(rng.choice(("bn_a1", "bde_a", "bn_b2"))),
                    start=_D2010 + rng.randrange(1800, 4000), ongoing=True)


#################################################################
# Public interface
#################################################################


def format_for(path: Path) -> str:
    """The output format told by the file extension: .nq (N-Quads) or .trig (TriG)."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("nq", "nquads"):
        return "nq"
    if suffix == "trig":
        return "trig"
    raise ValueError(f"cannot tell the synthetic output format from {path.name!r}: use .nq or .trig")


def iter_lines(actors: int, seed: int = 42, fmt: str = "nq") -> Iterator[str]:
    """The output line by line (each ends with a newline), for tests and pipes that need no file."""
    for lines in _Generator(actors, seed, fmt).blocks():
        yield from lines


def write_synthetic(path: Path, actors: int, seed: int = 42,
                    progress: Callable[[int], None] | None = None) -> SynthStats:
    """Write `actors` synthetic actors and everything around them to `path`, streaming.

    progress(n) is called with the number of actors written so far, every few thousand actors, so
    the CLI can show a progress bar.
    """
    gen = _Generator(actors, seed, format_for(Path(path)))
    written_blocks = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for lines in gen.blocks():
            out.write("".join(lines))
            written_blocks += 1
            if progress is not None and written_blocks % PROGRESS_EVERY_BLOCKS == 0:
                progress(gen.counts["actors"])
    if progress is not None:
        progress(gen.counts["actors"])
    return gen.stats()
