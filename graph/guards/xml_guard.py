"""XML-based RDF (RDF/XML, TriX) checked before any RDF parser reads it: entities and depth.

Entities. Oxigraph's RDF/XML parser expands internal entities (`<!ENTITY name "value">`) when they are
declared, nested ones included, and honours a DOCTYPE anywhere in the document, even inside a
comment. So a "billion laughs" file of a few hundred bytes becomes a literal of a hundred million
characters. rdflib reads TriX through expat, whose own guard still lets a document grow a
hundredfold. Neither can be told to stop, so every XML document is scanned here first, and the
parser only ever sees documents whose expansion is known to be small.

The rule keeps the entities OWL tools write (`<!ENTITY owl "http://www.w3.org/2002/07/owl#">`):
- a declaration is `<!ENTITY name "value">` (or single quotes); external (SYSTEM, PUBLIC) and
  parameter (`%`) entities, and character references inside a value, are refused: the first reach
  files or the network in other parsers, the last can smuggle in references the scan would miss;
- an entity's value, as written and with the entities it names expanded, is at most
  MAX_ENTITY_BYTES;
- all the text that entities add to the document, where declared and where referenced, is at most
  the document's own size or EXPANSION_FLOOR, whichever is larger;
- a NUL byte is refused: XML cannot contain one, and it means UTF-16 or UTF-32 text, which a
  byte scan could not read.

The scan over-counts rather than under-counts: a reference in a comment or CDATA section counts,
and so does a declaration written inside another one's value.

Depth. Oxigraph's RDF/XML parser slows down more than quadratically with element nesting (a
node inside a property inside a node...), so a body of a megabyte nested 20,000 deep would hold a
server thread for minutes. Elements may nest MAX_DEPTH deep. The depth is measured by expat, a real
XML parser, once the entities are known to be small: a hand-made tag scanner would have to agree
with Oxigraph's on every quirk of comments, CDATA and quoting, or be fooled. expat also refuses
what is not well-formed XML, naming the line.
"""

from __future__ import annotations

import io
import mmap
import os
import pyexpat
import re
from collections import Counter
from collections.abc import Iterator
from typing import IO

from graph.errors import BadRequestError

MAX_ENTITY_BYTES = 10_000
EXPANSION_FLOOR = 1_000_000
WINDOW = 8 * 1024 * 1024  # references are counted this many bytes at a time
MAX_DEPTH = 256  # libxml2's default limit too; RDF/XML written by tools nests a few levels

_DECLARATION_START = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DECLARATION = re.compile(rb"""<!ENTITY\s+([^\s%"'<>&;]+)\s+(?:"([^"]*)"|'([^']*)')\s*>""", re.IGNORECASE)
_REFERENCE = re.compile(rb"&([^\s&;<>\"'#][^\s&;<>\"']*);")


# Bytes, or a memory-mapped file: both are scanned without copying.
XmlBuffer = bytes | mmap.mmap


class XmlRefused(BadRequestError, ValueError):
    """The document breaks the entity or depth rules, or is not XML; line and column are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def _where(data: XmlBuffer, position: int) -> tuple[int, int]:
    head = data[:position]
    return head.count(b"\n") + 1, position - head.rfind(b"\n")


def _refuse(data: XmlBuffer, position: int, message: str) -> XmlRefused:
    line, column = _where(data, position)
    return XmlRefused(message, line, column)


def _name(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _declarations(data: XmlBuffer, budget: int) -> tuple[dict[bytes, int], int]:
    """Every declared entity with the length of its expanded value, and the bytes they add."""
    expanded: dict[bytes, int] = {}
    added = 0
    for start in _DECLARATION_START.finditer(data):
        declaration = _DECLARATION.match(data, start.start())
        if declaration is None:
            raise _refuse(
                data, start.start(),
                'only internal entities of the form <!ENTITY name "value"> are read; external (SYSTEM, PUBLIC) '
                "and parameter (%) entities are refused",
            )
        name = declaration.group(1)
        value = declaration.group(2) if declaration.group(2) is not None else declaration.group(3)
        if len(value) > MAX_ENTITY_BYTES:
            raise _refuse(data, start.start(), f"entity {_name(name)!r} is over {MAX_ENTITY_BYTES:,} bytes long")
        if b"&#" in value:
            raise _refuse(data, start.start(), f"entity {_name(name)!r}: character references are refused in entity values")
        length = len(value)
        for reference in _REFERENCE.finditer(value):
            length += expanded.get(reference.group(1), len(reference.group(0))) - len(reference.group(0))
        if length > MAX_ENTITY_BYTES:
            raise _refuse(
                data, start.start(),
                f"entity {_name(name)!r} expands to over {MAX_ENTITY_BYTES:,} bytes (entity expansion is bounded)",
            )
        expanded[name] = length
        added += length
        if added > budget:
            raise _refuse(data, start.start(), _over_budget(budget))
    return expanded, added


def _over_budget(budget: int) -> str:
    return f"entities expand the document by over {budget:,} bytes (entity expansion is bounded)"


def check_entities(data: XmlBuffer) -> None:
    """Raise XmlRefused, naming the line, when the document's entities break the rules above."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _refuse(data, nul, "a NUL byte: XML cannot contain one (is the file UTF-16? only UTF-8 is read)")
    budget = max(EXPANSION_FLOOR, len(data))
    expanded, added = _declarations(data, budget)
    if not expanded:
        return
    # References are counted window by window with findall and a Counter, which run in C: a
    # Python step per reference would cost as much as a third of the parse.
    names = sorted(expanded, key=len, reverse=True)
    pattern = re.compile(b"&(" + b"|".join(re.escape(name) for name in names) + b");")
    growth = {name: expanded[name] - len(name) - 2 for name in names}
    for start, end in _windows(data):
        counts = Counter(pattern.findall(data, start, end))
        window = sum(growth[name] * count for name, count in counts.items())
        if added + window > budget:
            for reference in pattern.finditer(data, start, end):  # where it crossed, for the message
                added += growth[reference.group(1)]
                if added > budget:
                    raise _refuse(data, reference.start(), _over_budget(budget))
        added += window


def _windows(data: XmlBuffer) -> Iterator[tuple[int, int]]:
    """Consecutive spans of at most WINDOW bytes, each ending just before an '&' where there is
    one: a reference starts with '&' and holds no other, so none is cut in two."""
    start, size = 0, len(data)
    while start < size:
        end = min(size, start + WINDOW)
        if end < size:
            cut = data.rfind(b"&", start + 1, end)
            end = cut if cut > start else end
        yield start, end
        start = end


class _TooDeep(Exception):
    pass


def check_depth(stream: IO[bytes]) -> None:
    """Raise XmlRefused when elements nest over MAX_DEPTH deep, or the document is not XML.
    Run check_entities first: expat expands what the document declares."""
    parser = pyexpat.ParserCreate()
    depth = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise _TooDeep

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.ParseFile(stream)
    except _TooDeep:
        raise XmlRefused(
            f"elements nest over {MAX_DEPTH} deep (nesting is bounded)", parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        ) from None
    except pyexpat.ExpatError as error:
        message = pyexpat.ErrorString(error.code) if error.code is not None else str(error)
        raise XmlRefused(f"not well-formed XML: {message}", error.lineno, error.offset + 1) from None


def check_stream(stream: IO[bytes]) -> None:
    """check_entities, then check_depth, over a whole stream: a file is memory-mapped rather than
    read, so a large document costs no memory; an in-memory body is scanned where it lies."""
    if isinstance(stream, io.BytesIO):
        check_entities(stream.getvalue())
    else:
        try:
            descriptor = stream.fileno()
        except (OSError, AttributeError):
            data = stream.read()
            check_entities(data)
            check_depth(io.BytesIO(data))
            return
        else:
            if os.fstat(descriptor).st_size > 0:  # an empty file has nothing to map or expand
                with mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ) as mapped:
                    check_entities(mapped)
    stream.seek(0)
    check_depth(stream)
