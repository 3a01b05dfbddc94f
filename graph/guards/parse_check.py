"""Parse SPARQL in a helper process first, so that a text that crashes the parser kills only that.

Oxigraph's parser is recursive, and some texts overflow its native stack: that is not an
exception but the death of the whole process. graph.guards.nesting refuses deep brackets, but other
constructs nest without brackets (a long run of `!` before an expression, `<<` quoted triples).
So a text from outside is first parsed by a small helper process that holds no data, reached
over a pipe; if the helper dies, the caller gets ParserCrash and a fresh helper is started for
the next text. That matters where the engine would parse in the server's own process (thread
isolation, admins' updates); under process isolation the forked worker would die instead, and
the check turns that worker's 500 into a 400.

The helper only parses. A query is given a substitution for a variable it cannot name, which
Oxigraph refuses after parsing and before evaluating anything. An update has no such hook, so
it is applied to an empty in-memory store; the helper may open no new file descriptor at all, so
a LOAD or SERVICE inside it fails without reaching the network, and a deadline bounds the rest.
Helpers are kept and reused, one per text being checked at a time, since starting one costs an
interpreter's start; their number is bounded.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import select
import struct
import subprocess
import sys
import threading
import time
from typing import IO

from graph.errors import ParserCrash
from graph.guards.nesting import check_nesting
from graph.store import open_scratch, rdf
from graph.store.limits import QueryTimeout

_QUERY, _UPDATE = b"Q", b"U"
_OK, _SYNTAX = b"O", b"S"
_HEADER = struct.Struct(">cI")
# The helper parses on a thread with a 2 MiB stack, a quarter of the usual 8 MiB and no more than
# glibc's smallest default: a text that parses there parses with room to spare on the server's
# threads. Every query of the library and 64 nested brackets need far less.
_HELPER_STACK = 2 * 2**20


class _Helper:
    """One helper process and its pipes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graph.guards.parse_check"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )

    def ask(self, kind: bytes, text: str, timeout: float) -> tuple[bytes, str] | None:
        """The helper's answer, or None when it died. Raises QueryTimeout after killing it."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        payload = text.encode("utf-8", errors="surrogatepass")
        try:
            stdin.write(_HEADER.pack(kind, len(payload)) + payload)
            stdin.flush()
        except (BrokenPipeError, OSError):
            return None
        deadline = time.monotonic() + timeout
        if not select.select([stdout], [], [], max(0.0, deadline - time.monotonic()))[0]:
            self.kill()
            raise QueryTimeout(timeout)
        return _read_frame(stdout)

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()

    def crash(self) -> ParserCrash:
        """The error for a helper that stopped answering: it died parsing the text."""
        self.kill()
        return ParserCrash.of(self.process.returncode)


# At most this many helpers live; a check that finds them all busy waits for one (a check takes
# well under a millisecond), so a burst of requests neither spawns nor churns processes.
_MAX_HELPERS = max(4, 2 * (os.cpu_count() or 2))
_slots = threading.BoundedSemaphore(_MAX_HELPERS)
_idle: list[_Helper] = []
_idle_lock = threading.Lock()


def _take() -> _Helper:
    with _idle_lock:
        while _idle:
            helper = _idle.pop()
            if helper.process.poll() is None:
                return helper
            helper.kill()
    return _Helper()


def _give_back(helper: _Helper) -> None:
    with _idle_lock:
        _idle.append(helper)


def check_text(text: str, *, update: bool = False, timeout: float = 10.0) -> None:
    """What SPARQL text from outside must pass before the engine sees it: nesting within
    graph.guards.nesting's limit (NestingTooDeep, a ValueError), then a parse in a helper process
    (SyntaxError, ParserCrash, or QueryTimeout as check_parses raises them)."""
    check_nesting(text)
    check_parses(text, update=update, timeout=timeout)


def check_parses(text: str, *, update: bool = False, timeout: float = 10.0) -> None:
    """Return when `text` parses as a query (or an update); raise SyntaxError with the parser's
    message when it does not, ParserCrash when the parser died on it, and QueryTimeout when the
    check took longer than `timeout` seconds."""
    started = time.monotonic()
    if not _slots.acquire(timeout=timeout):
        raise QueryTimeout(timeout)
    try:
        helper = _take()
        answer = helper.ask(_UPDATE if update else _QUERY, text, max(0.0, timeout - (time.monotonic() - started)))
        if answer is None:
            raise helper.crash()
        _give_back(helper)
    finally:
        _slots.release()
    status, message = answer
    if status == _SYNTAX:
        raise SyntaxError(message)


def _read_frame(stream: IO[bytes]) -> tuple[bytes, str] | None:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    tag, size = _HEADER.unpack(header)
    body = stream.read(size)
    if len(body) < size:
        return None
    return tag, body.decode("utf-8", errors="replace")  # a lone surrogate never reaches Oxigraph either


# --- the helper process ----------------------------------------------------------------------


def parse_only(text: str, *, update: bool = False) -> tuple[bytes, str]:
    """Parse `text` as a query (or an update) in this process without evaluating it: (_OK, "") or
    (_SYNTAX, the parser's message). A text that overflows the parser's stack kills the process."""
    try:
        if update:
            open_scratch().update(text)
        else:
            # A variable the text cannot name: the engine refuses the binding once the text
            # has parsed, before it evaluates anything.
            unnamed = "agparsecheck" + secrets.token_hex(16)
            open_scratch().evaluate(text, bindings={unnamed: rdf.Literal("")})
    except SyntaxError as error:
        return _SYNTAX, str(error.args[0]) if error.args else str(error)
    except Exception:  # noqa: BLE001, S110 - it parsed; what evaluation (LOAD with no network, ...) made of it is irrelevant
        pass
    return _OK, ""


def _serve() -> None:
    import resource

    # No new file descriptor from here on: no socket, so no SERVICE or LOAD reaches anything.
    # The lowest free descriptor number becomes the limit, so every number below it is taken.
    lowest_free = os.dup(0)
    os.close(lowest_free)
    resource.setrlimit(resource.RLIMIT_NOFILE, (lowest_free, lowest_free))
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    threading.stack_size(_HELPER_STACK)
    while True:
        request = _read_frame(stdin)
        if request is None:
            return
        box: list[tuple[bytes, str]] = []
        kind, text = request
        worker = threading.Thread(target=lambda box=box, kind=kind, text=text: box.append(parse_only(text, update=kind == _UPDATE)))
        worker.start()
        worker.join()
        status, message = box[0]
        payload = message.encode("utf-8")
        stdout.write(_HEADER.pack(status, len(payload)) + payload)
        stdout.flush()


if __name__ == "__main__":
    _serve()
