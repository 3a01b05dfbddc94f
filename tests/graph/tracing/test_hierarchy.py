"""Incidents through the hierarchy below an actor (graph.tracing.hierarchy) on the demo data,
checked against a SPARQL query written here independently of the walk."""

from __future__ import annotations

import pytest

from graph.index.cache import index_for
from graph.query import sparql
from graph.store import EmbeddedStore, Solutions
from graph.tracing.hierarchy import incidents_below
from ontology.namespaces import FICTIONAL

F = FICTIONAL
PREFIX = "PREFIX ag: <https://w3id.org/actorgraph/ontology#>\n"
# Units one, two or three command/subordination links below ?top, and what is recorded against them.
FIRST = "{ { ?a ag:parentUnit ?top ; ag:childUnit ?u1 } UNION { ?a ag:commander ?top ; ag:commandedUnit ?u1 } }"
BELOW = PREFIX + f"""
SELECT DISTINCT ?unit ?incident WHERE {{
  {{ {FIRST} BIND(?u1 AS ?unit) }}
  UNION {{ {FIRST} ?b ag:parentUnit ?u1 ; ag:childUnit ?unit }}
  UNION {{ {FIRST} ?b ag:parentUnit ?u1 ; ag:childUnit ?u2 . ?c ag:parentUnit ?u2 ; ag:childUnit ?unit }}
  FILTER(?unit != ?top)
  ?p ag:perpetrator ?unit ; ag:incident ?incident .
}}
"""


def expected(store: EmbeddedStore, top: str) -> set[tuple[str, str]]:
    result = sparql.run_query(store, BELOW.replace("?top", f"<{top}>"), sparql.dataset_for(store))
    assert isinstance(result, Solutions)
    return {(row["unit"].value, row["incident"].value) for row in result}


@pytest.mark.parametrize("top", [F + "unit/bde-7", F + "unit/div-1", F + "person/severin-aldquist", F + "unit/bn-72", F + "unit/bn-71"])
def test_every_incident_below_is_found_once_per_unit(demo_store: EmbeddedStore, top: str) -> None:
    dataset = sparql.dataset_for(demo_store)
    found = incidents_below(demo_store, dataset, top, index_for(demo_store, dataset))
    assert {(f.perpetrator.id, f.incident.id) for f in found} == expected(demo_store, top)


def test_the_path_leads_from_the_actor_to_the_perpetrator_with_each_links_dates(demo_store: EmbeddedStore) -> None:
    dataset = sparql.dataset_for(demo_store)
    found = incidents_below(demo_store, dataset, F + "person/severin-aldquist", index_for(demo_store, dataset))
    assert found, "the general's division had units with recorded incidents"
    for item in found:
        assert item.path[0].type == "Command" and item.path[0].source == F + "person/severin-aldquist"
        assert item.below[-1].id == item.perpetrator.id
        assert len(item.path) == len(item.below) <= 3
        for hop, node in zip(item.path[1:], item.below[1:]):
            assert hop.type == "Subordination" and hop.source == node.id  # the child is below
    dates = [f.start or "9999" for f in found]
    assert dates == sorted(dates)


def test_an_actor_with_nothing_below_has_no_incidents_below(demo_store: EmbeddedStore) -> None:
    dataset = sparql.dataset_for(demo_store)
    assert not expected(demo_store, F + "unit/bn-71")
    assert incidents_below(demo_store, dataset, F + "unit/bn-71", index_for(demo_store, dataset)) == []
