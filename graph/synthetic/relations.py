"""How the actors of a block are related: the relation nodes the generator writes between them."""

from __future__ import annotations

import random
from datetime import date

from graph.synthetic.blocks import Block, Country
from graph.synthetic.dates import D2010, D2023, end_literal, start_literal
from graph.synthetic.names import (
    RANKS,
    acronym,
)
from graph.synthetic.vocabulary import (
    ABOUT,
    ABSORBING,
    ALIAS,
    ALLEGED,
    ALLY,
    AMOUNT,
    AUTHORITY,
    BLOCK_PROGRAM_CLASSES,
    C_ALLIANCE,
    C_COMMAND,
    C_DISBANDMENT,
    C_FUNDING,
    C_IMPLEMENTATION,
    C_INCIDENT,
    C_INTEGRATION,
    C_JUDICIAL,
    C_MEMBERSHIP,
    C_PARTNERSHIP,
    C_PERPETRATION,
    C_POSTING,
    C_REFORM,
    C_RELIANCE,
    C_RIVALRY,
    C_SANCTIONS,
    C_SUBORDINATION,
    C_SUCCESSION,
    C_TARGETING,
    CHILD,
    COMMANDED,
    COMMANDER,
    CONCERNS,
    CONFIDENCE,
    CONFIDENCES,
    CONTROL,
    CONVICTED,
    COUNTRY,
    COURT,
    CURRENCY,
    DECIMAL_T,
    DERIVED,
    ECON_PARTNER,
    END,
    ESTABLISHED,
    FATALITIES,
    FIRST_PARTY,
    HIGH,
    INCIDENT,
    INT_T,
    INTEGRATED,
    LABEL,
    LEVEL,
    LISTED,
    LOCAL,
    LOCATION,
    LOW,
    MEMBER,
    MEMBERS_ONLY,
    NAME,
    NATIONAL,
    NS_INCIDENT,
    NS_PROGRAM,
    ORGANIZATION,
    OUTCOME,
    PARENT,
    PARTICIPANT,
    PERPETRATOR,
    PHASE,
    PHASES,
    PREDECESSOR,
    PROGRAM,
    PROGRAM_KIND_NAME,
    PROGRAM_SECTOR,
    RANK,
    REFERENCE,
    REGIME,
    RELIANCE_KIND,
    RELIANT,
    REVENUE,
    RIVAL,
    SCOPE,
    SECTOR,
    SPLINTER,
    START,
    STATUS,
    SUCCESSION_KIND,
    SUCCESSOR,
    TITLE,
    VIA,
    VIOLATION,
    VIOLATIONS,
    WHOLE,
    A,
    ag,
    iri,
    literal,
)


class BlockRelations:
    """The relations of a block: programs, the unit hierarchy, incidents and perpetrations, commands,
    mitigations, armed groups and people. Mixed into the generator, whose state it uses."""

    rng: random.Random
    counts: dict[str, int]
    globals: dict[str, str | None]
    country: Country | None

    def _country_programs(self, blk: Block, country: Country) -> None:
        """The national SSR and DDR programs every block of the country can use (reform, integration)."""
        for kind, cls, sector in (("ssr", "SSRProgram", "SecuritySector"), ("ddr", "DDRProgram", "DDRSector")):
            s = iri(f"{NS_PROGRAM}c{country.index}-{kind}")
            name = f"{country.name} National {'Security Sector Reform' if kind == 'ssr' else 'DDR'} Programme"
            self._program(blk, s, ag(cls), name, (f"{kind.upper()} {country.name}",), country, NATIONAL,
                          ag(sector), None, D2010 + 1800)
            setattr(country, kind, s)
            blk.rel(C_FUNDING, PROGRAM, s, PARTICIPANT, self.globals.get("donor"), start=D2010 + 1800,
                    ongoing=True, confidence=HIGH)
            blk.rel(C_IMPLEMENTATION, PROGRAM, s, PARTICIPANT, country.mod if kind == "ssr" else self.globals.get("igo"),
                    start=D2010 + 1800, ongoing=True, confidence=HIGH)

    def _program(self, blk: Block, s: str, cls: str, name: str, aliases: tuple[str, ...], country: Country,
                 level: str, sector: str, location: str | None, start: int, end: int | None = None) -> None:
        add, tail, lit = blk.lines.append, blk.end, literal(name)
        add(s + A + cls + tail)
        add(s + LABEL + lit + tail)
        add(s + NAME + lit + tail)
        for alias in aliases:
            add(s + ALIAS + literal(alias) + tail)
        if country.state is not None:
            add(s + COUNTRY + country.state + tail)
        add(s + LEVEL + level + tail)
        add(s + SECTOR + sector + tail)
        if location is not None:
            add(s + LOCATION + literal(location) + tail)
        add(s + PHASE + PHASES[self.rng.randrange(4)] + tail)
        add(s + START + start_literal(start, None) + tail)
        if end is not None:
            add(s + END + end_literal(end, None) + tail)
        add(s + DERIVED + blk.source + tail)
        self.counts["programs"] += 1

    def _hierarchy(self, blk: Block, a: dict[str, str], country: Country) -> None:
        """Units under units, with one brigade moved between divisions at a date (re-parenting)."""
        rng, g, sub = self.rng, a.get, C_SUBORDINATION
        founded = D2010 - 365 * rng.randrange(1, 8)
        blk.rel(sub, CHILD, g("div"), PARENT, country.army, start=founded, ongoing=True, confidence=HIGH)
        blk.rel(sub, CHILD, g("bde_a"), PARENT, g("div"), start=founded, ongoing=True)
        moved = D2010 + rng.randrange(400, 3000)
        if country.prev_div is not None and g("bde_b") is not None:
            blk.rel(sub, CHILD, g("bde_b"), PARENT, country.prev_div, start=founded, end=moved - 1, exact=True)
            blk.rel(sub, CHILD, g("bde_b"), PARENT, g("div"), start=moved, ongoing=True, exact=True)
        else:
            blk.rel(sub, CHILD, g("bde_b"), PARENT, g("div"), start=founded, ongoing=True)
        for bn, bde in (("bn_a1", "bde_a"), ("bn_a2", "bde_a"), ("bn_b1", "bde_b"), ("bn_b2", "bde_b")):
            blk.rel(sub, CHILD, g(bn), PARENT, g(bde), start=founded + 30, ongoing=True)
        blk.rel(sub, CHILD, g("pol_cmd"), PARENT, country.police, start=founded, ongoing=True)
        blk.rel(sub, CHILD, g("pol_station"), PARENT, g("pol_cmd"), start=founded, ongoing=True)

    def _incidents(self, blk: Block, b: int, a: dict[str, str], country: Country,
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
            start = rng.randrange(D2010 + 1000, D2023 - 400)
            end = start + (0 if rng.random() < 0.6 else rng.randrange(1, 200))
            s = iri(f"{NS_INCIDENT}b{b}-i{k}")
            place = places[k % 3]
            name = f"{place} incident of {date.fromordinal(start).year}"
            add, tail = blk.lines.append, blk.end
            add(s + A + C_INCIDENT + tail)
            add(s + LABEL + literal(name) + tail)
            add(s + NAME + literal(name) + tail)
            add(s + VIOLATION + VIOLATIONS[rng.randrange(len(VIOLATIONS))] + tail)
            add(s + START + start_literal(start, None) + tail)
            add(s + END + end_literal(end, None) + tail)
            add(s + LOCATION + literal(place) + tail)
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

    def _perpetration(self, blk: Block, who: str | None, incident: str, established: bool,
                      confidence: str | None = None) -> None:
        node = blk.rel(C_PERPETRATION, PERPETRATOR, who, INCIDENT, incident,
                       confidence=HIGH if established else confidence)
        if node is not None:
            blk.t(node, STATUS, ESTABLISHED if established else ALLEGED)

    def _command(self, blk: Block, person: str | None, unit: str | None, rank: str, title: str,
                 start: int | None, end: int | None = None, ongoing: bool = False,
                 rank_and_title: bool = False, exact: bool = False) -> str | None:
        """A command node. Rank and title are optional on commands (the role says it all), so only
        the commands around the first incident carry them, which keeps the triple budget down."""
        node = blk.rel(C_COMMAND, COMMANDER, person, COMMANDED, unit, start=start, end=end, ongoing=ongoing,
                       exact=exact)
        if node is not None and rank_and_title:
            blk.t(node, RANK, literal(rank))
            blk.t(node, TITLE, literal(title))
        return node

    def _commands(self, blk: Block, a: dict[str, str], incidents: list[tuple[str, int, int]]) -> None:
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
        rotation = D2010 + rng.randrange(300, 4000)
        self._command(blk, g("cmd_div_1"), g("div"), "Major General", "General Officer Commanding",
                      rotation - rng.randrange(400, 2000), end=rotation - 1, exact=True)
        self._command(blk, g("cmd_div_2"), g("div"), "Major General", "General Officer Commanding",
                      rotation, ongoing=True, exact=True)
        rotation = D2010 + rng.randrange(300, 4000)
        self._command(blk, g("cmd_bde_unknown"), g("bde_a"), "Brigadier General", "Brigade Commander",
                      None, end=rotation - 1, exact=True)
        self._command(blk, g("cmd_bde_now"), g("bde_a"), "Brigadier General", "Brigade Commander",
                      rotation, ongoing=True, exact=True)
        self._command(blk, g("cmd_bn_b1"), g("bn_b1"), "Lieutenant Colonel", "Commanding Officer",
                      D2010 + rng.randrange(0, 4000), ongoing=rng.random() < 0.7)
        self._command(blk, g("cmd_pol"), g("pol_cmd"), "Commissioner", "Provincial Commissioner",
                      D2010 + rng.randrange(0, 4000), ongoing=True)

    def _mitigations(self, blk: Block, a: dict[str, str], incident: str, after: int) -> None:
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

    def _groups(self, blk: Block, a: dict[str, str], country: Country) -> None:
        """Splinter, DDR integration, illicit economy, alliances and rivalries, sanctions."""
        rng, g = self.rng, a.get
        split = D2010 + rng.randrange(800, 4000)
        node = blk.rel(C_SUCCESSION, PREDECESSOR, g("rebel"), SUCCESSOR, g("splinter"), start=split,
                       confidence=HIGH)
        if node is not None:
            blk.t(node, SUCCESSION_KIND, SPLINTER)
        node = blk.rel(C_INTEGRATION, INTEGRATED, g("militia"), ABSORBING, g("bn_b2"),
                       start=D2010 + rng.randrange(1500, 4500))
        if node is not None:
            blk.t(node, SCOPE, WHOLE if rng.random() < 0.7 else MEMBERS_ONLY)
            if country.ddr is not None:
                blk.t(node, VIA, country.ddr)
        for who, kind in (("bn_b1", REVENUE), ("pol_militia", CONTROL)):
            node = blk.rel(C_RELIANCE, RELIANT, g(who), ECON_PARTNER, g("illicit"),
                           start=D2010 + rng.randrange(0, 3000), ongoing=rng.random() < 0.5)
            if node is not None:
                blk.t(node, RELIANCE_KIND, kind)
        blk.rel(C_ALLIANCE, FIRST_PARTY, g("paramil"), ALLY, g("bde_a"), start=D2010 + rng.randrange(0, 2000),
                end=D2010 + rng.randrange(2000, 4000))
        blk.rel(C_RIVALRY, FIRST_PARTY, g("rebel"), RIVAL, g("div"), start=D2010 + rng.randrange(0, 2000),
                ongoing=True)
        blk.rel(C_RIVALRY, FIRST_PARTY, g("splinter"), RIVAL, g("rebel"), start=split + 30, ongoing=True)
        if rng.random() < 0.3:
            blk.rel(C_ALLIANCE, FIRST_PARTY, g("pol_militia"), ALLY, g("splinter"), start=split + 60, ongoing=True)
        for who in ("splinter", "rebel_leader"):
            if rng.random() < 0.25:
                node = blk.rel(C_SANCTIONS, LISTED, g(who), AUTHORITY, self.globals.get("authority"),
                               start=split + rng.randrange(60, 900), ongoing=True, confidence=HIGH)
                if node is not None:
                    blk.t(node, REGIME, literal(f"Synthetic Regime for {country.name} (synthetic)"))
                    blk.t(node, REFERENCE, literal(f"SYN.{country.index}.{blk.relations}"))

    def _people(self, blk: Block, a: dict[str, str]) -> None:
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
                           start=D2010 + rng.randrange(-2000, 4000), ongoing=rng.random() < 0.6)
            if node is not None:
                blk.t(node, RANK, literal(RANKS[rng.randrange(len(RANKS))]))
                blk.t(node, TITLE, literal(title))
        memberships = (
            ("splinter_leader", "rebel"), ("militia_member", "militia"), ("pm_member", "pol_militia"),
            ("activist", "cso"), ("cso", "coalition"), ("rebel_fighter", "rebel"), ("militia_fighter", "militia"),
        )
        for member, organization in memberships:
            if rng.random() < 0.3:  # dates unknown: membership only attested
                blk.rel(C_MEMBERSHIP, MEMBER, g(member), ORGANIZATION, g(organization))
                continue
            start = D2010 + rng.randrange(-1500, 2500)
            blk.rel(C_MEMBERSHIP, MEMBER, g(member), ORGANIZATION, g(organization), start=start,
                    end=start + rng.randrange(200, 2500) if rng.random() < 0.5 else None)

    def _block_program(self, blk: Block, b: int, a: dict[str, str], country: Country,
                       places: tuple[str, ...]) -> None:
        """One program per block, with an implementer, a funder, and partners or targets drawn from
        the block: clean ones, perpetrators, parents of perpetrators, commanders, integrated units and
        members of perpetrating groups, so vetting has every kind of link to find at scale."""
        rng, g = self.rng, a.get
        cls = BLOCK_PROGRAM_CLASSES[rng.randrange(len(BLOCK_PROGRAM_CLASSES))]
        s = iri(f"{NS_PROGRAM}b{b}")
        start = D2010 + rng.randrange(1500, 4000)
        name = f"{places[0]} {PROGRAM_KIND_NAME[cls]}"
        self._program(blk, s, cls, name, (acronym(name),), country, LOCAL, PROGRAM_SECTOR[cls], places[0], start,
                      start + rng.randrange(365, 1800) if rng.random() < 0.6 else None)
        blk.rel(C_IMPLEMENTATION, PROGRAM, s, PARTICIPANT, g("coalition") or self.globals.get("igo"), start=start,
                ongoing=True)
        node = blk.rel(C_FUNDING, PROGRAM, s, PARTICIPANT, self.globals.get("donor"), start=start, ongoing=True)
        if node is not None:
            blk.t(node, AMOUNT, f'"{rng.randrange(100, 5000) * 1000}{DECIMAL_T}')
            blk.t(node, CURRENCY, literal("EUR"))
        candidates = ("bn_a1", "bde_a", "div", "bn_a2", "bn_b2", "cmd_bn_after", "cmd_bn_during", "pm_member",
                      "pol_station", "cso", "religious", "traditional", "local_admin", "militia", "court")
        for role in rng.sample(candidates, 5):
            target = role not in ("cso", "religious", "traditional", "local_admin", "court")
            known = rng.random() < 0.6
            blk.rel(C_TARGETING if target else C_PARTNERSHIP, PROGRAM, s, PARTICIPANT, g(role),
                    start=start + rng.randrange(0, 300) if known else None, ongoing=known and rng.random() < 0.7)
        if country.ssr is not None and rng.random() < 0.5:
            blk.rel(C_TARGETING, PROGRAM, country.ssr, PARTICIPANT, g(rng.choice(("bn_a1", "bde_a", "bn_b2"))),
                    start=D2010 + rng.randrange(1800, 4000), ongoing=True)
