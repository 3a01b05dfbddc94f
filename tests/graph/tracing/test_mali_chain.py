"""The chain of command above a Mali unit, against SFM's expected answer.

SFM's developer challenge ships the real hierarchy of Mali's security forces (a slim TSV with WWIC
column names and dated parent relations) and, as GraphML, the command chain above one unit: nodes
are SFM unit ids with the unit names, edges run parent -> child and carry the relation's first
cited date and start flag, and its last cited date and open-ended flag, as
"2010-05- (N) to 2020-08-18 (E)". The GraphML names no date: it is every parent the unit and its
ancestors ever had (the Ministry of Defence is under the President until 2020-08-18 and under the
CNSP from that day). So:

- over all time, the chain computed from the imported ag:Subordination nodes must equal the GraphML;
- at a date, it must equal the GraphML edges valid that day, read from their labels with the rule
  the importer documents: an edge holds from its first cited date; it ends on its last cited date
  unless it is open-ended (Y), and with no last cited date it has no end.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from graph.index import identifiers
from graph.ingest import setup
from graph.ingest.importers.sfm import importer as sfm
from graph.query.sparql import dataset_for
from graph.store import EmbeddedStore, open_store
from graph.tracing import chain
from tests.conftest import shared_data

GRAPHML_NS = {"g": "http://graphml.graphdrawing.org/xmlns"}
LABEL = re.compile(r"^(?P<first>\S+) \((?P<start>[YN]?)\) to (?P<last>\S+) \((?P<open>[YNE]?)\)$")
EXPORT_DAY = date(2021, 6, 25)  # the date in the TSV's file name


@dataclass(frozen=True)
class Edge:
    parent: str
    child: str
    start: date | None
    end: date | None  # None: no end (open-ended, or never cited as ending)

    def valid(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)


def _day(text: str, *, last: bool) -> date | None:
    """'2010-05-', '2017-', '2020-08-18' or 'None': the first or last day of what it gives."""
    if text == "None":
        return None
    parts = [int(part) for part in text.split("-") if part]
    year, month, day = (parts + [0, 0])[:3]
    if last:
        month = month or 12
        return date(year, month, day or monthrange(year, month)[1])
    return date(year, month or 1, day or 1)


@dataclass(frozen=True)
class Expected:
    names: dict[str, str]
    edges: list[Edge]

    @property
    def unit(self) -> str:
        """The unit the chain is about: the only node that is no one's parent."""
        children_only = set(self.names) - {edge.parent for edge in self.edges}
        assert len(children_only) == 1, children_only
        return children_only.pop()

    def above(self, unit: str, day: date | None) -> set[tuple[str, str]]:
        """(parent, child) edges reachable upwards from `unit`, valid on `day` (or ever)."""
        found: set[tuple[str, str]] = set()
        frontier = [unit]
        while frontier:
            child = frontier.pop()
            for edge in self.edges:
                if edge.child == child and (day is None or edge.valid(day)) and (edge.parent, child) not in found:
                    found.add((edge.parent, child))
                    frontier.append(edge.parent)
        return found


def read_graphml(path: Path) -> Expected:
    root = ET.parse(path).getroot()
    keys = {key.get("attr.name"): key.get("id") for key in root.findall("g:key", GRAPHML_NS)}
    graph = root.find("g:graph", GRAPHML_NS)
    assert graph is not None and graph.get("edgedefault") == "directed"
    names = {
        node.get("id"): node.find(f"g:data[@key='{keys['node_label']}']", GRAPHML_NS).text  # type: ignore[union-attr]
        for node in graph.findall("g:node", GRAPHML_NS)
    }
    edges = []
    for element in graph.findall("g:edge", GRAPHML_NS):
        label = element.find(f"g:data[@key='{keys['edge_label']}']", GRAPHML_NS).text  # type: ignore[union-attr]
        match = LABEL.match(label or "")
        assert match, label
        end = None if match["open"] == "Y" else _day(match["last"], last=True)
        edges.append(Edge(element.get("source"), element.get("target"), _day(match["first"], last=False), end))  # type: ignore[arg-type]
    return Expected(names, edges)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def expected() -> Expected:
    return read_graphml(shared_data("sfm/mali_expected_command_chain_raw.graphml"))


@pytest.fixture(scope="module")
def mali_store() -> EmbeddedStore:
    tsv = shared_data("sfm/mali_units_relations_slim_20210625.tsv")
    store = open_store(None)
    setup.load_ontology(store)
    report = sfm.import_units_file(store, tsv, graph="sfm-mali")
    assert report.files[tsv.name].rows_read == 400
    return store


def uuid_edges(result: chain.ChainOfCommand) -> set[tuple[str, str]]:
    """The chain's (parent, child) edges, named by SFM uuid as the GraphML names them."""
    ids = {iri: unit.identifiers[0] for iri, unit in result.units.items()}
    ids[result.unit.iri] = result.unit.identifiers[0]
    return {(ids[parent], ids[child]) for parent, child in result.edges()}


def test_the_chain_over_all_time_is_the_expected_graph(mali_store: EmbeddedStore, expected: Expected) -> None:
    unit = identifiers.resolve(mali_store, dataset_for(mali_store), expected.unit)
    result = chain.chain_above(mali_store, unit)

    assert result.unit.identifiers == (expected.unit,)
    assert result.unit.label == expected.names[expected.unit]
    names = {u.identifiers[0]: u.label for u in result.units.values()} | {expected.unit: result.unit.label}
    assert names == expected.names
    assert uuid_edges(result) == {(edge.parent, edge.child) for edge in expected.edges}
    # Two parents of the Ministry of Defence over time: the chain branches.
    ministry = next(u for u, name in expected.names.items() if name.startswith("Ministère de la Défense"))
    assert len([e for e in expected.edges if e.child == ministry]) == 2


@pytest.mark.parametrize(
    "day",
    [
        EXPORT_DAY,
        date(2020, 12, 19),  # the company is first cited under its regiment this day
        date(2020, 12, 18),  # ... and not before: no chain
        date(2020, 8, 18),
        date(2016, 1, 1),
    ],
)
def test_the_chain_at_a_date_keeps_the_links_valid_that_day(mali_store: EmbeddedStore, expected: Expected, day: date) -> None:
    unit = identifiers.resolve(mali_store, dataset_for(mali_store), expected.unit)
    result = chain.chain_above(mali_store, unit, day)
    assert uuid_edges(result) == expected.above(expected.unit, day)


@pytest.mark.parametrize("day", [date(2020, 8, 17), date(2020, 8, 18), date(2020, 8, 19), date(2010, 4, 30), date(2010, 5, 1)])
def test_the_ministry_changes_hands_on_the_day_the_graphml_says(mali_store: EmbeddedStore, expected: Expected, day: date) -> None:
    """Above the Ministry of Defence: the President until 2020-08-18 (an exact end, E), the CNSP
    from that day (open-ended). On the day itself both hold; neither before May 2010."""
    ministry = next(u for u, name in expected.names.items() if name.startswith("Ministère de la Défense"))
    result = chain.chain_above(mali_store, identifiers.resolve(mali_store, dataset_for(mali_store), ministry), day)
    assert uuid_edges(result) == expected.above(ministry, day)
    if day == date(2020, 8, 18):
        assert len(result.parents_of(result.unit.iri)) == 2


def test_the_whole_import_is_ready_for_the_chain(mali_store: EmbeddedStore, expected: Expected) -> None:
    """Every GraphML unit, including the parents the TSV does not describe as children, is a unit
    of the store named as SFM names it."""
    dataset = dataset_for(mali_store)
    for uuid in expected.names:
        assert identifiers.resolve(mali_store, dataset, uuid).value.endswith(f"/unit/sfm-{uuid}")
