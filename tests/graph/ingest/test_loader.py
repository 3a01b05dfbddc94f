"""The loader: every format, own named graph, PROV record, validation, and all-or-nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.ingest import loader, registry
from graph.ingest.formats import format_named
from graph.ingest.loader import LoadError, RdfSource, RdfSyntaxError, ShapeViolations
from graph.ingest.validation import ShapeValidator, Violation
from graph.store import EmbeddedStore
from graph.synthetic import generator as synth
from ontology.namespaces import GRAPH, META_GRAPH
from tests.conftest import FIXTURES
from tests.support.snapshots import snapshot

VALID = FIXTURES / "valid_relation.ttl"
UNSOURCED = FIXTURES / "relation_without_source.ttl"




def valid_triples() -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(VALID))]


@pytest.mark.parametrize("fmt", ["ntriples", "nquads", "trig", "jsonld", "rdfxml", "turtle", "trix"])
def test_every_format_loads_into_its_own_graph(ontology_store: EmbeddedStore, tmp_path: Path, fmt: str) -> None:
    triples = valid_triples()
    file_format = format_named(fmt)
    path = tmp_path / f"sample{file_format.extensions[0]}"
    if file_format.oxigraph is not None:
        ox.serialize(triples, str(path), file_format.oxigraph) if not file_format.has_graphs else ox.serialize(
            [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("http://example.org/g")) for t in triples],
            str(path),
            file_format.oxigraph,
        )
    else:
        import rdflib

        dataset = rdflib.Dataset()
        named = dataset.graph(rdflib.URIRef("http://example.org/g"))
        named.parse(str(VALID), format="turtle")
        dataset.serialize(str(path), format=file_format.rdflib_name)

    result = loader.load_file(ontology_store, path, graph=f"sample-{fmt}")

    assert result.graph.value == f"{GRAPH}sample-{fmt}"
    assert result.triples == len(triples)
    assert ontology_store.graph_size(result.graph) == len(triples)
    # Graph names inside quad formats do not leak: everything lands in the load's graph.
    assert not ontology_store.has_graph(ox.NamedNode("http://example.org/g"))


def test_import_record_names_file_checksum_time_and_count(ontology_store: EmbeddedStore) -> None:
    result = loader.load_file(ontology_store, VALID, graph="sample")

    info = next(i for i in registry.registered_graphs(ontology_store) if i.name == "sample")
    assert info.triples == result.triples == len(valid_triples())
    assert info.files == (str(VALID),)
    assert info.validated is True
    assert info.imported_at.startswith("20")
    checksum = hashlib.sha256(VALID.read_bytes()).hexdigest()
    assert result.files[0].checksum == checksum
    stored = [q.object.value for q in ontology_store.quads(ox.NamedNode(META_GRAPH)) if q.predicate.value.endswith("#checksum")]
    assert checksum in stored


def test_graph_name_defaults_to_file_stem(ontology_store: EmbeddedStore) -> None:
    result = loader.load_file(ontology_store, VALID)
    assert result.graph.value == GRAPH + "valid_relation"


def test_syntax_error_names_file_line_and_column_and_writes_nothing(ontology_store: EmbeddedStore, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text(VALID.read_text() + '\n<https://example.org/x> <https://example.org/p> "unterminated .\n')
    before = snapshot(ontology_store)

    with pytest.raises(RdfSyntaxError) as caught:
        loader.load_file(ontology_store, bad, graph="broken")

    assert caught.value.source == str(bad)
    assert caught.value.line == len(VALID.read_text().splitlines()) + 2
    assert caught.value.column is not None
    assert str(caught.value).startswith(f"{bad}:{caught.value.line}:")
    assert snapshot(ontology_store) == before


def test_shape_violation_names_focus_node_and_rule_and_writes_nothing(ontology_store: EmbeddedStore) -> None:
    before = snapshot(ontology_store)

    with pytest.raises(ShapeViolations) as caught:
        loader.load_file(ontology_store, UNSOURCED, graph="unsourced")

    message = str(caught.value)
    assert "relation-unsourced" in message
    assert "wasDerivedFrom" in message
    assert snapshot(ontology_store) == before


def test_trusted_load_skips_validation(ontology_store: EmbeddedStore) -> None:
    result = loader.load_file(ontology_store, UNSOURCED, graph="unsourced", trusted=True)
    assert result.validated is False
    info = next(i for i in registry.registered_graphs(ontology_store) if i.name == "unsourced")
    assert info.validated is False


def test_existing_graph_is_refused_without_replace(ontology_store: EmbeddedStore) -> None:
    loader.load_file(ontology_store, VALID, graph="sample")
    with pytest.raises(LoadError, match="already exists"):
        loader.load_file(ontology_store, VALID, graph="sample")


def test_replace_swaps_content_and_failed_replace_keeps_old(ontology_store: EmbeddedStore, tmp_path: Path) -> None:
    loader.load_file(ontology_store, VALID, graph="sample")
    smaller = tmp_path / "smaller.ttl"
    smaller.write_text(VALID.read_text().split("f:relation-brigade-under-division")[0].replace(
        "f:unit-first-brigade a", "f:unit-only-brigade a"))
    target = ox.NamedNode(GRAPH + "sample")

    before = snapshot(ontology_store)
    with pytest.raises(ShapeViolations):
        loader.load_file(ontology_store, UNSOURCED, graph="sample", replace=True)
    assert snapshot(ontology_store) == before

    result = loader.load_file(ontology_store, smaller, graph="sample", replace=True)
    assert result.replaced is True
    assert ontology_store.graph_size(target) == result.triples
    subjects = {q.subject.value for q in ontology_store.quads(target)}
    assert any(s.endswith("unit-only-brigade") for s in subjects)
    assert not any(s.endswith("relation-brigade-under-division") for s in subjects)
    staging = [g for g in ontology_store.named_graphs() if "#staging-" in g.value]
    assert staging == []


def test_dry_run_validates_and_leaves_nothing(ontology_store: EmbeddedStore) -> None:
    before = snapshot(ontology_store)
    result = loader.load_sources(ontology_store, [RdfSource.from_path(VALID)], dry_run=True)
    assert result.triples == len(valid_triples())
    assert snapshot(ontology_store) == before


def test_system_graphs_are_refused(ontology_store: EmbeddedStore) -> None:
    for name in ("ontology", "inferred", "meta"):
        with pytest.raises(LoadError, match="managed by ActorGraph"):
            loader.load_file(ontology_store, VALID, graph=name)


@pytest.mark.parametrize("name", ["../escape", "has space", "-leading", "a<b"])
def test_bad_graph_names_are_refused(ontology_store: EmbeddedStore, name: str) -> None:
    with pytest.raises(LoadError, match="graph name"):
        loader.load_file(ontology_store, VALID, graph=name)


def test_blank_nodes_of_two_files_do_not_merge(store: EmbeddedStore) -> None:
    text = b'_:b0 <https://example.org/p> "x" .\n'
    for name in ("one", "two"):
        loader.load_sources(
            store, [RdfSource.from_bytes(f"{name}.nt", text, format_named("ntriples"))], graph=name, trusted=True
        )
    subjects = {q.subject for q in store.quads() if q.predicate.value == "https://example.org/p"}
    assert len(subjects) == 2


def test_blank_nodes_of_two_files_read_by_the_engine_do_not_merge(store: EmbeddedStore, tmp_path: Path) -> None:
    for name in ("one", "two"):
        path = tmp_path / f"{name}.nt"
        path.write_bytes(b'_:b0 <https://example.org/p> "x" .\n')
        loader.load_sources(store, [RdfSource.from_path(path)], graph=name, trusted=True)
    subjects = {q.subject for q in store.quads() if q.predicate.value == "https://example.org/p"}
    assert len(subjects) == 2


def test_a_file_and_the_same_bytes_load_alike(store: EmbeddedStore, tmp_path: Path) -> None:
    """A file goes to the engine by path, bytes through a stream: same count, same checksum."""
    text = b"".join(b'<https://example.org/s%d> <https://example.org/p> "x%d" .\n' % (i, i % 7) for i in range(3000))
    text += b'<https://example.org/s1> <https://example.org/p> "x1" .\n'  # a repeat adds nothing
    path = tmp_path / "rows.nt"
    path.write_bytes(text)
    by_path = loader.load_sources(store, [RdfSource.from_path(path)], graph="by-path", trusted=True)
    by_bytes = loader.load_sources(store, [RdfSource.from_bytes("rows.nt", text, format_named("ntriples"))], graph="by-bytes", trusted=True)
    assert by_path.triples == by_bytes.triples == 3000
    assert by_path.files[0].checksum == by_bytes.files[0].checksum == hashlib.sha256(text).hexdigest()


def test_a_file_that_changes_while_it_loads_is_refused_and_leaves_nothing(store: EmbeddedStore, tmp_path: Path) -> None:
    """The checksum recorded must be that of what was loaded: a file still being written is refused."""
    path = tmp_path / "growing.nt"
    path.write_bytes(b'<https://example.org/a> <https://example.org/p> "x" .\n')
    engine_load = store.load_triples

    def load_while_a_writer_appends(*args: object, **kwargs: object) -> None:
        engine_load(*args, **kwargs)  # type: ignore[arg-type]
        with path.open("ab") as writer:
            writer.write(b'<https://example.org/b> <https://example.org/p> "y" .\n')

    store.load_triples = load_while_a_writer_appends  # type: ignore[method-assign]
    with pytest.raises(LoadError, match="growing.nt: the file changed while it was being loaded; nothing was loaded"):
        loader.load_sources(store, [RdfSource.from_path(path)], graph="growing", trusted=True)
    graph = loader.resolve_graph("growing", str(path))
    assert not store.has_graph(graph)
    assert not registry.is_registered(store, graph)


def test_two_documents_in_one_graph_count_the_triples_they_add(store: EmbeddedStore) -> None:
    """A document that only repeats an earlier one adds nothing, yet is not an empty document; a
    blank node in each of the two stays two nodes."""
    first = b'<https://example.org/a> <https://example.org/p> "x" .\n_:b0 <https://example.org/p> "y" .\n'
    sources = [
        RdfSource.from_bytes("first.nt", first, format_named("ntriples"), require_triples=True),
        RdfSource.from_bytes("again.ttl", first, format_named("turtle"), require_triples=True),
    ]
    result = loader.load_sources(store, sources, graph="both", trusted=True)
    assert result.triples == 3  # the IRI triple once, and one triple for each document's blank node
    assert store.graph_size(result.graph) == 3


def test_a_triples_document_with_an_error_on_its_last_line_writes_nothing(store: EmbeddedStore) -> None:
    text = b"".join(b'<https://example.org/s%d> <https://example.org/p> "x" .\n' % i for i in range(5000)) + b"<https://example.org/s> <p> .\n"
    with pytest.raises(RdfSyntaxError) as error:
        loader.load_sources(store, [RdfSource.from_bytes("late.nt", text, format_named("ntriples"))], graph="late", trusted=True)
    assert error.value.line == 5001 and "late.nt" in str(error.value)
    assert not store.has_graph(loader.resolve_graph("late", "late.nt"))


def test_unregistered_leftover_graph_is_cleared_by_next_load(ontology_store: EmbeddedStore) -> None:
    leftover = ox.NamedNode(GRAPH + "sample")
    ontology_store.add([ox.Quad(ox.NamedNode("https://example.org/half"), ox.NamedNode("https://example.org/p"), ox.Literal("x"), leftover)])
    loader.load_file(ontology_store, VALID, graph="sample")
    assert not any(q.subject.value == "https://example.org/half" for q in ontology_store.quads(leftover))


def test_missing_file_and_unknown_extension_give_clear_errors(ontology_store: EmbeddedStore, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        loader.load_file(ontology_store, tmp_path / "absent.ttl")
    odd = tmp_path / "data.xyz"
    odd.write_text("x")
    with pytest.raises(ValueError, match="--format"):
        loader.load_file(ontology_store, odd)


def test_replacement_is_validated_without_the_old_content(ontology_store: EmbeddedStore, tmp_path: Path) -> None:
    """The old version of a graph must not supply what the new version lacks (here, a source)."""
    loader.load_file(ontology_store, VALID, graph="sample")
    unsourced = tmp_path / "unsourced.ttl"
    text = VALID.read_text()
    cut = "ag:confidence ag:HighConfidence ;\n    prov:wasDerivedFrom f:source-gazette ."
    assert cut in text
    unsourced.write_text(text.replace(cut, "ag:confidence ag:HighConfidence ."))
    before = snapshot(ontology_store)
    with pytest.raises(ShapeViolations, match="relation-brigade-under-division"):
        loader.load_file(ontology_store, unsourced, graph="sample", replace=True)
    assert snapshot(ontology_store) == before


AT_SHARE = round(loader.BULK_SHARE * 1_000)


@pytest.mark.parametrize(
    ("new", "loaded", "bulk"),
    [
        (0, 0, False),
        (1, 0, True),
        (AT_SHARE, 1_000 - AT_SHARE, True),
        (AT_SHARE - 1, 1_000 - AT_SHARE + 1, False),
        (AT_SHARE + 1, 1_000 - AT_SHARE - 1, True),
        (10, 1_000_000, False),
        (1_000_000, 0, True),
    ],
)
def test_a_load_is_bulk_from_a_share_of_the_data_checked(new: int, loaded: int, bulk: bool) -> None:
    """At the share, just below it and just above it; nothing new is never a bulk load."""
    assert loader.is_bulk(new, loaded) is bulk


class _RecordingValidator(ShapeValidator):
    """The real validator, noting whether each validation asked for the focused forms."""

    def __init__(self) -> None:
        super().__init__()
        self.focused: list[bool] = []

    def validate(self, *args: object, focused: bool = False, **kwargs: object) -> list[Violation]:
        self.focused.append(focused)
        return super().validate(*args, focused=focused, **kwargs)  # type: ignore[arg-type]


def test_validation_form_follows_the_share_of_new_data(ontology_store: EmbeddedStore, tmp_path: Path) -> None:
    """A synthetic data set larger than the ontology beside it: the scanning forms. A file of a few
    triples beside it: the focused forms. Both load, so the choice changes speed, not the outcome."""
    recording = _RecordingValidator()
    synthetic = synth.write_synthetic(tmp_path / "synthetic.nq", 300)
    first = loader.load_file(ontology_store, tmp_path / "synthetic.nq", graph="synthetic", validator=recording)
    second = loader.load_file(ontology_store, VALID, graph="second", validator=recording)
    assert first.triples == synthetic.triples and second.triples > 0
    assert recording.focused == [False, True]
