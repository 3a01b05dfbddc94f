"""The Security Force Monitor importer, on SFM's own export format.

The export-format files are read from ../shared/data (never copied here). Tests that need other
rows write small exports into tmp_path: the header line is copied from the shared file, the rows
are fictional and written here.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.index import identifiers
from graph.ingest import registry
from graph.ingest.importers.sfm import importer as sfm
from graph.ingest.importers.sfm import vocab
from graph.ingest.importers.sfm.countries import state_iri
from graph.ingest.importers.sfm.dates import Precision, parse_date
from graph.ingest.importers.sfm.iris import incident_iri, person_iri, source_iri, unit_iri
from graph.ingest.setup import DEMO_DIR
from graph.query.sparql import dataset_for
from graph.store import EmbeddedStore
from ontology.namespaces import AG, DCTERMS, GRAPH, ORG, PROV, RDF, RDFS
from tests.conftest import shared_data
from tests.support.snapshots import snapshot

EXPORT = "sfm/wwic_export_format"
FILES = ("units.csv", "persons.csv", "persons_extra.csv", "incidents.csv", "sources.csv")
TYPE = ox.NamedNode(RDF + "type")
SFM_GRAPH = ox.NamedNode(GRAPH + "sfm")
RESTRICTED_GRAPH = ox.NamedNode(GRAPH + "sfm-restricted")


def ag(local: str) -> ox.NamedNode:
    return ox.NamedNode(AG + local)


# ------------------------------------------------------------------------------------------------
# Helpers: reading the store, writing small fictional exports
# ------------------------------------------------------------------------------------------------




def of_type(store: EmbeddedStore, graph: ox.NamedNode, cls: str) -> set[ox.NamedNode]:
    return {q.subject for q in store.quads(graph) if q.predicate == TYPE and q.object == ag(cls)}


def values(store: EmbeddedStore, subject: ox.NamedNode, predicate: str, graph: ox.NamedNode | None = SFM_GRAPH) -> set[str]:
    return {q.object.value for q in store.quads(graph) if q.subject == subject and q.predicate.value == predicate}


def subjects(store: EmbeddedStore, graph: ox.NamedNode) -> set[ox.NamedNode]:
    return {q.subject for q in store.quads(graph)}


def node_with(store: EmbeddedStore, graph: ox.NamedNode, predicate: str, obj: ox.NamedNode) -> list[ox.NamedNode]:
    return sorted({q.subject for q in store.quads(graph) if q.predicate.value == predicate and q.object == obj}, key=lambda n: n.value)


def header(name: str) -> list[str]:
    """The real header line of one export file."""
    with (shared_data(EXPORT) / name).open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def write_export(folder: Path, rows: dict[str, list[dict[str, str]]]) -> Path:
    """An export folder with the real headers and the given (fictional) rows."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        columns = header(name)
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for row in rows.get(name, []):
                unknown = set(row) - set(columns)
                assert not unknown, f"test row uses columns {unknown} that {name} does not have"
                writer.writerow(row)
    return folder


def uid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


# Fictional ids: sources 1xx, units 2xx, persons 3xx, incidents 4xx.
S_REPORT, S_LEXIS, S_SECRET = uid(101), uid(102), uid(103)
U_DIV, U_BDE, U_POL, U_HIDDEN = uid(201), uid(202), uid(203), uid(204)
P_CMD, P_STAFF = uid(301), uid(302)
I_ONE = uid(401)


def source_row(access_point: str, title: str, **extra: str) -> dict[str, str]:
    return {
        "source:access_point_id:admin": access_point,
        "source:type": "document",
        "source:title": title,
        "source:publication_name": "Gaceta Ficticia",
        "source:publication_country": "Mexico",
        "source:url": "https://example.org/informe-ficticio",
        "source:published_timestamp": "2016-09-00",
        "source:access_point_type": "page",
        "source:access_point_trigger": "12",
        **extra,
    }


def unit_row(unit: str, name: str, **extra: str) -> dict[str, str]:
    return {
        "unit:status:admin": "3",
        "unit:id:admin": unit,
        "unit:name": name,
        "unit:name:source": S_REPORT,
        "unit:name:confidence": "3",
        "unit:country": "ng",
        "unit:country:source": S_REPORT,
        "unit:country:confidence": "2",
        **extra,
    }


def child_of(parent: str, parent_name: str, sources: str, **extra: str) -> dict[str, str]:
    return {
        "unit:relation_type": "child",
        "unit:related_unit_id:admin": parent,
        "unit:related_unit": parent_name,
        "unit:related_unit:source": sources,
        "unit:related_unit:confidence": "2",
        "unit:related_unit_class": "Command",
        **extra,
    }


def fictional_export() -> dict[str, list[dict[str, str]]]:
    """A small export in the style of the real WWIC records: Spanish and French names with
    accents, confidences as 1/2/3, partial dates as SFM's CMS writes them, a URL cell that is not a
    URL, a commander, a restricted source."""
    return {
        "sources.csv": [
            source_row(S_REPORT, "Informe ficticio sobre la División", **{"source:archive_url": "No archive available"}),
            source_row(S_LEXIS, "Nota de prensa ficticia", **{"source:url": "Accessed via Lexis", "source:published_timestamp": "2017",
                                                                "source:created_timestamp": "2018-02-03T10:00:00Z",
                                                                "source:uploaded_timestamp": "2018-02"}),
            source_row(S_SECRET, "Fuente confidencial ficticia", **{"source:restricted:admin": "1"}),
        ],
        "units.csv": [
            unit_row(U_DIV, "División Ficticia de Infantería", **{"unit:classification": "Ejército; Militar", "unit:classification:source": S_REPORT}),
            unit_row(
                U_BDE, "Brigada Ficticia Nº 1 ",
                **{"unit:other_names": "BF1; Primera Brigada Ficticia", "unit:other_names:source": S_LEXIS, "unit:classification": "Ejército"},
                **child_of(U_DIV, "División Ficticia de Infantería", f"{S_REPORT};{S_SECRET}", **{
                    "unit:related_unit_first_cited_date": "2016-09-00",
                    "unit:related_unit_first_cited_date_start": "N",
                    "unit:related_unit_last_cited_date": "2018",
                    "unit:related_unit_open": "N",
                }),
            ),
            unit_row(
                U_POL, "Régiment Fictif de Police", **{"unit:classification": "Policía", "unit:country": "mx"},
                **child_of(U_DIV, "División Ficticia de Infantería", S_SECRET, **{
                    "unit:related_unit_first_cited_date": "2010-05-",
                    "unit:related_unit_open": "Y",
                }),
            ),
            unit_row(
                U_HIDDEN, "Unidad Reservada Ficticia", **{"unit:name:source": S_SECRET},
                **child_of(U_DIV, "División Ficticia de Infantería", S_REPORT),
            ),
        ],
        "persons.csv": [
            {
                "person:status:admin": "3", "person:id:admin": P_CMD, "person:name": "Aurelio Ficticio Peña",
                "person:name:source": S_REPORT, "person:name:confidence": "2", "person:country": "ng",
                "person:posting_unit_id:admin": U_BDE, "person:posting_unit_name": "Brigada Ficticia Nº 1",
                "person:posting_unit:source": S_REPORT, "person:posting_unit:confidence": "3",
                "person:posting_role": "Comandante", "person:posting_rank": "General de Brigada",
                "person:posting_first_cited_date": "2017-02-00", "person:posting_first_cited_date_start": "Y",
                "person:posting_last_cited_date": "2018-06", "person:posting_last_cited_date_end": "N",
            },
            {
                "person:status:admin": "3", "person:id:admin": P_STAFF, "person:name": "Inés Ficticia Núñez",
                "person:name:source": S_LEXIS, "person:name:confidence": "1",
                "person:posting_unit_id:admin": U_POL, "person:posting_unit_name": "Régiment Fictif de Police",
                "person:posting_unit:source": S_LEXIS, "person:posting_unit:confidence": "1",
                "person:posting_role": "Segundo Comandante", "person:posting_title": "Jefa adjunta ficticia",
                "person:posting_rank": "Capitán",
                "person:posting_first_cited_date": "2015-03-01", "person:posting_first_cited_date_year": "2015",
                "person:posting_first_cited_date_month": "3", "person:posting_first_cited_date_day": "1",
                "person:posting_last_cited_date": "2015-04-30", "person:posting_last_cited_date_end": "Y",
            },
        ],
        "incidents.csv": [
            {
                "incident:status:admin": "3", "incident:id:admin": I_ONE,
                "incident:start_date": "10/21/2016", "incident:end_date": "10/22/2016",
                "incident:location": f"Ciudad Ficticia (osm, point) {uid(999)}",
                "incident:location_description": "Cerca del puente; junto al mercado",
                "incident:violation_type": "Extrajudicial Execution; Violations against personal integrity; Hostigamiento",
                "incident:violation_description": "Según la fuente ficticia; hubo disparos",
                "incident:perpetrator_unit_id:admin": U_BDE, "incident:perpetrator_unit_name": "Brigada Ficticia Nº 1",
                "incident:perpetrator_person_id:admin": P_CMD, "incident:perpetrator_person_name": "Aurelio Ficticio Peña",
                "incident:perpetrator_classification": "Ejército",
                "incident:all:source": S_REPORT,
            },
        ],
    }


@pytest.fixture
def fixture_store(ontology_store: EmbeddedStore) -> Iterator[tuple[EmbeddedStore, sfm.ImportReport]]:
    """The shared export-format files imported into a fresh store."""
    report = sfm.import_export(ontology_store, shared_data(EXPORT))
    yield ontology_store, report


@pytest.fixture
def fictional_store(ontology_store: EmbeddedStore, tmp_path: Path) -> EmbeddedStore:
    folder = write_export(tmp_path / "export", fictional_export())
    sfm.import_export(ontology_store, folder, date_of_export=date(2021, 6, 25))
    return ontology_store


# ------------------------------------------------------------------------------------------------
# The export-format fixtures
# ------------------------------------------------------------------------------------------------


def test_counts_per_class(fixture_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, report = fixture_store
    organizations = {n for n in subjects(store, SFM_GRAPH) if n.value.startswith("https://w3id.org/actorgraph/id/unit/sfm-")}
    # Ten published units: Alpha (five rows), Beta, Gamma, Delta, the member pair, the incident's
    # perpetrator unit, two units sharing a name, and one unit whose name differs only by a space.
    assert len(organizations) == 10
    assert len(of_type(store, SFM_GRAPH, "Person")) == 8
    assert len(of_type(store, SFM_GRAPH, "Posting")) == 8
    assert len(of_type(store, SFM_GRAPH, "Command")) == 0  # every fixture role is a "Test Role"
    assert len(of_type(store, SFM_GRAPH, "Subordination")) == 4
    assert len(of_type(store, SFM_GRAPH, "Membership")) == 1
    assert len(of_type(store, SFM_GRAPH, "Incident")) == 1
    assert len(of_type(store, SFM_GRAPH, "Perpetration")) == 2
    assert len(of_type(store, SFM_GRAPH, "Source")) == 116
    assert len(of_type(store, RESTRICTED_GRAPH, "Source")) == 1
    assert report.counts["units"] == 10 and report.counts["sources"] == 117 and report.counts["postings"] == 8
    assert report.restricted_counts["sources"] == 1


def test_identifiers_are_sfm_uuids_and_resolve(fixture_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, _ = fixture_store
    dataset = dataset_for(store)
    for iri, uuid in (
        (unit_iri("494a58d2-93e5-4454-9c08-74ac97c184da"), "494a58d2-93e5-4454-9c08-74ac97c184da"),
        (person_iri("3d55875b-a7db-46e3-83ad-f4feea4c74cc"), "3d55875b-a7db-46e3-83ad-f4feea4c74cc"),
        (incident_iri("5c07424e-5d33-4140-9a0a-e6d8050dcbe7"), "5c07424e-5d33-4140-9a0a-e6d8050dcbe7"),
        (source_iri("67a6807e-7088-406d-bc5c-98ea593fa85d"), "67a6807e-7088-406d-bc5c-98ea593fa85d"),
    ):
        assert iri.value.endswith(f"/sfm-{uuid}")
        assert values(store, iri, DCTERMS + "identifier") == {uuid}
        assert identifiers.resolve(store, dataset, uuid) == iri
    # The name is trimmed: SFM's cells end in a space.
    alpha = unit_iri("494a58d2-93e5-4454-9c08-74ac97c184da")
    assert values(store, alpha, RDFS + "label") == {"Importer Test Organization Alpha Name"}


def test_posting_dates_precision_and_flags(fixture_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, _ = fixture_store
    person = person_iri("3d55875b-a7db-46e3-83ad-f4feea4c74cc")
    [posting] = node_with(store, SFM_GRAPH, ORG + "member", person)
    assert values(store, posting, RDF + "type") == {AG + "Posting"}
    assert values(store, posting, ORG + "organization") == {unit_iri("494a58d2-93e5-4454-9c08-74ac97c184da").value}
    assert values(store, posting, AG + "startDate") == {"2018-02-01"}
    assert values(store, posting, AG + "startPrecision") == {AG + "DayPrecision"}
    assert values(store, posting, AG + "endDate") == {"2019-05-01"}
    assert values(store, posting, AG + "endPrecision") == {AG + "DayPrecision"}
    assert values(store, posting, AG + "confidence") == {AG + "LowConfidence"}
    # The start flag is Y (the actual start); the end flag N: the last cited date, not the end.
    notes = values(store, posting, AG + "note")
    assert not any("first cited date" in note for note in notes)
    assert "SFM: 2019-05-01 is the last cited date; the actual end is not known and may be later" in notes
    # The relation's sources are the union of its fields' sources.
    assert source_iri("a4a80e20-647f-4d39-9bf3-b5ae359afb20").value in values(store, posting, PROV + "wasDerivedFrom")


def test_open_ended_subordination_is_ongoing(fixture_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, _ = fixture_store
    gamma = unit_iri("60da42d0-8111-4518-80df-3fedec91cd90")
    [link] = node_with(store, SFM_GRAPH, AG + "childUnit", gamma)
    assert values(store, link, AG + "parentUnit") == {unit_iri("217f93b8-bf71-4c97-a1a5-d5b3aa6c4896").value}
    assert values(store, link, AG + "ongoing") == {"true"}
    assert values(store, link, AG + "endDate") == set()
    assert values(store, link, AG + "startDate") == {"2018-01-03"}
    assert values(store, link, AG + "confidence") == {AG + "HighConfidence"}
    # Delta's link ends exactly on its last cited date (flag E).
    delta = unit_iri("acb6ea98-97b3-41e1-8df2-903be407e907")
    [ended] = node_with(store, SFM_GRAPH, AG + "childUnit", delta)
    assert values(store, ended, AG + "endDate") == {"2019-06-27"}
    assert values(store, ended, AG + "ongoing") == set()


def test_multi_valued_fields_are_split(fixture_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, _ = fixture_store
    alpha = unit_iri("494a58d2-93e5-4454-9c08-74ac97c184da")
    assert values(store, alpha, AG + "alias") == {f"Importer Test Organization Alpha Other Name {n}" for n in (1, 2, 3)}
    classifications = values(store, alpha, AG + "actorType")
    assert len(classifications) == 4
    labels = set().union(*(values(store, ox.NamedNode(c), RDFS + "label") for c in classifications))
    assert "Importer test suite" in labels
    assert values(store, alpha, AG + "location") == {"Ciudad Juárez", "Municipio de Juárez", "Base for Importer Test Organization Alpha Name"}
    incident = incident_iri("5c07424e-5d33-4140-9a0a-e6d8050dcbe7")
    assert values(store, incident, AG + "violationType") == {AG + "Torture", AG + "ArbitraryDetention"}
    # Free text is never split, even when it holds semicolons.
    assert values(store, incident, DCTERMS + "description") == {
        "Importer Test description (Importer Test Incident Alpha) ; descriptions should allow semicolons"
    }
    perpetrators = {values(store, p, AG + "perpetrator").pop() for p in node_with(store, SFM_GRAPH, AG + "incident", incident)}
    assert perpetrators == {unit_iri("5cdf5379-bbf6-4f31-961b-a82eddfccaf4").value, person_iri("83d1e012-8770-4885-a18e-1d78ecde6a51").value}


def test_restricted_source_lands_in_the_restricted_graph_only(fixture_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, _ = fixture_store
    restricted = source_iri("3b92ea4d-9682-4199-8fa1-851e9174d357")
    assert restricted in subjects(store, RESTRICTED_GRAPH)
    assert values(store, restricted, AG + "restricted", RESTRICTED_GRAPH) == {"true"}
    assert restricted not in subjects(store, SFM_GRAPH)
    assert all(q.object != restricted for q in store.quads(SFM_GRAPH))
    infos = {info.name: info for info in registry.registered_graphs(store)}
    assert infos["sfm-restricted"].restricted is True
    assert infos["sfm"].restricted is False
    assert infos["sfm"].importer == "sfm"
    # A reader without access to restricted graphs does not find it by its id.
    with pytest.raises(identifiers.UnknownSubject):
        identifiers.resolve(store, dataset_for(store, include_restricted=False), "3b92ea4d-9682-4199-8fa1-851e9174d357")


def test_per_file_report(fixture_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    _, report = fixture_store
    units = report.files["units.csv"]
    assert (units.rows_read, units.rows_imported, units.rows_skipped) == (17, 12, 5)
    assert units.skipped[10] == "not published: unit:status:admin is 1, not 3"
    assert units.skipped[12] == "not published: unit:status:admin is 2, not 3"
    assert units.skipped[17] == "identical to row 3"
    persons = report.files["persons.csv"]
    assert (persons.rows_read, persons.rows_imported, persons.rows_skipped) == (11, 9, 2)
    assert any("merged" in note for note in persons.notes)
    extra = report.files["persons_extra.csv"]
    assert (extra.rows_read, extra.rows_imported, extra.rows_skipped) == (2, 0, 2)
    assert "not part of the ActorGraph model" in extra.skipped[2]
    incidents = report.files["incidents.csv"]
    assert (incidents.rows_read, incidents.rows_imported, incidents.rows_skipped) == (3, 1, 2)
    sources = report.files["sources.csv"]
    assert (sources.rows_read, sources.rows_imported, sources.rows_skipped) == (117, 117, 0)
    assert sources.notes["no source:publication_name or source:author: publisher recorded as unknown"] == 6
    # Gamma's first cited date says 2019 but its year part 2018: the parts win, and it is said.
    assert any(note.startswith("unit:first_cited_date: the value '2019-01-01' disagrees") for note in units.notes)
    text = "\n".join(report.lines())
    assert "units.csv: 17 rows read, 12 imported, 5 skipped" in text
    assert "graph sfm: created" in text and "graph sfm-restricted (restricted): created" in text
    assert json.loads(json.dumps(report.as_dict()))["files"][1]["rows_skipped"] == 5


def test_importing_twice_changes_nothing(fixture_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, _ = fixture_store
    before = snapshot(store)
    again = sfm.import_export(store, shared_data(EXPORT))
    assert snapshot(store) == before
    assert [(g.name, g.action) for g in again.graphs] == [("sfm", "unchanged"), ("sfm-restricted", "unchanged")]
    assert not again.changed


# ------------------------------------------------------------------------------------------------
# Fictional exports: real-style values, restricted support, replacement
# ------------------------------------------------------------------------------------------------


def test_partial_dates_are_normalized_with_their_precision(fictional_store: EmbeddedStore) -> None:
    store = fictional_store
    [link] = node_with(store, SFM_GRAPH, AG + "childUnit", unit_iri(U_BDE))
    # "2016-09-00" (the CMS's approximate date) opens the period on the first of the month;
    # "2018" closes it on the last day of the year.
    assert values(store, link, AG + "startDate") == {"2016-09-01"}
    assert values(store, link, AG + "startPrecision") == {AG + "MonthPrecision"}
    assert values(store, link, AG + "endDate") == {"2018-12-31"}
    assert values(store, link, AG + "endPrecision") == {AG + "YearPrecision"}
    notes = values(store, link, AG + "note")
    assert "SFM: 2016-09 is the first cited date; the actual start is not known and may be earlier" in notes
    assert "SFM: 2018 is the last cited date; the actual end is not known and may be later" in notes
    # "2010-05-" (the Mali extract's spelling) is a month too; open-ended Y means ongoing.
    [police] = node_with(store, RESTRICTED_GRAPH, AG + "childUnit", unit_iri(U_POL))
    assert values(store, police, AG + "startDate", RESTRICTED_GRAPH) == {"2010-05-01"}
    assert values(store, police, AG + "ongoing", RESTRICTED_GRAPH) == {"true"}


def test_commander_roles_make_commands(fictional_store: EmbeddedStore) -> None:
    store = fictional_store
    [command] = node_with(store, SFM_GRAPH, AG + "commander", person_iri(P_CMD))
    assert values(store, command, RDF + "type") == {AG + "Command"}
    assert values(store, command, AG + "commandedUnit") == {unit_iri(U_BDE).value}
    assert values(store, command, AG + "rank") == {"General de Brigada"}
    assert values(store, command, AG + "title") == {"Comandante"}
    assert values(store, command, AG + "confidence") == {AG + "HighConfidence"}  # "3"
    assert values(store, command, AG + "startDate") == {"2017-02-01"}
    assert values(store, command, AG + "endDate") == {"2018-06-30"}
    # A deputy ("Segundo Comandante") holds a posting, not the command.
    [posting] = node_with(store, SFM_GRAPH, ORG + "member", person_iri(P_STAFF))
    assert values(store, posting, RDF + "type") == {AG + "Posting"}
    assert values(store, posting, AG + "title") == {"Jefa adjunta ficticia"}
    assert "SFM posting role: Segundo Comandante" in values(store, posting, AG + "note")
    assert values(store, posting, AG + "endDate") == {"2015-04-30"}  # end flag Y: the actual end
    assert not any("last cited" in note for note in values(store, posting, AG + "note"))


def test_real_style_values_are_kept(fictional_store: EmbeddedStore) -> None:
    store = fictional_store
    brigade, division, police = unit_iri(U_BDE), unit_iri(U_DIV), unit_iri(U_POL)
    assert values(store, brigade, RDFS + "label") == {"Brigada Ficticia Nº 1"}
    assert values(store, brigade, AG + "alias") == {"BF1", "Primera Brigada Ficticia"}
    assert values(store, division, RDF + "type") == {AG + "MilitaryUnit"}  # Ejército; Militar
    assert values(store, police, RDF + "type") == {AG + "PoliceUnit"}  # Policía
    assert values(store, division, AG + "country") == {state_iri("NG")}
    assert values(store, police, AG + "country") == {state_iri("MX")}
    assert values(store, ox.NamedNode(state_iri("MX")), AG + "countryCode") == {"MX"}
    lexis = source_iri(S_LEXIS)
    assert values(store, lexis, "https://schema.org/url") == set()
    assert "url: Accessed via Lexis" in values(store, lexis, AG + "note")
    assert values(store, lexis, DCTERMS + "issued") == {"2017"}
    # created and uploaded dates are kept: they say when a statement became knowable (as_known_on)
    assert values(store, lexis, DCTERMS + "created") == {"2018-02-03"} and values(store, lexis, DCTERMS + "available") == {"2018-02"}
    assert values(store, source_iri(S_REPORT), DCTERMS + "created") == set()  # none given, none invented
    report = source_iri(S_REPORT)
    assert values(store, report, AG + "archiveUrl") == set()
    assert "archive_url: No archive available" in values(store, report, AG + "note")
    incident = incident_iri(I_ONE)
    assert values(store, incident, AG + "violationType") == {AG + "UnlawfulKilling", AG + "Torture", AG + "AttackOnCivilians"}
    notes = values(store, incident, AG + "note")
    assert "SFM violation type: Hostigamiento (no matching ActorGraph concept; recorded as ag:AttackOnCivilians)" in notes
    assert "location: Cerca del puente; junto al mercado" in notes
    assert values(store, incident, AG + "location") == {"Ciudad Ficticia"}
    assert values(store, incident, AG + "startDate") == {"2016-10-21"}
    assert values(store, incident, RDFS + "label") == {
        "Extrajudicial Execution; Violations against personal integrity; Hostigamiento (Ciudad Ficticia, 2016-10-21)"
    }
    perpetrations = node_with(store, SFM_GRAPH, AG + "incident", incident)
    assert len(perpetrations) == 2
    assert all(values(store, p, AG + "status") == {AG + "Alleged"} for p in perpetrations)


def test_restricted_support_is_kept_apart(fictional_store: EmbeddedStore) -> None:
    store = fictional_store
    secret = source_iri(S_SECRET)
    # A unit whose name only a restricted source gives is restricted whole, with its relations.
    hidden = unit_iri(U_HIDDEN)
    assert hidden not in subjects(store, SFM_GRAPH) and hidden in subjects(store, RESTRICTED_GRAPH)
    assert node_with(store, SFM_GRAPH, AG + "childUnit", hidden) == []
    assert len(node_with(store, RESTRICTED_GRAPH, AG + "childUnit", hidden)) == 1
    # A relation only a restricted source supports is restricted; its units stay public.
    police = unit_iri(U_POL)
    assert police in subjects(store, SFM_GRAPH)
    assert node_with(store, SFM_GRAPH, AG + "childUnit", police) == []
    # A relation with public and restricted sources stays public; the restricted link does not.
    [mixed] = node_with(store, SFM_GRAPH, AG + "childUnit", unit_iri(U_BDE))
    assert values(store, mixed, PROV + "wasDerivedFrom") == {source_iri(S_REPORT).value}
    assert values(store, mixed, PROV + "wasDerivedFrom", RESTRICTED_GRAPH) == {secret.value}
    assert not any(q.object == secret or q.subject == secret for q in store.quads(SFM_GRAPH))
    public = dataset_for(store, include_restricted=False)
    with pytest.raises(identifiers.UnknownSubject):
        identifiers.resolve(store, public, U_HIDDEN)
    assert identifiers.resolve(store, dataset_for(store), U_HIDDEN) == hidden


def test_a_new_export_replaces_the_old_one(fictional_store: EmbeddedStore, tmp_path: Path) -> None:
    store = fictional_store
    rows = fictional_export()
    rows["units.csv"] = [row for row in rows["units.csv"] if row["unit:id:admin"] not in {U_HIDDEN, U_POL}]
    rows["persons.csv"] = rows["persons.csv"][:1]
    rows["units.csv"][1] = {**rows["units.csv"][1], "unit:related_unit:source": S_REPORT}
    rows["sources.csv"] = rows["sources.csv"][:2]
    report = sfm.import_export(store, write_export(tmp_path / "second", rows), date_of_export=date(2021, 6, 25))
    assert [(g.name, g.action) for g in report.graphs] == [("sfm", "replaced"), ("sfm-restricted", "removed")]
    assert unit_iri(U_POL) not in subjects(store, SFM_GRAPH)
    assert not store.has_graph(RESTRICTED_GRAPH) or store.graph_size(RESTRICTED_GRAPH) == 0
    assert "sfm-restricted" not in {info.name for info in registry.registered_graphs(store)}


# ------------------------------------------------------------------------------------------------
# Malformed exports: every problem named, nothing written
# ------------------------------------------------------------------------------------------------

MALFORMED = [
    # (file, index of the data row, column, bad value, what the message says)
    ("units.csv", 1, "unit:related_unit_first_cited_date", "2016-13-01", "there is no month 13"),
    ("units.csv", 1, "unit:related_unit:confidence", "Very high", "is not a confidence"),
    ("units.csv", 2, "unit:related_unit_open", "maybe", "is not Y, N or E"),
    ("units.csv", 0, "unit:country", "Narnia", "is not an ISO 3166-1 alpha-2 country code"),
    ("persons.csv", 0, "person:id:admin", "", "missing required id"),
    ("persons.csv", 1, "person:posting_unit_id:admin", uid(299), f"broken reference: no unit with id {uid(299)}"),
    ("units.csv", 0, "unit:name:source", uid(199), f"broken reference: no source with id {uid(199)}"),
    ("incidents.csv", 0, "incident:start_date", "31/12/2016", "there is no month 31"),
    ("incidents.csv", 0, "incident:end_date", "late 2016", "is not a date"),
    ("incidents.csv", 0, "incident:perpetrator_person_id:admin", "not-a-uuid", "is not an SFM id"),
    ("sources.csv", 2, "source:restricted:admin", "secret", "is not Y or N"),
    ("units.csv", 1, "unit:related_unit_last_cited_date", "2015", "is before the first cited date"),
    ("persons.csv", 0, "person:posting_last_cited_date", "2030-01-01", "is after 2021-06-25, the date of the export"),
]


@pytest.mark.parametrize(("file", "index", "column", "value", "message"), MALFORMED, ids=[f"{m[0]}:{m[2]}" for m in MALFORMED])
def test_malformed_rows_name_file_row_column_and_write_nothing(
    fictional_store: EmbeddedStore, tmp_path: Path, file: str, index: int, column: str, value: str, message: str
) -> None:
    store = fictional_store
    before = snapshot(store)
    rows = fictional_export()
    rows[file][index] = {**rows[file][index], column: value}
    with pytest.raises(sfm.SfmImportError) as raised:
        sfm.import_export(store, write_export(tmp_path / "bad", rows), date_of_export=date(2021, 6, 25))
    where = f"{file}, row {index + 2}, column {column}: "
    assert any(str(p).startswith(where) and message in str(p) for p in raised.value.problems), str(raised.value)
    assert "nothing was imported" in str(raised.value)
    assert snapshot(store) == before


def test_every_problem_is_reported_at_once(ontology_store: EmbeddedStore, tmp_path: Path) -> None:
    rows = fictional_export()
    rows["units.csv"][0] = {**rows["units.csv"][0], "unit:name:confidence": "sure"}
    rows["persons.csv"][1] = {**rows["persons.csv"][1], "person:posting_first_cited_date": "2015-02-30"}
    rows["sources.csv"][0] = {**rows["sources.csv"][0], "source:title": ""}
    before = snapshot(ontology_store)
    with pytest.raises(sfm.SfmImportError) as raised:
        sfm.import_export(ontology_store, write_export(tmp_path / "bad", rows))
    found = {(p.file, p.row, p.column) for p in raised.value.problems}
    assert {
        ("units.csv", 2, "unit:name:confidence"),
        ("persons.csv", 3, "person:posting_first_cited_date"),
        ("sources.csv", 2, "source:title"),
    } <= found
    assert snapshot(ontology_store) == before


def test_missing_file_and_column_are_problems(ontology_store: EmbeddedStore, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export", fictional_export())
    (folder / "incidents.csv").unlink()
    units = (folder / "units.csv").read_text(encoding="utf-8").replace("unit:name,", "unit:title,", 1)
    (folder / "units.csv").write_text(units, encoding="utf-8")
    with pytest.raises(sfm.SfmImportError) as raised:
        sfm.import_export(ontology_store, folder)
    messages = [str(p) for p in raised.value.problems]
    assert any(m.startswith("incidents.csv: file not found") for m in messages)
    assert "units.csv, row 1, column unit:name: required column is missing from the header" in messages


# ------------------------------------------------------------------------------------------------
# Values as the real WWIC records have them (read from the CMS fixtures at test time)
# ------------------------------------------------------------------------------------------------


def cms_records(name: str) -> list[dict]:
    return json.loads((shared_data("sfm/wwic_cms_fixtures") / name).read_text(encoding="utf-8"))


def test_every_real_date_value_parses_with_its_precision() -> None:
    dated = ("firstciteddate", "lastciteddate", "startdate", "enddate", "firstallegation")
    checked = 0
    for name in ("organization.json", "composition.json", "membershipperson.json", "person.json", "violation.json"):
        for record in cms_records(name):
            value = record["fields"].get("value")
            if not record["model"].endswith(dated) or not isinstance(value, str) or not value:
                continue
            parsed = parse_date(value)
            expected = Precision.YEAR if value.endswith("-00-00") else Precision.MONTH if value.endswith("-00") else Precision.DAY
            assert parsed is not None and parsed.precision is expected, value
            assert str(parsed.year) == value[:4]
            checked += 1
    assert checked > 400


def test_real_classifications_roles_and_violation_types_map() -> None:
    classifications = {r["fields"]["value"] for r in cms_records("organization.json") if r["model"] == "organization.organizationclassification"}
    expected = {"Ejército": "MilitaryUnit", "Militar": "MilitaryUnit", "Armada": "MilitaryUnit", "Fuerza Aérea": "MilitaryUnit",
                "Police": "PoliceUnit", "Policía": "PoliceUnit", "State Security Service (Internal Security)": "IntelligenceService"}
    for value, cls in expected.items():
        assert value in classifications and vocab.unit_class([value]) == cls
    roles = {r["fields"]["value"] for r in cms_records("membershipperson.json") + cms_records("person.json") if r["model"] == "membershipperson.role"}
    commanders = {role for role in roles if vocab.is_commander_role(role)}
    assert "Commander" in commanders and "Segundo Comandante" in roles and "Segundo Comandante" not in commanders
    types = {r["fields"]["value"] for r in cms_records("violation.json") if r["model"] == "violation.violationtype"}
    assert len(types) > 10
    for value in types:
        _concepts, matched = vocab.violation_concepts(value)
        assert matched, f"SFM violation type {value!r} has no ActorGraph concept"


def test_state_iris_match_the_demo_data() -> None:
    states = {}
    for path in sorted(DEMO_DIR.glob("*.ttl")):
        for quad in ox.parse(path=str(path)):
            if quad.predicate == ag("countryCode"):
                states[quad.object.value] = quad.subject.value
    assert len(states) >= 5
    for code, iri in states.items():
        assert state_iri(code) == iri


# ------------------------------------------------------------------------------------------------
# Whole-stack checks: HermiT, and the command line
# ------------------------------------------------------------------------------------------------


def test_imported_data_is_consistent_for_hermit(fixture_store: tuple[EmbeddedStore, sfm.ImportReport], tmp_path: Path) -> None:
    from ontology import reasoner

    store, _ = fixture_store
    path = tmp_path / "sfm.nt"
    ox.serialize([q.triple for g in (SFM_GRAPH, RESTRICTED_GRAPH) for q in store.quads(g)], str(path), ox.RdfFormat.N_TRIPLES)
    try:
        report = reasoner.check_consistency([path])
    except reasoner.ReasonerUnavailable as error:
        pytest.skip(str(error))
    assert report.ok, report.explanation


def test_command_line_import(tmp_path: Path) -> None:
    actorgraph = Path(sys.executable).with_name("actorgraph")
    env = {**os.environ, "ACTORGRAPH_STORE": ""}
    store = tmp_path / "store"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(actorgraph), *args, "--store", str(store)], capture_output=True, text=True, env=env, timeout=300, check=False)

    assert run("init").returncode == 0
    first = run("import", "sfm", str(shared_data(EXPORT)))
    assert first.returncode == 0, first.stderr
    assert "units.csv: 17 rows read, 12 imported, 5 skipped" in first.stdout
    assert "graph sfm-restricted (restricted): created" in first.stdout
    again = run("import", "sfm", str(shared_data(EXPORT)), "--json")
    assert [g["action"] for g in json.loads(again.stdout)["graphs"]] == ["unchanged", "unchanged"]
    rows = fictional_export()
    rows["units.csv"][1] = {**rows["units.csv"][1], "unit:related_unit_first_cited_date": "2016-13-01"}
    bad = run("import", "sfm", str(write_export(tmp_path / "bad", rows)), "--graph", "other")
    assert bad.returncode == 1
    assert "error: 1 problem(s)" in bad.stderr
    assert "units.csv, row 3, column unit:related_unit_first_cited_date: '2016-13-01': there is no month 13" in bad.stderr


def test_an_export_without_persons_extra_imports(tmp_path: Path) -> None:
    """WhoWasInCommand's own exports often leave out persons_extra.csv: the rest imports, and the
    report says the file is absent."""
    export = tmp_path / "export"
    export.mkdir()
    for name in FILES:
        if name != "persons_extra.csv":
            (export / name).write_bytes((shared_data(EXPORT) / name).read_bytes())
    converted = sfm.read_export(export)
    assert converted.report.files["persons_extra.csv"].rows_read == 0
    assert "note: the export has no such file: nothing of it is imported" in converted.report.lines()[0:2][1]
    with_extra = sfm.read_export(shared_data(EXPORT))
    assert converted.report.counts["persons"] == with_extra.report.counts["persons"]


def test_country_codes_come_from_pycountry_with_the_user_assigned_ones() -> None:
    import pycountry

    from graph.ingest.importers.sfm.countries import COUNTRY_NAMES, UnknownCountry, country_code

    assert {c.alpha_2 for c in pycountry.countries} <= set(COUNTRY_NAMES)
    # ISO leaves AA, QM-QZ, XA-XZ and ZZ to users; SFM uses them, and each is a state named by its code.
    for cell, code in (("aa", "AA"), ("qm", "QM"), ("QZ", "QZ"), ("xa", "XA"), ("ocd-division/country:zz", "ZZ")):
        assert country_code(cell) == code and COUNTRY_NAMES[code] == code
        assert state_iri(code).endswith(f"/state/{code.lower()}")
    assert country_code("xk") == "XK" and COUNTRY_NAMES["XK"] == "Kosovo"
    for cell in ("ab", "ql", "qb", "zy", "x"):  # QA is Qatar; QB to QL are reserved, not user-assigned
        with pytest.raises(UnknownCountry):
            country_code(cell)
