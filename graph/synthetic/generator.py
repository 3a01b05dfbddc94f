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
1M actors ~15.9M.
"""


from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.synthetic.blocks import Block, Country
from graph.synthetic.dates import D2010
from graph.synthetic.names import (
    FIRST_NAMES,
    ILLICIT_GOODS,
    PLACE_SUFFIXES,
    REBEL_PATTERNS,
    accented,
    acronym,
    country_code,
    invented_word,
    ordinal_of,
)
from graph.synthetic.relations import BlockRelations
from graph.synthetic.roles import BLOCK_ROLES, BLOCK_SIZE, COUNTRY_ROLES, GLOBAL_ROLES, Role
from graph.synthetic.vocabulary import (
    ALIAS,
    C_SOURCE,
    C_SUBORDINATION,
    CHILD,
    COUNTRY,
    COUNTRY_CODE,
    DERIVED,
    ISSUED,
    LABEL,
    LEVEL,
    NAME,
    NS_PERSON,
    NS_RELATION,
    NS_SOURCE,
    PARENT,
    PUBLISHER,
    SECTOR,
    TITLE_DC,
    URL,
    YEAR_T,
    A,
    iri,
    literal,
)
from ontology.namespaces import SYNTHETIC_GRAPH

BLOCKS_PER_COUNTRY = 20
PROGRESS_EVERY_BLOCKS = 100  # progress callback every 5,000 actors

FORMATS = ("nq", "trig")


@dataclass(frozen=True)
class SynthStats:
    actors: int
    programs: int
    relations: int
    incidents: int
    triples: int


class _Generator(BlockRelations):
    """Produces the blocks in order and keeps the running counts for SynthStats."""

    def __init__(self, actors: int, seed: int, fmt: str) -> None:
        if actors < 0:
            raise ValueError("actors must be >= 0")
        if fmt not in FORMATS:
            raise ValueError(f"unknown synthetic output format {fmt!r}; use one of {FORMATS}")
        self.actors = actors
        self.rng = random.Random(seed)
        graph = iri(SYNTHETIC_GRAPH)
        self.end = f" {graph} .\n" if fmt == "nq" else " .\n"
        self.header = "" if fmt == "nq" else f"{graph} {{\n"
        self.footer = "" if fmt == "nq" else "}\n"
        self.globals: dict[str, str | None] = {}
        self.country: Country | None = None
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

    def _actor(self, blk: Block, role: Role, slug: str, name: str, country: str | None,
               aliases: tuple[str, ...] = ()) -> str:
        """Write one actor's core triples: class, label, name, aliases, country, level, sector, source."""
        s = iri(role.namespace + slug)
        add, tail, lit = blk.lines.append, blk.end, literal(name)
        add(s + A + role.cls + tail)
        add(s + LABEL + lit + tail)
        add(s + NAME + lit + tail)
        for alias in aliases:
            add(s + ALIAS + literal(alias) + tail)
        if country is not None:
            add(s + COUNTRY + country + tail)
        if role.level is not None:
            add(s + LEVEL + role.level + tail)
        if role.sector is not None:
            add(s + SECTOR + role.sector + tail)
        add(s + DERIVED + blk.source + tail)
        return s

    def _names(self, role: Role, b: int, places: tuple[str, ...], country: Country) -> tuple[str, tuple[str, ...]]:
        """A display name and aliases for a role; diacritics and abbreviations are frequent."""
        rng = self.rng
        p0, p1, p2 = places
        n = role.name
        if role.namespace == NS_PERSON:
            first, last = rng.choice(FIRST_NAMES), invented_word(rng, 2 + (rng.random() < 0.4))
            name = f"{first} {last}"
            r = rng.random()
            if r < 0.15:
                return name, (f"{first} {accented(last, rng)}",)
            if r < 0.25:
                return name, (f"{first[0]}. {last}",)
            return name, ()
        if n == "div":
            return f"{ordinal_of(b + 1)} Infantry Division ({country.name})", (f"{b + 1} Div",)
        if n in ("bde_a", "bde_b"):
            num = 2 * b + (1 if n == "bde_a" else 2)
            if n == "bde_b":
                return f"{ordinal_of(num)} Mountain Brigade ({country.name})", (
                    f"Brigada {accented(p1, rng)}", f"{num} Mtn Bde")
            return f"{ordinal_of(num)} Infantry Brigade ({country.name})", (f"{num} Bde",)
        if n.startswith("bn_"):
            num = 4 * b + ("bn_a1", "bn_a2", "bn_b1", "bn_b2").index(n) + 1
            return f"{ordinal_of(num)} Battalion ({country.name})", (f"{num} Bn",) if rng.random() < 0.5 else ()
        if n == "coy":
            return f"Alpha Company, {ordinal_of(4 * b + 1)} Battalion ({country.name})", (f"A Coy {4 * b + 1}",)
        if n == "pol_cmd":
            name = f"{p0} Provincial Police Command"
            return name, (acronym(name),)
        if n == "pol_station":
            return f"{p0} Police Station", ()
        if n == "rebel":
            name = rng.choice(REBEL_PATTERNS).format(p=p1)
            return name, (acronym(name), f"Frente de {accented(p1, rng)}")
        if n == "splinter":
            name = f"Revolutionary Command of {p2}"
            return name, (acronym(name), f"Commandement Révolutionnaire de {p2}")
        if n == "militia":
            return f"{p2} Hunters' Guard", (f"Garde des Chasseurs de {accented(p2, rng)}",)
        if n == "pol_militia":
            name = f"{p0} Youth Vanguard"
            return name, (acronym(name),)
        if n == "illicit":
            return f"{p1} {rng.choice(ILLICIT_GOODS)} Syndicate", ()
        if n == "paramil":
            return f"{p2} Defence Auxiliaries", ()
        if n == "religious":
            return f"{p0} Council of the {invented_word(rng, 2)} Faith", ()
        if n == "traditional":
            return f"Chieftaincy of {p2}", (f"Chefferie de {accented(p2, rng)}",)
        if n == "cso":
            return f"{p0} Women for Peace", ()
        if n == "coalition":
            name = f"{p1} Coalition for Civilian Protection"
            return name, (acronym(name),)
        if n == "local_admin":
            return f"{p0} District Council", ()
        if n == "village_council":
            return f"{p2} Village Council", (f"Conseil de {accented(p2, rng)}",) if rng.random() < 0.3 else ()
        if n == "monitors":
            name = f"{p1} Human Rights Monitors"
            return name, (acronym(name),)
        if n == "court":
            return f"{p1} High Court", ()
        if n == "state":
            return f"Republic of {country.name}", (country.name, accented(country.name, rng))
        if n == "army":
            name = f"{country.name} Armed Forces"
            return name, (acronym(name),)
        if n == "police":
            name = f"{country.name} National Police"
            return name, (acronym(name),)
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

    def _source(self, blk: Block, slug: str, title: str, publisher: str, year: int) -> None:
        """A synthetic source document; it carries no source itself."""
        s = blk.source
        add, tail = blk.lines.append, blk.end
        add(s + A + C_SOURCE + tail)
        add(s + TITLE_DC + literal(title) + tail)
        add(s + PUBLISHER + literal(publisher) + tail)
        add(s + ISSUED + f'"{year}{YEAR_T}' + tail)
        add(s + URL + literal(f"https://example.org/synthetic/{slug}") + tail)

    def _block(self, b: int, size: int) -> Block:
        """Block `b` with `size` actors: its source, actors, and every relation among them."""
        rng = self.rng
        roles: list[Role] = []
        if b == 0:
            roles.extend(GLOBAL_ROLES)
        new_country = b % BLOCKS_PER_COUNTRY == 0
        if new_country:
            roles.extend(COUNTRY_ROLES)
            self.country = Country(b // BLOCKS_PER_COUNTRY, invented_word(rng, 3) + "ia")
        country = self.country
        assert country is not None
        roles.extend(BLOCK_ROLES)
        roles = roles[:size]

        blk = Block(self.end, f"<{NS_RELATION}b{b}-r", rng, iri(f"{NS_SOURCE}b{b}"))
        self._source(blk, f"source/b{b}", f"Synthetic monitoring report {b} on {country.name} (synthetic)",
                     f"{country.name} Observatory (synthetic)", 2015 + rng.randrange(9))
        places = tuple(invented_word(rng, 2) + rng.choice(PLACE_SUFFIXES) for _ in range(3))

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
            blk.rel(C_SUBORDINATION, CHILD, country.army, PARENT, country.mod, start=D2010 - 3650, ongoing=True)
            blk.rel(C_SUBORDINATION, CHILD, country.police, PARENT, country.moi, start=D2010 - 3650, ongoing=True)

        self._hierarchy(blk, a, country)
        incidents = self._incidents(blk, b, a, country, places)
        self._commands(blk, a, incidents)
        self._groups(blk, a, country)
        self._people(blk, a)
        self._block_program(blk, b, a, country, places)
        if g("div") is not None:
            country.prev_div = g("div")
        return blk

    def _actors(self, blk: Block, b: int, roles: list[Role], places: tuple[str, ...],
                country: Country) -> dict[str, str]:
        """Write the block's actors and return their IRIs by role name.

        A role missing from the result (truncated last block) makes every relation that needs it
        skip itself. The state comes first in its block so the others can point at it.
        """
        a: dict[str, str] = {}
        for role in roles:
            name, aliases = self._names(role, b, places, country)
            slug = role.slug(b, country.index)
            if role.name == "state":
                country.state = iri(role.namespace + slug)
                code = country_code(country.index)
                if code is not None:
                    blk.t(country.state, COUNTRY_CODE, literal(code))
            a[role.name] = self._actor(blk, role, slug, name, country.state, aliases)
        return a


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
