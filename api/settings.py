"""Settings, read once from the environment (ACTORGRAPH_*), with sane defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.store.limits import DEFAULT_ISOLATION, DEFAULT_WORKERS, QueryLimits

DEFAULT_STORE = Path("var/store")


@dataclass(frozen=True)
class Settings:
    store: Path | None = DEFAULT_STORE
    host: str = "127.0.0.1"
    port: int = 8000
    # Security and limits (README "Security"): anonymous callers are readers unless this is off.
    anonymous_access: bool = True
    query_timeout: float = 10.0  # seconds, for every query a request runs
    result_cap: int = 100_000  # rows (or triples) a query may return
    query_isolation: str = DEFAULT_ISOLATION  # "process": killable workers; "thread": see graph.store.limits
    query_workers: int = DEFAULT_WORKERS  # queries that may run at once
    max_upload_bytes: int = 64 * 1024 * 1024  # every request body, counted as it streams (api.web.body_limit): 413 beyond

    def query_limits(self) -> QueryLimits:
        """The limits every query of this app runs under; create one per app (it holds the
        semaphore that bounds concurrent queries)."""
        return QueryLimits(
            timeout=self.query_timeout,
            result_cap=self.result_cap,
            isolation=self.query_isolation,  # type: ignore[arg-type]
            workers=self.query_workers,
        )

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Environment first, then explicit overrides (CLI options), then defaults."""
        store_env = os.environ.get("ACTORGRAPH_STORE")
        values: dict[str, object] = {
            "store": _store_path(store_env) if store_env else DEFAULT_STORE,
            "host": os.environ.get("ACTORGRAPH_HOST", cls.host),
            "port": int(os.environ.get("ACTORGRAPH_PORT", cls.port)),
            **_security_from_env(),
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]


def _switch(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"on", "true", "yes", "1"}:
        return True
    if lowered in {"off", "false", "no", "0"}:
        return False
    raise ValueError(f"{name}={value!r}: use on or off")


def _security_from_env() -> dict[str, object]:
    """ACTORGRAPH_ANONYMOUS, _QUERY_TIMEOUT, _RESULT_CAP, _QUERY_ISOLATION, _QUERY_WORKERS and
    _MAX_UPLOAD_BYTES, where set."""
    readers: dict[str, tuple[str, object]] = {
        "anonymous_access": ("ACTORGRAPH_ANONYMOUS", lambda v: _switch("ACTORGRAPH_ANONYMOUS", v)),
        "query_timeout": ("ACTORGRAPH_QUERY_TIMEOUT", float),
        "result_cap": ("ACTORGRAPH_RESULT_CAP", int),
        "query_isolation": ("ACTORGRAPH_QUERY_ISOLATION", lambda v: v.strip().lower()),
        "query_workers": ("ACTORGRAPH_QUERY_WORKERS", int),
        "max_upload_bytes": ("ACTORGRAPH_MAX_UPLOAD_BYTES", int),
    }
    values: dict[str, object] = {}
    for field_name, (variable, convert) in readers.items():
        raw = os.environ.get(variable)
        if raw:
            values[field_name] = convert(raw)  # type: ignore[operator]
    return values


def _store_path(value: str) -> Path | None:
    """':memory:' selects an in-memory store (tests, throwaway demos)."""
    return None if value == ":memory:" else Path(value)
