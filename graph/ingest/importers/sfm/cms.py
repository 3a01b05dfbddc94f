"""WhoWasInCommand's CMS fixtures read into the same checked records as a bulk export, so that one
mapping (graph.ingest.importers.sfm.mapping) turns both into triples.

What becomes what:
- `organization.*`: a unit (name, aliases, classifications, country from the division id,
  headquarters as a location); `emplacement.*` adds the unit's sites as locations.
- `composition.*`: a dated subordination (child, parent, start, end, open-ended flag);
  `membershiporganization.*`: a unit's dated membership of another.
- `violation.*`: an incident with its dates, types, description, place and first allegation
  (when the allegation was first published: ag:firstPublished).
- `source.source`: the sources the imported statements cite, with title, publication, publication
  date (dcterms:issued), the day SFM added it (dcterms:created) and URL; `source.accesspoint`
  adds archived copies.
Each statement cites the sources of the facts it was built from, and keeps the confidence SFM
gives (1 low, 2 medium, 3 high).

Not imported, each record reported with its reason: persons and their postings (`person.*`,
`membershipperson.*`: ActorGraph names a real individual only where a court convicted them or a
sanctions regime lists them, and the CMS says neither), areas of operations (`association.*`),
a unit's own first and last cited dates (no ActorGraph term), and sources nothing imported cites.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import partial

from graph.ingest.importers.sfm import vocab
from graph.ingest.importers.sfm.cells import ReaderOptions
from graph.ingest.importers.sfm.cms_sources import cited_by, cited_sources
from graph.ingest.importers.sfm.countries import UnknownCountry, country_code
from graph.ingest.importers.sfm.dates import DateError, PartialDate, parse_date
from graph.ingest.importers.sfm.fixtures import FixtureRecord, Fixtures, Key, problem
from graph.ingest.importers.sfm.records import IncidentRecord, Period, RelationRecord, SfmData, Support, UnitRecord
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.sfm.rows import Problems, clean

PERSON_REASON = (
    "a real person: ActorGraph names individuals only where a court convicted them or a sanctions regime lists them, "
    "and SFM's records say neither"
)
POSTING_REASON = "a real person's posting (persons are not imported: see the person records)"
SKIPPED_MODELS = {
    "person": PERSON_REASON,
    "membershipperson": POSTING_REASON,
    "association": "an area of operations: ActorGraph has no term for it",
}
UNIT_DATES = (
    "organization.organizationfirstciteddate", "organization.organizationlastciteddate",
    "organization.organizationopenended", "organization.organizationrealstart",
)  # fmt: skip
UNIT_DATES_REASON = "a unit's own first or last cited date: ActorGraph has no term for an actor's existence period"
UNCITED_REASON = "a source that no imported statement cites"
UNUSED_REASON = "not used by any imported record"


class CmsReader:
    """Turns a folder's fixtures into `data`, collecting problems and accounting for every record."""

    def __init__(self, fixtures: Fixtures, options: ReaderOptions, report: ImportReport, problems: Problems) -> None:
        self.fixtures = fixtures
        self.options = options
        self.report = report
        self.problems = problems
        self.data = SfmData()
        self.used: set[tuple[str, Key]] = set()

    def read(self) -> SfmData:
        self._units()
        self._relations("composition", "Subordination", child="compositionchild", parent="compositionparent")
        self._relations(
            "membershiporganization", "Membership", child="membershiporganizationmember", parent="membershiporganizationorganization"
        )
        self._emplacements()
        self._violations()
        self._sources()
        self._account()
        return self.data

    # -- values -------------------------------------------------------------------------------

    def _use(self, *records: FixtureRecord | None) -> None:
        for record in records:
            if record is not None:
                self.used.add((record.model, record.pk))

    def _support(self, *records: FixtureRecord | None) -> Support:
        """The source ids the facts cite; an id that is not a uuid is a problem."""
        found: Support = set()
        for record in records:
            if record is None:
                continue
            sources = record.fields.get("sources", [])
            if not isinstance(sources, list):
                problem(self.problems, record, "sources", "must be a list of source ids")
                continue
            for value in sources:
                try:
                    found.add(str(uuid.UUID(str(value))))
                except ValueError:
                    problem(self.problems, record, "sources", f"{value!r} is not a source id (a uuid)")
        return found

    def _confidence(self, record: FixtureRecord | None) -> str | None:
        if record is None:
            return None
        try:
            return vocab.confidence(str(record.fields.get("confidence") or ""))
        except vocab.UnknownValue as error:
            problem(self.problems, record, "confidence", str(error))
            return None

    def _text(self, record: FixtureRecord | None) -> str:
        if record is None:
            return ""
        if not isinstance(record.value, str):
            problem(self.problems, record, "value", "must be text")
            return ""
        return clean(record.value)

    def _date(self, record: FixtureRecord | None) -> PartialDate | None:
        if record is None or record.value in (None, ""):
            return None
        try:
            value = parse_date(str(record.value))
        except DateError as error:
            problem(self.problems, record, "value", str(error))
            return None
        if value is not None and value.first_day() > self.options.latest:
            problem(self.problems, record, "value", f"{value} is after {self.options.latest.isoformat()}, the date of the export")
        return value

    def _object(self, record: FixtureRecord | None, model: str) -> FixtureRecord | None:
        """The object a fact's value points at (a composition's parent organization)."""
        if record is None:
            return None
        target = self.fixtures.of(model).get(record.value)
        if target is None:
            problem(self.problems, record, "value", f"broken reference: no {model} with pk {record.value!r}")
        return target

    def _unit_uuid(self, record: FixtureRecord | None) -> str | None:
        organization = self._object(record, "organization.organization")
        if organization is None:
            return None
        return str(organization.fields.get("uuid", "")).lower() or None

    # -- units ----------------------------------------------------------------------------------

    def _units(self) -> None:
        for pk, organization in self.fixtures.of("organization.organization").items():
            try:
                unit_id = str(uuid.UUID(str(organization.fields.get("uuid"))))
            except ValueError:
                problem(self.problems, organization, "uuid", "missing or not a uuid")
                continue
            name_fact = self.fixtures.fact("organization.organizationname", pk)
            name = self._text(name_fact)
            if not name:
                problem(self.problems, organization, None, "organization has no name (no organization.organizationname record)")
                continue
            unit = UnitRecord(uuid=unit_id, name=name, name_support=self._support(name_fact), first_row=organization.number)
            self._use(organization, name_fact)
            for model, values in (
                ("organization.organizationalias", unit.aliases),
                ("organization.organizationclassification", unit.classifications),
                ("organization.organizationheadquarters", unit.locations),
            ):
                for fact in self.fixtures.facts_of(model, pk):
                    value = self._text(fact)
                    if value and not (values is unit.aliases and value == name):
                        unit.add(values, value, self._support(fact))
                    self._use(fact)
            for fact in self.fixtures.facts_of("organization.organizationdivisionid", pk):
                self._country(fact, unit.countries)
            for model in UNIT_DATES:
                for fact in self.fixtures.facts_of(model, pk):
                    if model.endswith("citeddate"):
                        self._date(fact)  # checked, though not kept
                    self.report.file(fact.file).skip(fact.number, UNIT_DATES_REASON)
            self.data.units[unit_id] = unit

    def _country(self, fact: FixtureRecord, into: dict[str, Support]) -> None:
        try:
            code = country_code(self._text(fact))
        except UnknownCountry as error:
            problem(self.problems, fact, "value", str(error))
            return
        into.setdefault(code, set()).update(self._support(fact))
        self._use(fact)

    def _emplacements(self) -> None:
        """A unit's sites (emplacements) are kept as its locations; ag:location has no dates."""
        for pk in self.fixtures.of("emplacement.emplacement"):
            organization = self.fixtures.fact("emplacement.emplacementorganization", pk)
            site = self.fixtures.fact("emplacement.emplacementsite", pk)
            unit_id = self._unit_uuid(organization)
            place = self._object(site, "location.location")
            if unit_id is None or place is None or unit_id not in self.data.units:
                continue
            name = vocab.place_name(str(place.fields.get("name") or ""))
            if name:
                unit = self.data.units[unit_id]
                unit.add(unit.locations, name, self._support(organization, site))
                self._use(self.fixtures.of("emplacement.emplacement")[pk], organization, site, place)
                self._use_all("emplacement", pk)

    def _use_all(self, app: str, pk: Key) -> None:
        for model, by_ref in self.fixtures.facts.items():
            if model.startswith(app + "."):
                self._use(*by_ref.get(pk, []))

    # -- relations -----------------------------------------------------------------------------

    def _relations(self, app: str, kind: str, *, child: str, parent: str) -> None:
        """Compositions (child under parent) and memberships (member of organization), dated."""
        facts = self.fixtures.fact
        for pk, node in self.fixtures.of(f"{app}.{app}").items():
            child_fact, parent_fact = facts(f"{app}.{child}", pk), facts(f"{app}.{parent}", pk)
            start_fact = facts(f"{app}.{app}startdate", pk) or facts(f"{app}.{app}firstciteddate", pk)
            end_fact = facts(f"{app}.{app}enddate", pk) or facts(f"{app}.{app}lastciteddate", pk)
            open_fact, real_start = facts(f"{app}.{app}openended", pk), facts(f"{app}.{app}realstart", pk)
            classification = facts(f"{app}.{app}classification", pk)
            if child_fact is None or parent_fact is None:
                problem(self.problems, node, None, f"{kind.lower()} without both ends ({app}.{child} and {app}.{parent})")
                continue
            subject, obj = self._unit_uuid(child_fact), self._unit_uuid(parent_fact)
            period = Period(start=self._date(start_fact), end=self._date(end_fact))
            period.start_exact = real_start.value if real_start is not None and isinstance(real_start.value, bool) else None
            period.end_kind = self._open_ended(open_fact)
            period.start_confidence, period.end_confidence = self._confidence(start_fact), self._confidence(end_fact)
            if period.start and period.end and period.start.first_day() > period.end.last_day():
                assert end_fact is not None
                problem(self.problems, end_fact, "value", f"{period.end} is before the start date {period.start}")
            if subject is None or obj is None:
                continue
            if subject == obj:
                problem(self.problems, parent_fact, "value", "a unit cannot be related to itself")
                continue
            support = self._support(child_fact, parent_fact, start_fact, end_fact, classification)
            if not support:
                self.report.file(node.file).skip(node.number, f"{kind.lower()} cites no source")
                continue
            self.data.add_relation(RelationRecord(
                kind=kind, subject=subject, object=obj, subject_kind="unit", period=period,
                confidence=self._confidence(parent_fact) or vocab.DEFAULT_CONFIDENCE, support=support,
                where=parent_fact.where("value"), relation_class=self._text(classification) or None,
            ))  # fmt: skip
            self._use(node)
            self._use_all(app, pk)

    def _open_ended(self, record: FixtureRecord | None) -> vocab.OpenEnded | None:
        """Y/N/E as a bulk export writes it; the membership model stores a boolean instead."""
        if record is None or record.value in (None, ""):
            return None
        if isinstance(record.value, bool):
            return vocab.OpenEnded.ASSUMED_ONGOING if record.value else vocab.OpenEnded.ENDED_UNKNOWN
        try:
            return vocab.open_ended(str(record.value))
        except vocab.UnknownValue as error:
            problem(self.problems, record, "value", str(error))
            return None

    # -- incidents ------------------------------------------------------------------------------

    def _violations(self) -> None:
        for pk, node in self.fixtures.of("violation.violation").items():
            all_facts = [f for model, by_ref in self.fixtures.facts.items() if model.startswith("violation.") for f in by_ref.get(pk, [])]
            one = partial(self._violation_fact, pk)
            many = partial(self._violation_facts, pk)
            try:
                incident_id = str(uuid.UUID(str(node.fields.get("uuid"))))
            except ValueError:
                problem(self.problems, node, "uuid", "missing or not a uuid")
                continue
            start, end = self._date(one("startdate")), self._date(one("enddate"))
            first_published = self._date(one("firstallegation"))
            types = _distinct(self._text(f) for f in many("type"))
            support = self._support(*all_facts)
            place = self._object(one("location"), "location.location")
            if not types:
                problem(self.problems, node, None, "violation has no type (no violation.violationtype record)")
                continue
            if not support:
                self.report.file(node.file).skip(node.number, "violation cites no source")
                continue
            if start is None and end is None:
                self.report.file(node.file).skip(node.number, "no start or end date: ActorGraph records an incident at a date")
                continue
            incident = IncidentRecord(
                uuid=incident_id, row=node.number, start=start or end, end=end, violation_types=types,
                description="\n\n".join(_distinct(self._text(f) for f in many("description"))),
                location=vocab.place_name(str(place.fields.get("name") or "")) if place else "",
                location_description="; ".join(_distinct(self._text(f) for f in many("locationdescription"))),
                perpetrator_units=[], perpetrator_persons=[],
                perpetrator_classifications=_distinct(self._text(f) for f in many("perpetratorclassification")),
                support=support, first_published=first_published,
            )  # fmt: skip
            if start is None:
                incident.notes.append("SFM gives no start date; the end date is used as the date of the incident")
            for fact in many("divisionid"):
                countries: dict[str, Support] = {}
                self._country(fact, countries)
                incident.notes.extend(f"SFM country: {code}" for code in countries)
            self.data.incidents[incident_id] = incident
            self._use(node, place)
            self._use_all("violation", pk)

    def _violation_facts(self, pk: Key, name: str) -> list[FixtureRecord]:
        return self.fixtures.facts_of(f"violation.violation{name}", pk)

    def _violation_fact(self, pk: Key, name: str) -> FixtureRecord | None:
        return self.fixtures.fact(f"violation.violation{name}", pk)

    def _sources(self) -> None:
        """The sources the imported statements cite (graph.ingest.importers.sfm.cms_sources)."""
        self.data.sources.update(cited_sources(self.fixtures, cited_by(self.data), self.report, self.problems))
        self._use(*(self.fixtures.of("source.source")[uuid] for uuid in self.data.sources))
        self._use(*(p for p in self.fixtures.of("source.accesspoint").values() if str(p.fields.get("source", "")).lower() in self.data.sources))

    # -- accounting -----------------------------------------------------------------------------

    def _account(self) -> None:
        """Every record is imported or skipped with a reason."""
        for record in self.fixtures.records:
            file_report = self.report.file(record.file)
            if record.number in file_report.skipped:
                continue
            app = record.model.split(".", 1)[0]
            if (record.model, record.pk) in self.used:
                file_report.imported(record.number)
            elif app in SKIPPED_MODELS:
                file_report.skip(record.number, SKIPPED_MODELS[app])
            elif record.model == "source.source":
                file_report.skip(record.number, UNCITED_REASON)
            else:
                file_report.skip(record.number, UNUSED_REASON)


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))
