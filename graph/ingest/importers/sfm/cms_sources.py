"""The sources of a CMS fixture import: the `source.source` records that imported statements cite,
with what the CMS says of each (title, publication, publication date, the day SFM added it, URL)
and the archived copies its access points (`source.accesspoint`) give."""

from __future__ import annotations

from graph.ingest.importers.sfm.dates import DateError, PartialDate, parse_date
from graph.ingest.importers.sfm.fixtures import FixtureRecord, Fixtures, problem
from graph.ingest.importers.sfm.parse import HTTP_URL
from graph.ingest.importers.sfm.records import SfmData, SourceRecord, Support
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.sfm.rows import Problems, clean

UNKNOWN_PUBLISHER = "unknown publisher (not given in the SFM record)"


def cited_by(data: SfmData) -> Support:
    """Every source id an imported unit, relation or incident cites."""
    cited: Support = set()
    for unit in data.units.values():
        cited |= unit.name_support
        for values in (unit.aliases, unit.classifications, unit.locations, unit.countries):
            for support in values.values():
                cited |= support
    for relation in data.relations.values():
        cited |= relation.support
    for incident in data.incidents.values():
        cited |= incident.support
    return cited


def cited_sources(fixtures: Fixtures, cited: Support, report: ImportReport, problems: Problems) -> dict[str, SourceRecord]:
    """The cited sources by id; a cited id the fixtures do not hold is a broken reference."""
    records = fixtures.of("source.source")
    sources: dict[str, SourceRecord] = {}
    for source_id in sorted(cited):
        record = records.get(source_id)
        if record is None:
            problems.add("source.json", None, None, f"broken reference: no source.source with pk {source_id}, which imported facts cite")
            continue
        sources[source_id] = _source(source_id, record, report, problems)
    for point in fixtures.of("source.accesspoint").values():
        source = sources.get(str(point.fields.get("source", "")).lower())
        archive = clean(str(point.fields.get("archive_url") or ""))
        if source is None or not archive or archive == source.archive_url:
            continue
        if source.archive_url is None:
            source.archive_url = archive
        else:
            source.notes.append(f"also archived at {archive}")
    return sources


def _source(source_id: str, record: FixtureRecord, report: ImportReport, problems: Problems) -> SourceRecord:
    fields = record.fields
    title = clean(str(fields.get("title") or ""))
    if not title:
        problem(problems, record, "title", "missing required value (a title)")
    source = SourceRecord(
        uuid=source_id, row=record.number, title=title, publisher=clean(str(fields.get("publication") or "")),
        issued=_date(record, "published_on", problems), created=_date(record, "date_added", problems),
    )  # fmt: skip
    url = clean(str(fields.get("source_url") or ""))
    if HTTP_URL.match(url):
        source.url = url
    elif url:  # "Accessed via Lexis": kept as said, as the export importer keeps it
        source.notes.append(f"url: {url}")
        report.file(record.file).note(record.number, "source_url is not an http(s) URL: kept as a note")
    if not source.publisher:
        source.publisher = UNKNOWN_PUBLISHER
        report.file(record.file).note(record.number, "no publication: publisher recorded as unknown")
    country = clean(str(fields.get("publication_country") or ""))
    if country:
        source.notes.append(f"publication country: {country}")
    return source


def _date(record: FixtureRecord, name: str, problems: Problems) -> PartialDate | None:
    value = record.fields.get(name)
    if not value:
        return None
    try:
        return parse_date(str(value))
    except DateError as error:
        problem(problems, record, name, str(error))
        return None
