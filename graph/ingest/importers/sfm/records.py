"""What an SFM export says, read and checked, before it becomes RDF.

The importer works in two steps so that nothing is written unless everything is valid: the files
are read into these records (collecting every problem), and only a clean set of records is turned
into triples. Each value keeps its support: the SFM source ids (access points) cited for it, which
decide both its prov:wasDerivedFrom links and whether it may be shown publicly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from graph.ingest.importers.sfm.dates import PartialDate
from graph.ingest.importers.sfm.vocab import OpenEnded

Support = set[str]  # ids of SFM sources (access points)

CONFIDENCE_ORDER = ("LowConfidence", "MediumConfidence", "HighConfidence")


def stronger(first: str, second: str) -> str:
    """The higher of two confidences: two rows stating the same relation support it together."""
    return max(first, second, key=CONFIDENCE_ORDER.index)


@dataclass
class Located:
    """Where a value was read, for messages: file, row, column."""

    file: str
    row: int
    column: str


@dataclass
class EntityRecord:
    """A unit or a person: one name, other names and country codes, each with its support."""

    uuid: str
    name: str
    name_support: Support
    first_row: int
    aliases: dict[str, Support] = field(default_factory=dict)
    countries: dict[str, Support] = field(default_factory=dict)

    def add(self, values: dict[str, Support], value: str, support: Support) -> None:
        values.setdefault(value, set()).update(support)


@dataclass
class UnitRecord(EntityRecord):
    classifications: dict[str, Support] = field(default_factory=dict)
    locations: dict[str, Support] = field(default_factory=dict)
    # Known only because a relation names it (slim extracts list parents outside the file, such
    # as a UN mission); its name comes from the referring row.
    stub: bool = False


@dataclass
class PersonRecord(EntityRecord):
    pass


@dataclass
class Period:
    """The dates SFM gives for a relation: first and last cited dates and what they mean.

    `start_exact` is SFM's "is this the actual start?" flag (Y/N, None when empty). `end_kind` says
    what the last cited date means: the exact end (E), or not assumed to continue with the actual
    end unknown (N), or assumed to continue (Y)."""

    start: PartialDate | None = None
    start_exact: bool | None = None
    end: PartialDate | None = None
    end_kind: OpenEnded | None = None
    start_confidence: str | None = None
    end_confidence: str | None = None

    @property
    def ongoing(self) -> bool:
        return self.end_kind is OpenEnded.ASSUMED_ONGOING

    def key(self) -> str:
        return f"{self.start}|{self.start_exact}|{self.end}|{self.end_kind and self.end_kind.value}"


@dataclass
class RelationRecord:
    """A dated, sourced link: a subordination, a unit's membership, a posting or a command."""

    kind: str  # the ag: class: Subordination, Membership, Posting or Command
    subject: str  # child unit, member unit, or person (uuid)
    object: str  # parent unit or organization (uuid)
    subject_kind: str  # "unit" or "person"
    period: Period
    confidence: str
    support: Support
    where: Located
    role: str | None = None
    rank: str | None = None
    title: str | None = None
    relation_class: str | None = None  # SFM's class of a unit relation ("Command")
    start_context: str | None = None
    end_context: str | None = None

    def key(self) -> str:
        """What makes two rows the same relation; the node's IRI is derived from it."""
        parts = (self.role, self.rank, self.title, self.relation_class, self.start_context, self.end_context)
        return "|".join((self.kind, self.subject, self.object, self.period.key(), *(p or "" for p in parts)))

    def digest(self) -> str:
        return hashlib.sha256(self.key().encode("utf-8")).hexdigest()[:20]


@dataclass
class IncidentRecord:
    """An incident (SFM 'violation') with its perpetrators."""

    uuid: str
    row: int
    start: PartialDate | None
    end: PartialDate | None
    violation_types: list[str]
    description: str
    location: str
    location_description: str
    perpetrator_units: list[str]
    perpetrator_persons: list[str]
    perpetrator_classifications: list[str]
    support: Support
    notes: list[str] = field(default_factory=list)
    # When SFM first published the allegation (incidents.csv pub_date, the CMS's first allegation).
    first_published: PartialDate | None = None


@dataclass
class SourceRecord:
    """An SFM source as cited: one access point (a page or a clip of a document)."""

    uuid: str
    row: int
    title: str
    publisher: str
    author: str = ""
    url: str | None = None
    archive_url: str | None = None
    issued: PartialDate | None = None
    # When SFM created the source record and uploaded the document: with `issued`, the dates that
    # say when a statement became knowable (vetting's knowledge date, as_known_on).
    created: PartialDate | None = None
    uploaded: PartialDate | None = None
    restricted: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class Reference:
    """A cell that names another record by id; checked once every file is read."""

    kind: str  # "unit", "person" or "source"
    target: str
    where: Located
    name: str = ""  # the name the referring row gives, for stubs and messages


@dataclass
class SfmData:
    """Everything read from one export, keyed by SFM id (relations by their key)."""

    units: dict[str, UnitRecord] = field(default_factory=dict)
    persons: dict[str, PersonRecord] = field(default_factory=dict)
    relations: dict[str, RelationRecord] = field(default_factory=dict)
    incidents: dict[str, IncidentRecord] = field(default_factory=dict)
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    # Ids seen only on rows SFM has not published, to explain a reference to them.
    unpublished: dict[str, set[str]] = field(default_factory=lambda: {"unit": set(), "person": set(), "incident": set()})

    def add_relation(self, relation: RelationRecord) -> RelationRecord:
        """Add a relation, merging it with an identical one from another row."""
        key = relation.key()
        existing = self.relations.get(key)
        if existing is None:
            self.relations[key] = relation
            return relation
        existing.support |= relation.support
        existing.confidence = stronger(existing.confidence, relation.confidence)
        return existing
