"""Where the store is: a directory (the embedded engine), ':memory:', or the URL of a SPARQL engine.

A value that looks like a URL is never taken as a path, so a mistyped engine URL is an error
rather than a directory named after its scheme. The URL names the engine in its scheme
(`oxigraph+http://host:port`), because each engine has its own endpoints and SPARQL dialect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeAlias, cast, get_args
from urllib.parse import urlsplit

from graph.errors import InvalidValueError

Engine = Literal["oxigraph", "fuseki", "virtuoso"]
ENGINES: tuple[str, ...] = get_args(Engine)
MEMORY = ":memory:"

# A scheme followed by ':/' (a URL, even with a slash lost on the way), or a scheme with a '+'.
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9.+-]*:/|^[A-Za-z][A-Za-z0-9.-]*\+[A-Za-z0-9.+-]*:")
_EXAMPLES = "oxigraph+http://127.0.0.1:7878, fuseki+http://127.0.0.1:3030/ds or virtuoso+http://127.0.0.1:8890"


class StoreLocationError(InvalidValueError, ValueError):
    """A store location that is neither a directory, ':memory:' nor an engine URL ActorGraph knows."""


@dataclass(frozen=True)
class RemoteLocation:
    """A SPARQL engine reached over HTTP: which engine, and its base URL (no trailing slash)."""

    engine: Engine
    url: str

    def __str__(self) -> str:
        return f"{self.engine}+{self.url}"


Location: TypeAlias = Path | RemoteLocation | None  # None: in memory


def looks_like_url(value: str) -> bool:
    """Whether `value` reads as a URL (a scheme and a colon, then a slash, or a scheme with '+')."""
    return bool(_URL_LIKE.match(value))


def parse_location(value: str | Path | RemoteLocation | None) -> Location:
    """The store location `value` names; raises StoreLocationError, in one line, for a URL whose
    scheme names no engine ActorGraph speaks to, or whose address is incomplete."""
    if value is None or isinstance(value, RemoteLocation):
        return value
    text = str(value).strip() if isinstance(value, str) else None
    if text is None:  # a Path: a URL that went through Path has lost a slash, and is still a URL
        text = str(value)
    if text == MEMORY:
        return None
    if not looks_like_url(text):
        if not text:
            raise StoreLocationError("the store location is empty: give a directory, ':memory:' or an engine URL")
        return Path(text)
    scheme, _, rest = text.partition(":")
    engine, plus, transport = scheme.lower().partition("+")
    if not plus:
        raise StoreLocationError(f"store {text!r}: name the engine in the scheme, for example {_EXAMPLES}")
    if engine not in ENGINES:
        raise StoreLocationError(f"store {text!r}: unknown engine {engine!r}; use one of {', '.join(ENGINES)} ({_EXAMPLES})")
    if transport not in ("http", "https"):
        raise StoreLocationError(f"store {text!r}: the engine is reached over http or https, not {transport or 'nothing'!r}")
    url = f"{transport}:{rest}"
    parts = urlsplit(url)
    if not rest.startswith("//") or not parts.hostname:
        raise StoreLocationError(f"store {text!r}: the URL has no host; write it as {engine}+{transport}://host:port")
    try:
        parts.port  # noqa: B018  (urlsplit checks the port only when it is read)
    except ValueError:
        raise StoreLocationError(f"store {text!r}: the port is not a number from 0 to 65535") from None
    if parts.query or parts.fragment:
        raise StoreLocationError(f"store {text!r}: an engine URL takes no query or fragment")
    path = parts.path.rstrip("/")
    if engine == "fuseki" and not path:
        raise StoreLocationError(f"store {text!r}: name the Fuseki dataset, as in fuseki+{transport}://host:3030/ds")
    return RemoteLocation(cast(Engine, engine), f"{transport}://{parts.netloc}{path}")
