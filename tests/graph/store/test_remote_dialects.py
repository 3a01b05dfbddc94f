"""What the remote dialects change in an update before an engine sees it: Virtuoso cannot parse an
empty `INSERT DATA { GRAPH <g> { } }` (a filled template leaves one when a part has nothing to
write), so it is left out, and nothing else is touched."""

from __future__ import annotations

from graph.store.location import RemoteLocation
from graph.store.remote.dialects import dialect_for

G = "https://w3id.org/actorgraph/graph/meta"
FILLED = f"DELETE DATA {{ GRAPH <{G}> {{  }} }} ;\nINSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> <urn:c> . }} }}"


def test_virtuoso_drops_empty_data_blocks_only() -> None:
    virtuoso = dialect_for(RemoteLocation("virtuoso", "http://127.0.0.1:8890"))
    text = virtuoso.update_text(FILLED)
    assert "DELETE DATA" not in text and f"INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> <urn:c> . }} }}" in text
    # A block with data, or one that is not alone on its line, is left as it is.
    assert virtuoso.update_text(FILLED.replace("{  }", "{ <urn:x> <urn:y> <urn:z> . }")) == FILLED.replace("{  }", "{ <urn:x> <urn:y> <urn:z> . }")
    inline = f'INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> "DELETE DATA {{ GRAPH <{G}> {{ }} }}" . }} }}'
    assert virtuoso.update_text(inline) == inline


def test_other_engines_get_the_update_as_written() -> None:
    oxigraph = dialect_for(RemoteLocation("oxigraph", "http://127.0.0.1:7878"))
    assert oxigraph.update_text(FILLED) == FILLED
