"""A large N-Triples file loaded in pieces on several threads: the pieces cover the file at line
ends, the store ends up with what a whole-file load gives, blank nodes keep a file whole, and a
syntax error names the file's own line."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.ingest import loader
from graph.store import EmbeddedStore
from graph.store.embedded import pieces

GRAPH = ox.NamedNode("https://example.org/graph/pieces")


def triple_lines(count: int, *, start: int = 0) -> list[str]:
    return [f'<https://example.org/s{i}> <https://example.org/p> "value {i}" .\n' for i in range(start, start + count)]


def write(path: Path, lines: list[str], newline: str = "\n") -> Path:
    path.write_bytes("".join(lines).replace("\n", newline).encode())
    return path


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of 1 KB and two threads, so that a file of a few KB is cut several times."""
    monkeypatch.setattr(pieces, "PIECE_BYTES", 1024)
    monkeypatch.setattr(pieces, "WORKERS", 2)


@pytest.fixture
def split_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many pieces each split load had (a whole-file load records nothing)."""
    seen: list[int] = []
    real = pieces.load_in_pieces

    def recording(path: Path, cut: list[pieces.Piece], load: Callable[[bytes], None], workers: int | None = None) -> None:
        seen.append(len(cut))
        real(path, cut, load, workers)

    monkeypatch.setattr(pieces, "load_in_pieces", recording)
    return seen


def stored(store: EmbeddedStore) -> set[str]:
    return {str(quad) for quad in store.quads(GRAPH)}


def load_whole(path: Path) -> set[str]:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=GRAPH)
    return {str(quad) for quad in store.quads_for_pattern(None, None, None, GRAPH)}


# --- cutting -------------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("trailing_newline", [True, False])
def test_pieces_cover_the_file_and_end_at_line_ends(tmp_path: Path, newline: str, trailing_newline: bool) -> None:
    lines = triple_lines(200)
    if not trailing_newline:
        lines[-1] = lines[-1].rstrip("\n")
    path = write(tmp_path / "data.nt", lines, newline)
    data = path.read_bytes()
    cut = pieces.line_aligned_pieces(path, 1000)
    assert cut is not None and len(cut) > 5
    assert cut[0][0] == 0 and cut[-1][1] == len(data)
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(cut))
    assert all(data[end - 1 : end] == b"\n" for _, end in cut[:-1])
    assert all(end - start >= 1000 for start, end in cut[:-1])
    assert b"".join(data[start:end] for start, end in cut) == data


def test_a_file_within_one_piece_is_not_cut(tmp_path: Path) -> None:
    path = write(tmp_path / "data.nt", triple_lines(10))
    size = path.stat().st_size
    assert pieces.line_aligned_pieces(path, size) is None
    assert pieces.line_aligned_pieces(path, size - 1) is None  # its first line end is the file's end
    assert pieces.line_aligned_pieces(path, size // 2) is not None


def test_a_line_longer_than_a_piece_stays_in_one_piece(tmp_path: Path) -> None:
    long_value = "x" * 5000
    lines = [*triple_lines(3), f'<https://example.org/long> <https://example.org/p> "{long_value}" .\n', *triple_lines(30, start=3)]
    path = write(tmp_path / "data.nt", lines)
    data = path.read_bytes()
    cut = pieces.line_aligned_pieces(path, 100)
    assert cut is not None
    assert any(long_value.encode() in data[start:end] for start, end in cut)
    assert all(data[end - 1 : end] == b"\n" for _, end in cut)


@pytest.mark.parametrize("where", ["first line", "last line", "across a block boundary", "inside a literal"])
def test_a_file_that_mentions_a_blank_node_is_not_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    lines = triple_lines(200)
    if where == "first line":
        lines[0] = '_:b1 <https://example.org/p> "first" .\n'
    elif where == "last line":
        lines[-1] = '<https://example.org/s> <https://example.org/p> _:b1 .\n'
    elif where == "inside a literal":
        lines[100] = '<https://example.org/s> <https://example.org/p> "text with _: in it" .\n'
    data = "".join(lines).encode()
    if where == "across a block boundary":
        block = 4096
        monkeypatch.setattr(pieces, "_BLOCK_BYTES", block)
        comment = b"#" + b"c" * (block - 3) + b"\n"  # the label's "_" is the first block's last byte
        data = comment + b'_:b1 <https://example.org/p> "x" .\n' + data
        assert data.index(b"_:") == block - 1
    path = tmp_path / "data.nt"
    path.write_bytes(data)
    assert pieces.line_aligned_pieces(path, 1000) is None


# --- loading -------------------------------------------------------------------------------------


def test_a_file_loaded_in_pieces_holds_what_a_whole_load_gives(tmp_path: Path, small_pieces: None, split_loads: list[int]) -> None:
    lines = triple_lines(300)
    lines[10:10] = ['<https://example.org/s1> <https://example.org/p> "value 1" .\n']  # a duplicate, in another piece
    lines.append('<https://example.org/s2> <https://example.org/q> "caf\\u00E9"@fr .\n')
    path = write(tmp_path / "data.nt", lines)
    store = EmbeddedStore(None)
    store.load_triples(path, ox.RdfFormat.N_TRIPLES, GRAPH)
    assert split_loads and split_loads[0] > 5
    assert stored(store) == load_whole(path)
    assert store.graph_size(GRAPH) == 301


def test_blank_nodes_keep_one_identity_across_the_file(tmp_path: Path, small_pieces: None, split_loads: list[int]) -> None:
    lines = ['_:b1 <https://example.org/p> "first" .\n', *triple_lines(300), '_:b1 <https://example.org/q> "last" .\n']
    path = write(tmp_path / "data.nt", lines)
    store = EmbeddedStore(None)
    store.load_triples(path, ox.RdfFormat.N_TRIPLES, GRAPH)
    assert split_loads == []
    subjects = {quad.subject for quad in store.quads(GRAPH) if isinstance(quad.subject, ox.BlankNode)}
    assert len(subjects) == 1


def test_one_thread_loads_the_file_whole(tmp_path: Path, small_pieces: None, split_loads: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "WORKERS", 1)
    path = write(tmp_path / "data.nt", triple_lines(300))
    store = EmbeddedStore(None)
    store.load_triples(path, ox.RdfFormat.N_TRIPLES, GRAPH)
    assert split_loads == []
    assert store.graph_size(GRAPH) == 300


def whole_file_error(path: Path) -> SyntaxError:
    with pytest.raises(SyntaxError) as whole:
        ox.Store().bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=GRAPH)
    return whole.value


def _boundary(data: bytes) -> int:
    """The number of the line that ends the third piece the loader cuts `data` into."""
    end = data.index(b"\n", 3 * pieces.PIECE_BYTES) + 1  # where the third piece ends
    return data[:end].count(b"\n")


@pytest.mark.parametrize("where", ["first line", "last line of a piece", "first line of a piece", "last line"])
def test_a_syntax_error_names_the_files_line(tmp_path: Path, small_pieces: None, split_loads: list[int], where: str) -> None:
    lines = triple_lines(300)
    boundary = _boundary("".join(lines).encode())
    broken_line = {"first line": 1, "last line of a piece": boundary, "first line of a piece": boundary + 1, "last line": 300}[where]
    lines[broken_line - 1] = '<https://example.org/s> <https://example.org/p> "unterminated .\n'
    path = write(tmp_path / "data.nt", lines)
    expected = whole_file_error(path)
    with pytest.raises(SyntaxError) as split:
        EmbeddedStore(None).load_triples(path, ox.RdfFormat.N_TRIPLES, GRAPH)
    assert split_loads and split_loads[0] > 5
    assert split.value.lineno == expected.lineno == broken_line
    assert str(split.value.args[0]) == str(expected.args[0])
    assert split.value.args[1][1] == expected.args[1][1] and split.value.args[1][4] == expected.args[1][4]


def test_of_two_broken_pieces_the_earlier_is_reported(tmp_path: Path, small_pieces: None) -> None:
    lines = triple_lines(300)
    for broken in (40, 260):
        lines[broken - 1] = "<https://example.org/s> <https://example.org/p> .\n"
    path = write(tmp_path / "data.nt", lines)
    with pytest.raises(SyntaxError) as split:
        EmbeddedStore(None).load_triples(path, ox.RdfFormat.N_TRIPLES, GRAPH)
    assert split.value.lineno == 40


def test_a_failing_piece_stops_the_pieces_not_yet_started(tmp_path: Path) -> None:
    path = write(tmp_path / "data.nt", triple_lines(300))
    cut = pieces.line_aligned_pieces(path, 1000)
    assert cut is not None and len(cut) > 5
    loaded: list[bytes] = []

    def load(data: bytes) -> None:
        loaded.append(data)
        raise ValueError("the engine refused")

    with pytest.raises(ValueError, match="the engine refused"):
        pieces.load_in_pieces(path, cut, load, workers=1)
    assert len(loaded) == 1


class EnginePanic(BaseException):
    """What a panic in the engine's Rust code raises: not an Exception."""


@pytest.mark.parametrize("failing_piece", [0, 3])
def test_an_engine_panic_in_a_piece_fails_the_load(tmp_path: Path, failing_piece: int) -> None:
    path = write(tmp_path / "data.nt", triple_lines(300))
    cut = pieces.line_aligned_pieces(path, 1000)
    assert cut is not None and len(cut) > 5
    calls = [0]

    def load(data: bytes) -> None:
        calls[0] += 1
        if data.startswith(path.read_bytes()[cut[failing_piece][0] : cut[failing_piece][0] + 40]):
            raise EnginePanic("the engine panicked")

    with pytest.raises(EnginePanic):
        pieces.load_in_pieces(path, cut, load, workers=2)
    assert calls[0] < len(cut)


def test_a_load_through_the_loader_reports_progress_up_to_the_file_size(tmp_path: Path, small_pieces: None, split_loads: list[int]) -> None:
    path = write(tmp_path / "data.nt", triple_lines(300))
    store = EmbeddedStore(None)
    reported: list[int] = []
    result = loader.load_sources(store, [loader.RdfSource.from_path(path)], graph="pieces", trusted=True, progress=reported.append)
    assert split_loads and result.triples == 300
    assert sum(reported) == path.stat().st_size


def test_a_syntax_error_through_the_loader_names_the_file_and_line(tmp_path: Path, small_pieces: None, split_loads: list[int]) -> None:
    lines = triple_lines(300)
    lines[249] = "<https://example.org/s> <https://example.org/p> <not an iri> .\n"
    path = write(tmp_path / "broken.nt", lines)
    store = EmbeddedStore(None)
    with pytest.raises(loader.RdfSyntaxError) as error:
        loader.load_sources(store, [loader.RdfSource.from_path(path)], graph="broken", trusted=True)
    assert split_loads
    assert error.value.line == 250 and "broken.nt" in str(error.value)
    assert store.graph_size(ox.NamedNode(loader.resolve_graph("broken", "broken.nt").value)) == 0
