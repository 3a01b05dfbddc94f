"""The OpenSanctions importer, on yente's FtM test files in ../shared/data/opensanctions (CC-BY-NC:
read there for tests, never bundled). Expected figures are computed here from the JSON lines; a
delete and a broken line are written to tmp_path from the real entities' ids."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.ingest import setup
from graph.ingest.importers.opensanctions import importer as opensanctions
from graph.store import EmbeddedStore, open_store
from ontology.namespaces import AG, GRAPH, ID, ORG, RDF, RDFS, SCHEMA
from tests.conftest import shared_data
from tests.support.snapshots import snapshot as store_snapshot

FOLDER = "opensanctions/ftm_entities"
OS_GRAPH = ox.NamedNode(GRAPH + "opensanctions")
TYPE = ox.NamedNode(RDF + "type")


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fresh() -> EmbeddedStore:
    store = open_store(None)
    setup.load_ontology(store)
    return store


def node(entity_id: str) -> str:
    return f"{ID}opensanctions/{entity_id}"


def of_type(store: EmbeddedStore, cls: str) -> set[str]:
    return {q.subject.value for q in store.quads(OS_GRAPH) if q.predicate == TYPE and q.object == ox.NamedNode(AG + cls)}


def objects(store: EmbeddedStore, subject: str, predicate: str) -> set[str]:
    return {q.object.value for q in store.quads(OS_GRAPH) if q.subject.value == subject and q.predicate.value == predicate}


def snapshot(store: EmbeddedStore) -> list[bytes]:
    return store_snapshot(store).split(b"\n")


def test_entities_and_their_relations() -> None:
    path = shared_data(f"{FOLDER}/zala_entities.ftm.json")
    entities = lines(path)
    schemas = Counter(e["schema"] for e in entities)
    store = fresh()
    report = opensanctions.import_files(store, [path], dataset="zala")
    assert len(of_type(store, "Person")) == schemas["Person"]
    authorities = {e["properties"]["authority"][0] for e in entities if e["schema"] == "Sanction" and e["properties"].get("authority")}
    # Companies and organizations, and each sanctioning authority as an organization of its own.
    assert len(of_type(store, "Organization")) == schemas["Company"] + schemas["Organization"] + len(authorities)
    assert len(of_type(store, "SanctionsListing")) == schemas["Sanction"]
    assert len(of_type(store, "Ownership")) == schemas["Ownership"]
    assert len(of_type(store, "Membership")) == schemas["Directorship"]
    unmapped = sum(n for s, n in schemas.items() if s in ("Address", "Family", "Passport"))
    assert report.files[path.name].rows_skipped == unmapped
    sanction = next(e for e in entities if e["schema"] == "Sanction" and e["properties"].get("authority"))
    listing = node(sanction["id"])
    assert objects(store, listing, AG + "listedParty") == {node(sanction["properties"]["entity"][0])}
    [authority] = objects(store, listing, AG + "listingAuthority")
    assert objects(store, authority, RDFS + "label") == {sanction["properties"]["authority"][0]}
    owning = next(e for e in entities if e["schema"] == "Ownership")
    assert objects(store, node(owning["id"]), AG + "owner") == {node(owning["properties"]["owner"][0])}
    directing = next(e for e in entities if e["schema"] == "Directorship")
    assert objects(store, node(directing["id"]), ORG + "member") == {node(directing["properties"]["director"][0])}
    person = next(e for e in entities if e["schema"] == "Person" and e["properties"].get("birthDate"))
    assert set(person["properties"]["birthDate"]) <= objects(store, node(person["id"]), SCHEMA + "birthDate")


def test_deltas_apply_in_version_order_and_only_once(tmp_path: Path) -> None:
    folder = shared_data(FOLDER)
    base, deltas = folder / "t1_entities.ftm.json", sorted(folder.glob("t2_*.delta.json"))
    ops = [op for d in deltas for op in lines(d)]
    store = fresh()
    opensanctions.import_files(store, [base], dataset="t1")
    # Given newest first: applied oldest first all the same, so the MOD of the last file wins.
    report = opensanctions.import_files(store, list(reversed(deltas)), dataset="t1")
    modified = next(op["entity"] for op in ops if op["op"] == "MOD")
    assert objects(store, node(modified["id"]), RDFS + "label") == {modified["caption"]}
    added = {op["entity"]["id"] for op in ops if op["op"] == "ADD"}
    assert {node(i) for i in added} <= of_type(store, "Person") | of_type(store, "Organization")
    assert sum(report.files[d.name].rows_imported for d in deltas) == len(ops)
    before = snapshot(store)
    again = opensanctions.import_files(store, deltas, dataset="t1")
    assert [g.action for g in again.graphs] == ["unchanged"] and snapshot(store) == before
    assert all("already applied" in reason for d in deltas for reason in again.files[d.name].skipped.values())
    # A later delta deleting an entity removes its statements, and nothing else.
    victim = min(added)
    delete = tmp_path / "t3_20240601000000-del_entities.delta.json"
    delete.write_text(json.dumps({"op": "DEL", "entity": {"id": victim}}) + "\n", encoding="utf-8")
    opensanctions.import_files(store, [delete], dataset="t1")
    assert objects(store, node(victim), RDFS + "label") == set()
    assert len(of_type(store, "Person")) + len(of_type(store, "Organization")) == len(
        {e["id"] for e in lines(base) if e["schema"] != "Address"} | added
    ) - 1


def test_bad_lines_are_named_and_nothing_is_written(tmp_path: Path) -> None:
    base = shared_data(f"{FOLDER}/t1_entities.ftm.json")
    text = base.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken_entities.delta.json"
    broken.write_text("\n".join([json.dumps({"op": "REPLACE", "entity": json.loads(text[0])}), "{not json"]) + "\n", encoding="utf-8")
    store = fresh()
    before = snapshot(store)
    with pytest.raises(opensanctions.FtmImportError) as raised:
        opensanctions.import_files(store, [broken])
    assert {(p.element, p.field) for p in raised.value.problems} == {("line 1", "op"), ("line 2", None)}
    assert snapshot(store) == before
