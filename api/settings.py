"""Settings, read once from the environment (ACTORGRAPH_*), with sane defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_STORE = Path("var/store")


@dataclass(frozen=True)
class Settings:
    store: Path | None = DEFAULT_STORE
    host: str = "127.0.0.1"
    port: int = 8000

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Environment first, then explicit overrides (CLI options), then defaults."""
        store_env = os.environ.get("ACTORGRAPH_STORE")
        values: dict[str, object] = {
            "store": _store_path(store_env) if store_env else DEFAULT_STORE,
            "host": os.environ.get("ACTORGRAPH_HOST", cls.host),
            "port": int(os.environ.get("ACTORGRAPH_PORT", cls.port)),
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]


def _store_path(value: str) -> Path | None:
    """':memory:' selects an in-memory store (tests, throwaway demos)."""
    return None if value == ":memory:" else Path(value)
