"""XML entity expansion and nesting depth in RDF/XML and TriX: refused before an RDF parser reads
the document, through the loader (the path of the CLI, the Graph Store Protocol and setup), with
the store untouched."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.guards.xml_guard import EXPANSION_FLOOR, MAX_DEPTH, MAX_ENTITY_BYTES, XmlRefused, check_depth, check_entities, check_stream
from graph.ingest import loader, registry
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource, RdfSyntaxError
from graph.store import EmbeddedStore

RDF_OPEN = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
)
SUBJECT = "https://w3id.org/actorgraph/fictional/id/note/laughs"
from tests.support.snapshots import snapshot


def rdfxml(doctype: str, comment: str = "&l7;", about: str = SUBJECT) -> bytes:
    """An RDF/XML document with one rdfs:comment, after a DOCTYPE (given whole, or empty)."""
    return (
        f'<?xml version="1.0"?>\n{doctype}{RDF_OPEN}'
        f'<rdf:Description rdf:about="{about}"><rdfs:comment>{comment}</rdfs:comment></rdf:Description>\n'
        "</rdf:RDF>\n"
    ).encode()


def billion_laughs(levels: int = 7) -> bytes:
    """The classic attack: each entity is ten of the one before, so `&l7;` is 10^8 characters."""
    entities = ['<!ENTITY l0 "hahahahaha">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels + 1)]
    return rdfxml("<!DOCTYPE rdf:RDF [\n" + "\n".join(entities) + "\n]>\n", comment=f"&l{levels};")




def test_pyoxigraph_expands_the_laughs_unguarded() -> None:
    # What the guard is for: three levels already make a 10,000-character literal (seven, 10^8).
    (quad,) = ox.parse(billion_laughs(levels=3), ox.RdfFormat.RDF_XML)
    assert len(quad.object.value) == 10**4
    assert len(billion_laughs()) < 1000  # under a kilobyte on disk


def test_billion_laughs_is_refused_by_the_loader_and_nothing_is_written(ontology_store: EmbeddedStore, tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_bytes(billion_laughs())
    before = snapshot(ontology_store)
    with pytest.raises(RdfSyntaxError) as refused:
        loader.load_file(ontology_store, path)
    # l0 is 10 bytes, l1 100, l2 1,000, l3 10,000 (the limit), l4 100,000: its declaration, on line 7, is refused.
    assert str(refused.value) == f"{path}:7:1: entity 'l4' expands to over 10,000 bytes (entity expansion is bounded)"
    assert snapshot(ontology_store) == before
    assert not registry.is_registered(ontology_store, ox.NamedNode("https://w3id.org/actorgraph/graph/laughs"))


def test_billion_laughs_in_trix_is_refused_before_expat_sees_it(ontology_store: EmbeddedStore) -> None:
    # expat's own guard lets a document grow to 8 MiB before it looks at the ratio: here 1 MB.
    entities = '<!ENTITY l0 "hahahahaha">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 6))
    trix = (
        f'<?xml version="1.0"?>\n<!DOCTYPE TriX [{entities}]>\n<TriX xmlns="http://www.w3.org/2004/03/trix/trix-1/">'
        f'<graph><triple><uri>{SUBJECT}</uri><uri>http://www.w3.org/2000/01/rdf-schema#comment</uri>'
        "<plainLiteral>&l5;</plainLiteral></triple></graph></TriX>\n"
    ).encode()
    before = snapshot(ontology_store)
    with pytest.raises(RdfSyntaxError, match=r"^laughs\.trix:2:.*entity 'l4' expands to over 10,000 bytes"):
        loader.load_sources(ontology_store, [RdfSource.from_bytes("laughs.trix", trix, format_named("trix"))], graph="laughs")
    assert snapshot(ontology_store) == before


def test_entities_as_owl_tools_write_them_still_load(ontology_store: EmbeddedStore) -> None:
    doctype = (
        "<!DOCTYPE rdf:RDF [\n"
        '  <!ENTITY id "https://w3id.org/actorgraph/fictional/id/" >\n'
        '  <!ENTITY note "&id;note/" >\n'
        "]>\n"
    )
    data = rdfxml(doctype, comment="written by &amp; for tests, see &note;", about="&note;entities")
    result = loader.load_sources(ontology_store, [RdfSource.from_bytes("owl-style.rdf", data, format_named("rdfxml"))], graph="owl-style")
    (quad,) = list(ontology_store.quads(result.graph))
    assert quad.subject == ox.NamedNode("https://w3id.org/actorgraph/fictional/id/note/entities")
    assert quad.object == ox.Literal("written by & for tests, see https://w3id.org/actorgraph/fictional/id/note/")


REFUSED = {
    "external SYSTEM entity": ('<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', "&x;", 2, "external (SYSTEM, PUBLIC)"),
    "external PUBLIC entity": ('<!DOCTYPE rdf:RDF [<!ENTITY x PUBLIC "-//X//EN" "http://127.0.0.1/x">]>\n', "&x;", 2, "external"),
    "parameter entity": ('<!DOCTYPE rdf:RDF [<!ENTITY % p "zz">]>\n', "p", 2, "parameter (%)"),
    "character reference to a reference": ('<!DOCTYPE rdf:RDF [<!ENTITY x "&#38;x;">]>\n', "&x;", 2, "character references"),
    # pyoxigraph reads declarations inside a comment, and a DOCTYPE anywhere: so does the scan.
    "declaration inside a comment": (
        f'<!DOCTYPE rdf:RDF [<!-- <!ENTITY a "{"a" * 1000}"> <!ENTITY b "{"&a;" * 11}"> -->]>\n', "z", 2,
        "'b' expands to over 10,000 bytes",
    ),
    "value too long as written": (f'<!DOCTYPE rdf:RDF [<!ENTITY x "{"x" * (MAX_ENTITY_BYTES + 1)}">]>\n', "&x;", 2, "over 10,000 bytes long"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_refused_declarations_name_the_line(case: str) -> None:
    doctype, comment, line, message = REFUSED[case]
    with pytest.raises(XmlRefused, match=message.replace("(", r"\(").replace(")", r"\)")) as refused:
        check_entities(rdfxml(doctype, comment))
    assert refused.value.line == line


def test_a_doctype_late_in_the_body_is_scanned_too() -> None:
    late = rdfxml("", comment="x").replace(b"<rdf:Description", b'<!DOCTYPE x [<!ENTITY big "' + b"b" * 10_001 + b'">]>\n<rdf:Description')
    with pytest.raises(XmlRefused, match="'big' is over 10,000 bytes long") as refused:
        check_entities(late)
    assert refused.value.line == 3


def test_entity_length_limit_edges() -> None:
    def nested(last: int) -> bytes:
        return rdfxml(f'<!DOCTYPE rdf:RDF [<!ENTITY a "{"a" * 1000}"><!ENTITY b "{"&a;" * 10}{"b" * last}">]>\n', "&b;")

    check_entities(nested(0))  # exactly MAX_ENTITY_BYTES once expanded
    with pytest.raises(XmlRefused, match="'b' expands to over 10,000 bytes"):
        check_entities(nested(1))


def test_total_expansion_is_bounded_by_the_document_or_the_floor() -> None:
    per_reference = 1_000 - len("&w;")
    references = EXPANSION_FLOOR // per_reference - 2  # fits, with the 1,000 bytes of the declaration itself

    def document(count: int) -> bytes:
        return rdfxml(f'<!DOCTYPE rdf:RDF [<!ENTITY w "{"w" * 1000}">]>\n', "&w;" * count)

    check_entities(document(references))
    with pytest.raises(XmlRefused, match="expand the document by over 1,000,000 bytes") as refused:
        check_entities(document(references + 2))
    assert refused.value.line == 4  # the comment holding the references
    # A large document may grow by its own size: the same ratio of references to text passes.
    padding = b"<!-- " + b"p" * 3 * EXPANSION_FLOOR + b" -->\n"
    check_entities(document(references + 2).replace(b"<rdf:RDF", padding + b"<rdf:RDF"))


def test_utf16_and_nul_bytes_are_refused() -> None:
    with pytest.raises(XmlRefused, match="NUL byte") as refused:
        check_entities(billion_laughs().decode().encode("utf-16"))
    assert (refused.value.line, refused.value.column) == (1, 4)  # after the BOM and "<"


def test_files_are_scanned_through_a_memory_map(tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_bytes(billion_laughs())
    with path.open("rb") as stream, pytest.raises(XmlRefused, match="'l4'"):
        check_stream(stream)
    (tmp_path / "empty.rdf").write_bytes(b"")
    with (tmp_path / "empty.rdf").open("rb") as stream, pytest.raises(XmlRefused, match="no element found"):
        check_stream(stream)  # nothing to map or expand, and no XML either


def test_references_across_scan_windows_are_all_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows of 7 bytes cut "&w;" references at every possible offset; each must count once.
    monkeypatch.setattr("graph.guards.xml_guard.WINDOW", 7)
    per_reference = 1_000 - len("&w;")
    fits = EXPANSION_FLOOR // per_reference - 2
    document = rdfxml(f'<!DOCTYPE rdf:RDF [<!ENTITY w "{"w" * 1000}">]>\n', "&w;" * fits)
    check_entities(document)
    with pytest.raises(XmlRefused, match="over 1,000,000 bytes"):
        check_entities(document.replace(b"&w;", b"&w;x&w;", 2))


def nested_nodes(depth: int) -> bytes:
    """Nodes inside properties inside nodes: the shape pyoxigraph slows down on, `depth` elements deep."""
    pairs = (depth - 2) // 2  # rdf:RDF, then node/property pairs, then one empty node
    return (
        f'<?xml version="1.0"?>\n{RDF_OPEN}' + f'<rdf:Description rdf:about="{SUBJECT}"><rdfs:seeAlso>' * pairs
        + f'<rdf:Description rdf:about="{SUBJECT}"/>' + "</rdfs:seeAlso></rdf:Description>" * pairs + "</rdf:RDF>\n"
    ).encode()


def test_nesting_depth_edges() -> None:
    check_depth(io.BytesIO(b"<a>" * MAX_DEPTH + b"</a>" * MAX_DEPTH))
    with pytest.raises(XmlRefused, match=f"elements nest over {MAX_DEPTH} deep") as refused:
        check_depth(io.BytesIO(b"<a>\n" * (MAX_DEPTH + 1) + b"</a>" * (MAX_DEPTH + 1)))
    assert refused.value.line == MAX_DEPTH + 1


def test_deeply_nested_rdfxml_is_refused_by_the_loader_and_nothing_is_written(ontology_store: EmbeddedStore) -> None:
    shallow = loader.load_sources(ontology_store, [RdfSource.from_bytes("nested.rdf", nested_nodes(MAX_DEPTH), format_named("rdfxml"))], graph="nested")
    assert shallow.triples == ontology_store.graph_size(shallow.graph) == 1  # one triple, said 127 times: counted once
    before = snapshot(ontology_store)
    # 20,000 deep: pyoxigraph alone takes seconds to minutes over this, growing faster than the square.
    with pytest.raises(RdfSyntaxError, match=r"^deep\.rdf:3:\d+: elements nest over 256 deep \(nesting is bounded\)$"):
        loader.load_sources(ontology_store, [RdfSource.from_bytes("deep.rdf", nested_nodes(20_000), format_named("rdfxml"))], graph="deep")
    assert snapshot(ontology_store) == before


def test_xml_that_is_not_well_formed_names_the_line(ontology_store: EmbeddedStore) -> None:
    broken = rdfxml("", comment="unclosed <rdfs:label>").replace(b"</rdf:RDF>", b"")
    with pytest.raises(RdfSyntaxError, match=r"^broken\.rdf:3:\d+: not well-formed XML: mismatched tag$"):
        loader.load_sources(ontology_store, [RdfSource.from_bytes("broken.rdf", broken, format_named("rdfxml"))], graph="broken")
