"""A large N-Triples file loaded in pieces, on several threads at once.

pyoxigraph parses a file on one thread unless the machine has four cores or more, and the parse
is most of a bulk load's time. N-Triples holds one triple per line, so a file cut at line ends
loads as the same triples from several threads, each piece through its own bulk load.

Blank nodes are the exception: the engine renames a document's blank nodes apart on every load,
so a label used in two pieces would become two nodes. A file with `_:` anywhere in it (a label,
or the same two characters inside a literal: either way it is not cut) loads whole.

The pieces are read in order through one descriptor, so a progress bar that follows the file's
read offset (graph.ingest.read_progress) moves as they are read.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from io import FileIO
from pathlib import Path
from threading import BoundedSemaphore

import pyoxigraph as ox

PIECE_BYTES = 16 << 20
# One thread per core below four cores; from four up the engine parses a file in parallel itself,
# and a file is left to it (1: not cut).
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)  # the cores this process may use
WORKERS = _CORES if _CORES < 4 else 1
_BLOCK_BYTES = 8 << 20
_BLANK_NODE = b"_:"
_LINE_NUMBER = re.compile(r"\bline (\d+)")

Piece = tuple[int, int]  # [start, end) in bytes


def line_aligned_pieces(path: Path, piece_bytes: int | None = None) -> list[Piece] | None:
    """Byte ranges of about `piece_bytes` (PIECE_BYTES) that cover the file and each end just after
    a line end, or None when the file should load whole: it fits in one piece, or it mentions a
    blank node."""
    piece_bytes = piece_bytes or PIECE_BYTES
    size = path.stat().st_size
    if size <= piece_bytes:
        return None
    descriptor = os.open(path, os.O_RDONLY)  # read with pread: its offset stays at 0 for a progress bar
    try:
        if _mentions_blank_node(descriptor, size):
            return None
        cuts = [0]
        while cuts[-1] + piece_bytes < size:
            line_end = _next_line_end(descriptor, cuts[-1] + piece_bytes, size)
            if line_end is None:
                break
            cuts.append(line_end + 1)
    finally:
        os.close(descriptor)
    if cuts[-1] < size:
        cuts.append(size)
    return list(itertools.pairwise(cuts)) if len(cuts) > 2 else None


def _mentions_blank_node(descriptor: int, size: int) -> bool:
    offset = 0
    while offset < size:
        # One byte of overlap, so that a `_:` across two blocks is seen.
        block = os.pread(descriptor, _BLOCK_BYTES + 1, offset)
        if not block or _BLANK_NODE in block:
            return bool(block)
        offset += _BLOCK_BYTES
    return False


def _next_line_end(descriptor: int, offset: int, size: int) -> int | None:
    """The offset of the first newline at or after `offset`."""
    while offset < size:
        block = os.pread(descriptor, 1 << 16, offset)
        if not block:
            return None
        found = block.find(b"\n")
        if found >= 0:
            return offset + found
        offset += len(block)
    return None


def load_in_pieces(path: Path, pieces: list[Piece], load: Callable[[bytes], None], workers: int | None = None) -> None:
    """Call `load` on each piece's bytes, `workers` (WORKERS) at a time; return once all are loaded.

    A piece that fails stops the pieces not yet started; the pieces under way finish. The error
    raised is that of the earliest failing piece, as a whole-file parse would have stopped there;
    a SyntaxError's line numbers are made the file's own."""
    workers = workers or WORKERS
    failures: dict[int, BaseException] = {}
    # Pieces read and not yet loaded, bounded so memory stays at a few pieces whatever the file.
    slots = BoundedSemaphore(workers + 1)

    def run(index: int, data: bytes) -> None:
        try:
            if not failures:  # queued before a piece failed: not started
                load(data)
        except BaseException as error:  # noqa: BLE001 - raised again on the calling thread (an engine panic too)
            failures[index] = error
        finally:
            slots.release()

    with path.open("rb", buffering=0) as stream, ThreadPoolExecutor(workers, thread_name_prefix="load-piece") as pool:
        for index, (start, end) in enumerate(pieces):
            slots.acquire()
            if failures:
                slots.release()
                break
            data = _read_exactly(stream, end - start)
            pool.submit(run, index, data)
    if failures:
        first = min(failures)
        error = failures[first]
        if isinstance(error, SyntaxError):
            # Parsed again with the next piece after it: an error on a piece's last line would
            # otherwise read as an unexpected end of file.
            start, end = pieces[first][0], pieces[min(first + 1, len(pieces) - 1)][1]
            raise _shifted(_first_error(path, start, end) or error, _lines_before(path, start)) from None
        raise error


def _read_exactly(stream: FileIO, count: int) -> bytes:
    chunks = []
    while count > 0:
        chunk = stream.read(count)
        if not chunk:
            raise OSError("the file became shorter while it was loaded")
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def _first_error(path: Path, start: int, end: int) -> SyntaxError | None:
    with path.open("rb") as stream:
        stream.seek(start)
        data = stream.read(end - start)
    try:
        for _ in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
            pass
    except SyntaxError as error:
        return error
    return None


def _lines_before(path: Path, offset: int) -> int:
    lines = 0
    with path.open("rb") as stream:
        while offset > 0:
            block = stream.read(min(offset, _BLOCK_BYTES))
            if not block:
                break
            lines += block.count(b"\n")
            offset -= len(block)
    return lines


def _shifted(error: SyntaxError, lines: int) -> SyntaxError:
    """The engine's error for a piece, its line numbers counted from the start of the file.
    pyoxigraph puts (file, line, column, text, end line, end column) in args[1]."""
    message = str(error.args[0]) if error.args else str(error)
    message = _LINE_NUMBER.sub(lambda match: f"line {int(match.group(1)) + lines}", message)
    details = list(error.args[1]) if len(error.args) > 1 and isinstance(error.args[1], tuple) else []
    for position in (1, 4):  # the line and the end line
        if len(details) > position and isinstance(details[position], int):
            details[position] += lines
    shifted = SyntaxError(message)
    shifted.args = (message, tuple(details)) if details else (message,)
    shifted.lineno = error.lineno + lines if error.lineno is not None else None
    shifted.end_lineno = error.end_lineno + lines if error.end_lineno is not None else None
    shifted.offset, shifted.end_offset = error.offset, error.end_offset
    return shifted
