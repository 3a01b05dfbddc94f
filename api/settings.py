"""Settings, in one place: every ACTORGRAPH_* variable is read here, by pydantic-settings.

`Settings(...)` holds the defaults and what is passed (tests, the CLI's options); only
`Settings.from_env()` reads the environment, so a test's settings never depend on the shell it
runs in. Code below the API (graph, ontology) reads no environment: it is handed these values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from graph.store.limits import DEFAULT_WORKERS, SERVER_ISOLATION, Isolation, QueryLimits
from graph.store.location import Location, parse_location

DEFAULT_STORE = Path("var/store")
DEFAULT_MAX_JSON_DEPTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ACTORGRAPH_", env_ignore_empty=True, frozen=True, validate_by_name=True)

    store: Location = DEFAULT_STORE  # a directory, an engine URL (graph.store.location), or None: in memory (:memory:)
    host: str = "127.0.0.1"
    port: int = 8000
    # Security and limits (README "Security"): anonymous callers are readers unless this is off.
    anonymous_access: Annotated[bool, Field(validation_alias="ACTORGRAPH_ANONYMOUS")] = True
    query_timeout: float = 10.0  # seconds, for every query a request runs
    result_cap: int = 100_000  # rows (or triples) a query may return
    # "pool": started workers on checkpoints (the embedded store on disk; elsewhere as "process");
    # "process": a forked worker per query; "thread": see graph.store.embedded.isolation
    query_isolation: Isolation = SERVER_ISOLATION
    query_workers: int = DEFAULT_WORKERS  # queries that may run at once
    max_upload_bytes: int = 64 * 1024 * 1024  # every request body, counted as it streams (api.web.body_limit): 413 beyond
    max_json_depth: int = DEFAULT_MAX_JSON_DEPTH  # nesting of arrays and objects in a JSON body (api.web.json_body): 400 beyond
    reasoner_memory_mb: int = 4096  # Java heap for HermiT (ontology.reasoner)
    java_home: Annotated[Path | None, Field(validation_alias="JAVA_HOME")] = None  # where to look for java when it is not on PATH
    key: Annotated[str | None, Field(repr=False)] = None  # the command line's API key for vetting decisions (`actorgraph cases`)

    @field_validator("store", mode="before")
    @classmethod
    def _store_location(cls, value: Any) -> Location:
        return parse_location(value)

    @field_validator("anonymous_access", mode="before")
    @classmethod
    def _switch(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        lowered = value.strip().lower()
        if lowered in {"on", "true", "yes", "1"}:
            return True
        if lowered in {"off", "false", "no", "0"}:
            return False
        raise ValueError(f"ACTORGRAPH_ANONYMOUS={value!r}: use on or off")

    @field_validator("query_isolation", mode="before")
    @classmethod
    def _lowered(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Explicit overrides (CLI options; None means not given) first, then the environment,
        then the defaults."""
        return _FromEnvironment(**{key: value for key, value in overrides.items() if value is not None})

    def __repr_name__(self) -> str:
        return "Settings"

    def query_limits(self) -> QueryLimits:
        """The limits every query of this app runs under; create one per app (it holds the
        slots that bound concurrent queries)."""
        return QueryLimits(timeout=self.query_timeout, result_cap=self.result_cap, isolation=self.query_isolation, workers=self.query_workers)


class _FromEnvironment(Settings):
    """Settings that also read ACTORGRAPH_* (and JAVA_HOME) from the environment."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings)
